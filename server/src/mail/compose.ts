import type { SendBody } from '@pigeonhole/shared/schemas/send';
import type Mail from 'nodemailer/lib/mailer';

/** A message built from Mailpit's send body, with the envelope it is stored under. */
export interface Composed {
  raw: Buffer;
  mailFrom: string;
  rcptTo: string[];
}

/** An address Mailpit's send route refuses (it answers 400 with this text). */
export class ComposeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeError';
  }
}

/** Headers the body cannot set through `Headers`, as in Mailpit's `send.go`. */
const RESTRICTED = ['to', 'from', 'cc', 'bcc', 'reply-to', 'date', 'subject', 'content-type', 'mime-version'];

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

function checkAddress(address: string, field: string): string {
  const trimmed = address.trim();
  if (!ADDRESS.test(trimmed)) throw new ComposeError(`invalid ${field} address: ${address}`);
  return trimmed;
}

/** Strips a `data:...;base64,` prefix (browsers' readAsDataURL), as Mailpit does, and decodes. */
function decodeBase64(content: string, fileName: string): Buffer {
  const data = content.slice(content.lastIndexOf(',') + 1).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 === 1) {
    throw new ComposeError(`error decoding base64 attachment "${fileName}"`);
  }
  return Buffer.from(data, 'base64');
}

/** A message larger than `--max-message-size`, found before or after composing. */
export class MessageTooLargeError extends ComposeError {
  constructor(
    readonly size: number,
    readonly limit: number,
    readonly before: boolean,
  ) {
    super(`message size ${before ? 'at least ' : ''}${size} exceeds the limit of ${limit} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/**
 * Builds the raw message for `POST /api/v1/send` with nodemailer's MailComposer: the same checks as
 * Mailpit (addresses must parse, restricted headers cannot be overwritten, tags go to `X-Tags`).
 * With `maxSize` (0 = none), a message whose decoded parts alone exceed it is refused before
 * composing: encoding only grows them, and composing a body of 64 MB costs several times that in
 * memory for an answer that is a refusal anyway. The composed message is checked exactly after.
 */
export async function compose(body: SendBody, maxSize = 0): Promise<Composed> {
  const from = checkAddress(body.From.Email, 'From');
  const rcptTo: string[] = [];
  const to = (body.To ?? []).map((a) => ({ name: a.Name ?? '', address: checkAddress(a.Email, 'To') }));
  const cc = (body.Cc ?? []).map((a) => ({ name: a.Name ?? '', address: checkAddress(a.Email, 'Cc') }));
  const bcc = (body.Bcc ?? []).map((a) => checkAddress(a, 'Bcc'));
  const replyTo = (body.ReplyTo ?? []).map((a) => ({ name: a.Name ?? '', address: checkAddress(a.Email, 'Reply-To') }));
  rcptTo.push(...to.map((a) => a.address), ...cc.map((a) => a.address), ...bcc);
  const restricted = [...RESTRICTED];
  const headers: Record<string, string> = {};
  if (body.Tags && body.Tags.length > 0) {
    headers['X-Tags'] = body.Tags.join(', ');
    restricted.push('x-tags');
  }
  for (const [name, value] of Object.entries(body.Headers ?? {})) {
    if (restricted.includes(name.toLowerCase())) throw new ComposeError(`cannot overwrite header: "${name}"`);
    if (!/^[!-9;-~]+$/.test(name)) throw new ComposeError(`invalid header name: "${name}"`);
    headers[name] = value.replace(/[\r\n]+/g, ' ');
  }
  let decodedBytes = 0;
  const count = (bytes: number) => {
    decodedBytes += bytes;
    if (maxSize > 0 && decodedBytes > maxSize) throw new MessageTooLargeError(decodedBytes, maxSize, true);
  };
  count(Buffer.byteLength(body.Text ?? '') + Buffer.byteLength(body.HTML ?? ''));
  const attachments: Mail.Attachment[] = (body.Attachments ?? []).map((a) => {
    const content = decodeBase64(a.Content, a.Filename);
    count(content.length);
    const attachment: Mail.Attachment = { filename: a.Filename, content };
    if (a.ContentType) attachment.contentType = a.ContentType;
    if (a.ContentID) {
      attachment.cid = a.ContentID;
      attachment.contentDisposition = 'inline';
    }
    return attachment;
  });
  const options: Mail.Options = {
    from: { name: body.From.Name ?? '', address: from },
    to,
    cc,
    replyTo,
    subject: body.Subject ?? '',
    text: body.Text ?? '',
    headers,
    attachments,
  };
  if (body.HTML) options.html = body.HTML;
  // Loaded on first use: most runs never call /send.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const raw = await new MailComposer(options).compile().build();
  if (maxSize > 0 && raw.length > maxSize) throw new MessageTooLargeError(raw.length, maxSize, false);
  return { raw, mailFrom: from, rcptTo };
}
