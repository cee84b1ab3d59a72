/**
 * The name a part downloads under: its own file name, or for a nameless part (an invite, a
 * forwarded message, a signature) `part-<PartID>` with the extension its type implies, so that an
 * invite saves as `.ics` and opens in a calendar. Server (`/part`'s Content-Disposition) and web UI
 * (the download link) both name parts by this.
 */

/** Extensions of the nameless parts mail carries; anything else gets `.bin`. */
const EXTENSIONS: Record<string, string> = {
  'text/calendar': '.ics',
  'application/ics': '.ics',
  'message/rfc822': '.eml',
  'message/global': '.eml',
  'message/delivery-status': '.txt',
  'message/global-delivery-status': '.txt',
  'text/rfc822-headers': '.txt',
  'text/plain': '.txt',
  'text/enriched': '.txt',
  'text/html': '.html',
  'application/pgp-signature': '.asc',
  'application/pgp-encrypted': '.asc',
  'application/pkcs7-signature': '.p7s',
  'application/x-pkcs7-signature': '.p7s',
  'application/pkcs7-mime': '.p7m',
  'application/x-pkcs7-mime': '.p7m',
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
};

/** A part's download name: `FileName` when it has one, else `part-<PartID>` and an extension. */
export function partFileName(part: { FileName: string; ContentType: string; PartID: string }): string {
  if (part.FileName) return part.FileName;
  const ext = EXTENSIONS[part.ContentType.toLowerCase()] ?? '.bin';
  return `part-${part.PartID}${ext}`;
}
