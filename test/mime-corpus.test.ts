import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Address } from '@pigeonhole/shared/schemas/common';
import type { Message } from '@pigeonhole/shared/schemas/message';
import { startPigeonhole, type Pigeonhole } from 'pigeonhole';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedId, RawSmtp } from './fixtures/raw-smtp';

/**
 * The corpus of our own (`fixtures/corpus/`, written by its make-corpus.py): real-world-shaped mail,
 * each with the view expected of it beside it, derived from what the script put in rather than from
 * our parser. Each is sent byte for byte over SMTP and checked field by field: subject, addresses,
 * text, HTML, every attachment and inline part (name, type, size, the SHA-256 of the bytes /part
 * serves), the list's attachment count and snippet.
 */

interface ExpectedPart {
  FileName: string;
  ContentType: string;
  Size: number;
  SHA256: string;
}
interface Expected {
  Subject: string;
  From: Address;
  To: Address[];
  Cc: Address[];
  Text: string;
  HTML: string;
  Attachments: ExpectedPart[];
  Inline: ExpectedPart[];
  ListAttachments: number;
  Snippet: string;
}

const DIR = new URL('./fixtures/corpus/', import.meta.url);
const CASES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));

let p: Pigeonhole;
beforeAll(async () => {
  p = await startPigeonhole({ logLevel: 'silent' });
});
afterAll(async () => {
  await p.stop();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function served(id: string, part: Message['Attachments'][number]): Promise<ExpectedPart> {
  const res = await fetch(`${p.httpUrl}/api/v1/message/${id}/part/${part.PartID}`);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  // The JSON's checksum and size are of the very bytes /part serves.
  expect(part.Checksums.SHA256).toBe(sha256(bytes));
  expect(part.Size).toBe(bytes.length);
  return { FileName: part.FileName, ContentType: part.ContentType, Size: bytes.length, SHA256: sha256(bytes) };
}

describe('the corpus of real-world-shaped mail', () => {
  it('has every kind the issue names', () => {
    for (const kind of [
      'pgp-signed',
      'smime-encrypted',
      'forwarded-rfc822',
      'digest',
      'bounce-report',
      'google-invite',
    ]) {
      expect(CASES).toContain(kind);
    }
    for (const kind of ['outlook', 'apple-mail', 'gmail', 'thunderbird', 'iso-2022-jp', 'koi8-r', 'cp1252']) {
      expect(
        CASES.some((c) => c.includes(kind)),
        kind,
      ).toBe(true);
    }
  });

  it.each(CASES)('%s shows as its author meant it', async (name) => {
    const expected = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as Expected;
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    await smtp.command('EHLO corpus.example.test');
    const reply = await smtp.sendMail(
      'corpus@example.test',
      ['rcpt@example.test'],
      readFileSync(new URL(`${name}.eml`, DIR)),
    );
    await smtp.quit();
    expect(reply.code, reply.text).toBe(250);
    const id = queuedId(reply);

    const row = (await p.client.messages({ limit: 100 })).messages.find((m) => m.ID === id)!;
    const message = await p.client.get(id);
    for (const view of [row, message]) {
      expect(view.Subject).toBe(expected.Subject);
      expect(view.From).toEqual(expected.From);
      expect(view.To).toEqual(expected.To);
      expect(view.Cc).toEqual(expected.Cc);
    }
    expect(message.Text).toBe(expected.Text);
    expect(message.HTML).toBe(expected.HTML);
    expect(row.Snippet).toBe(expected.Snippet);
    expect(row.Attachments).toBe(expected.ListAttachments);
    expect(await Promise.all(message.Attachments.map((a) => served(id, a)))).toEqual(
      expected.Attachments.map((a) => ({ ...a, FileName: a.FileName })),
    );
    expect((await Promise.all(message.Inline.map((a) => served(id, a)))).map((a) => ({ ...a }))).toEqual(
      expected.Inline,
    );
  });
});
