/**
 * A Content-Disposition header that is safe whatever the mail named its part: control characters,
 * quotes, backslashes and path separators are removed from the ASCII fallback, and the full name
 * travels RFC 5987-encoded in `filename*`. Nothing from the mail can end the header or add one.
 */
export function safeContentDisposition(type: 'attachment' | 'inline', fileName: string): string {
  const cleaned = fileName
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"\\/]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 200);
  const name = cleaned.trim() || 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Content types a browser may show inline; anything else downloads, so mail cannot run in our origin. */
const INLINE_SAFE =
  /^(image\/(png|jpe?g|gif|webp|bmp|avif)|application\/pdf|text\/plain|audio\/[\w.+-]+|video\/[\w.+-]+)$/i;

/** Whether a part of this type may be served `inline` rather than as a download. */
export function inlineSafe(contentType: string): boolean {
  return INLINE_SAFE.test(contentType.split(';')[0]!.trim());
}
