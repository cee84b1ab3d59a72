import type Mail from 'nodemailer/lib/mailer';
import { ProviderFailure, type MailAddress, type MailSpec } from './types';

/** Headers a request's custom headers may not set: they come from the request's own fields. */
const RESERVED = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'content-type',
  'content-transfer-encoding',
  'mime-version',
  'x-tags',
]);

/** A header name as RFC 5322 allows it: printable ASCII but the colon. */
const HEADER_NAME = /^[!-9;-~]{1,200}$/;

/** An address with one `@` and no spaces, brackets or separators in it. */
const ADDRESS = /^[^\s@<>",;()[\]\\]+@[^\s@<>",;()[\]\\]+$/;

/** Checks an address; `field` names it in the provider's error. */
export function checkAddress(address: MailAddress, field: string): MailAddress {
  const trimmed = address.address.trim();
  if (!ADDRESS.test(trimmed))
    throw new ProviderFailure('validation', `Invalid email address: ${address.address}`, field);
  return { name: address.name.replace(/[\r\n]+/g, ' ').trim(), address: trimmed };
}

/**
 * Reads `"Name <a@b>"` or `a@b`, the way Postmark, Resend, Mailgun and SES take an address in one
 * string. The display name may be quoted.
 */
export function parseAddress(value: string, field: string): MailAddress {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>]+)>\s*$/.exec(value);
  const address = match ? { name: match[1] ?? '', address: match[2]! } : { name: '', address: value };
  return checkAddress(address, field);
}

/** Reads a comma-separated address list (a comma inside a quoted name does not split). */
export function parseAddressList(value: string | string[] | undefined, field: string): MailAddress[] {
  if (value === undefined) return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.match(/(?:"[^"]*"|[^,])+/g) ?? []);
  return parts.filter((p) => p.trim() !== '').map((p) => parseAddress(p, field));
}

/** A message larger than `--max-message-size`. */
export function tooLarge(size: number, limit: number): ProviderFailure {
  return new ProviderFailure('too-large', `Message size ${size} exceeds the limit of ${limit} bytes`);
}

function templateNote(spec: MailSpec): string {
  const template = spec.template!;
  return (
    `This message asked for the provider's template "${template.id}". Pigeonhole cannot render it: ` +
    'the template lives at the provider. The template data sent with it:\n\n' +
    `${JSON.stringify(template.data ?? null, null, 2)}\n`
  );
}

/**
 * Builds one message with nodemailer's MailComposer: the request's fields as headers and parts, the
 * tags as `X-Tags` (so they are the message's tags, as with SMTP), metadata as one JSON header, a
 * template's ID and data kept and said plainly in the body. Bcc is not written: it lives in the
 * envelope only, as with SMTP. `maxSize` (0 = none) is checked on the decoded parts first (encoding
 * only grows them) and on the composed message after.
 */
export async function composeSpec(spec: MailSpec, maxSize: number): Promise<Buffer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers)) {
    if (!HEADER_NAME.test(name)) throw new ProviderFailure('validation', `Invalid header name: "${name}"`, 'headers');
    if (RESERVED.has(name.toLowerCase())) {
      throw new ProviderFailure('validation', `The header "${name}" cannot be set through headers`, 'headers');
    }
    headers[name] = String(value).replace(/[\r\n]+/g, ' ');
  }
  const tags = spec.tags.map((t) => t.replace(/[\r\n,]+/g, ' ').trim()).filter((t) => t !== '');
  if (tags.length > 0) headers['X-Tags'] = tags.join(', ');
  const prepared: Record<string, { prepared: true; value: string }> = {};
  if (Object.keys(spec.metadata).length > 0) {
    // As JSON that stays readable in the header view: ASCII only (escaped), so no encoded-words.
    const json = JSON.stringify(spec.metadata).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    prepared['X-Pigeonhole-Metadata'] = { prepared: true, value: json };
  }
  if (spec.template) headers['X-Pigeonhole-Template'] = spec.template.id.replace(/[\r\n]+/g, ' ');

  let decoded = Buffer.byteLength(spec.text ?? '') + Buffer.byteLength(spec.html ?? '');
  for (const a of spec.attachments) decoded += a.content.length;
  if (maxSize > 0 && decoded > maxSize) throw tooLarge(decoded, maxSize);

  const options: Mail.Options = {
    from: spec.from,
    to: spec.to,
    cc: spec.cc,
    replyTo: spec.replyTo,
    subject: spec.subject.replace(/[\r\n]+/g, ' '),
    messageId: `<${spec.providerId}@${spec.messageIdDomain}>`,
    headers: { ...headers, ...prepared },
    attachments: spec.attachments.map((a) => {
      const attachment: Mail.Attachment = { filename: a.filename, content: a.content };
      if (a.contentType) attachment.contentType = a.contentType;
      if (a.cid) {
        attachment.cid = a.cid;
        attachment.contentDisposition = 'inline';
      }
      return attachment;
    }),
  };
  const text = spec.template ? `${templateNote(spec)}${spec.text ? `\n${spec.text}` : ''}` : spec.text;
  if (text !== undefined) options.text = text;
  if (spec.html !== undefined) options.html = spec.html;
  // Loaded on first use: most runs never receive a provider request.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const raw = await new MailComposer(options).compile().build();
  if (maxSize > 0 && raw.length > maxSize) throw tooLarge(raw.length, maxSize);
  return raw;
}

/** The envelope of a spec: every To, Cc and Bcc address, each once. */
export function envelopeOf(spec: MailSpec): { mailFrom: string; rcptTo: string[] } {
  const seen = new Set<string>();
  const rcptTo: string[] = [];
  for (const { address } of [...spec.to, ...spec.cc, ...spec.bcc]) {
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    rcptTo.push(address);
  }
  return { mailFrom: spec.from.address, rcptTo };
}
