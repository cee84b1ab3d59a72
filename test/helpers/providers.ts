import type { Message, Session } from '@pigeonhole/shared/schemas/message';
import type { Pigeonhole } from 'pigeonhole';
import { expect } from 'vitest';

/** A 1x1 PNG, the inline image every provider test sends (`cid:logo`). */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Two attachments and an inline image, as each provider test sends them. */
export const FILES = {
  pdf: { filename: 'invoice.pdf', type: 'application/pdf', content: Buffer.from('%PDF-1.4 pigeonhole test\n') },
  csv: { filename: 'report.csv', type: 'text/csv', content: Buffer.from('a,b\n1,2\n') },
  logo: { filename: 'logo.png', type: 'image/png', content: PNG, cid: 'logo' },
};

export const HTML = '<p>Hello <b>Alice</b></p><img src="cid:logo" alt="logo">';
export const TEXT = 'Hello Alice';

/** The one message caught through `provider`, waited for by a unique subject. */
export async function caught(p: Pigeonhole, subject: string): Promise<{ message: Message; session: Session }> {
  const message = await p.client.waitForMessage({ subject, timeout: 5000 });
  return { message, session: await p.client.session(message.ID) };
}

/**
 * Field by field, what every provider test sends: from, to, cc, bcc (envelope only), reply-to, the
 * text and HTML, two attachments with their bytes and an inline image with its content ID, the
 * custom header and the tags; and the session: the provider, the envelope, no secret in it.
 */
export async function expectFullMessage(
  p: Pigeonhole,
  message: Message,
  session: Session,
  expected: { via: string; tags: string[]; header: [string, string]; secret: string },
): Promise<void> {
  expect(message.Via).toBe(expected.via);
  expect(message.From).toEqual({ Name: 'The App', Address: 'app@example.test' });
  expect(message.To).toEqual([{ Name: 'Alice', Address: 'alice@example.test' }]);
  expect(message.Cc).toEqual([{ Name: '', Address: 'carol@example.test' }]);
  // Bcc is in the envelope only: no header carries it, the summary lists it from the envelope.
  expect(message.Bcc).toEqual([{ Name: '', Address: 'bob@example.test' }]);
  expect(message.ReplyTo).toEqual([{ Name: '', Address: 'support@example.test' }]);
  expect(message.Text.trim()).toBe(TEXT);
  expect(message.HTML).toContain('<b>Alice</b>');
  expect(message.Tags).toEqual(expected.tags);
  const names = message.Attachments.map((a) => a.FileName).sort();
  expect(names).toEqual(['invoice.pdf', 'report.csv']);
  for (const a of message.Attachments) {
    const file = a.FileName === 'invoice.pdf' ? FILES.pdf : FILES.csv;
    expect(Buffer.from(await p.client.attachment(message.ID, a.PartID))).toEqual(file.content);
  }
  expect(message.Inline).toHaveLength(1);
  expect(message.Inline[0]!.ContentID).toBe('logo');
  expect(Buffer.from(await p.client.attachment(message.ID, message.Inline[0]!.PartID))).toEqual(PNG);
  const headers = await p.client.headers(message.ID);
  expect(headers[expected.header[0]]).toEqual([expected.header[1]]);
  expect(headers.Bcc).toBeUndefined();
  expect(session.Via).toBe(expected.via);
  expect(session.MailFrom).toBe('app@example.test');
  expect([...session.RcptTo].sort()).toEqual(['alice@example.test', 'bob@example.test', 'carol@example.test']);
  const transcript = session.Transcript.map((l) => l.Line).join('\n');
  expect(transcript).not.toContain(expected.secret);
  expect(transcript).toMatch(/elided/);
  expect(session.Transcript[0]!.Line).toMatch(/^POST \//);
  const raw = Buffer.from(await p.client.raw(message.ID)).toString('latin1');
  expect(raw).not.toContain(expected.secret);
}

/** The port a Pigeonhole's HTTP URL listens on, asserted to be on loopback. */
export function loopbackUrl(p: Pigeonhole): string {
  const url = new URL(p.httpUrl);
  expect(url.hostname).toBe('127.0.0.1');
  return p.httpUrl;
}
