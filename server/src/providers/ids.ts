import { randomBytes, randomUUID } from 'node:crypto';

/** SendGrid's `X-Message-Id`: 22 characters of URL-safe base64. */
export function sendgridId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

/** Postmark's and Resend's message IDs: a UUID. */
export function uuid(): string {
  return randomUUID();
}

/** Mailgun's ID, `<timestamp.hex@domain>` as its answer gives it; the Message-ID header's value. */
export function mailgunId(domain: string): { id: string; left: string } {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const left = `${stamp}.${randomBytes(8).toString('hex')}`;
  return { id: `<${left}@${domain}>`, left };
}

/** An SES `MessageId`: `010001` and 10 hex digits of time, a UUID, `-000000`. */
export function sesId(): string {
  const time = Date.now().toString(16).padStart(10, '0').slice(-10);
  return `010001${time}-${randomUUID()}-000000`;
}
