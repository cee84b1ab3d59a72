import { ProviderFailure, type MailAttachment } from './types';

/** Decodes base64 attachment content; anything but base64 is the provider's validation error. */
export function decodeBase64(content: unknown, field: string): Buffer {
  if (typeof content !== 'string')
    throw new ProviderFailure('validation', 'The attachment content must be a base64 string', field);
  const data = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 === 1) {
    throw new ProviderFailure('validation', 'The attachment content must be base64 encoded', field);
  }
  return Buffer.from(data, 'base64');
}

/** An attachment from base64 content and its names. */
export function base64Attachment(
  given: {
    content: unknown;
    filename?: string | undefined;
    contentType?: string | undefined;
    cid?: string | undefined;
  },
  field: string,
): MailAttachment {
  const attachment: MailAttachment = {
    filename: given.filename ?? 'attachment',
    content: decodeBase64(given.content, `${field}.content`),
  };
  if (given.contentType) attachment.contentType = given.contentType;
  if (given.cid) attachment.cid = given.cid.replace(/^<|>$/g, '');
  return attachment;
}

/** String values only, for headers and metadata given as a JSON object. */
export function stringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    out[key] = typeof item === 'string' ? item : JSON.stringify(item);
  }
  return out;
}
