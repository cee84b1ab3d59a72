import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MessageStore } from '../store/store';
import { jsonStringOf, mailhogJson, mailhogListJson } from './mailhog-json';
import { toMailHog } from './mailhog';
import { summarize } from './summary';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

function stored(raw: Buffer) {
  const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
  const envelope = { mailFrom: 'from@example.test', rcptTo: ['a@example.test', 'b@example.test'] };
  return store.add(
    {
      raw,
      envelope,
      session: {
        clientAddress: '127.0.0.1',
        helo: 'client.test',
        secure: false,
        tls: null,
        username: '',
        transcript: [],
      },
      created: new Date(),
    },
    summarize(raw, envelope, ''),
  );
}

const nested = crlf([
  'From: A <a@example.test>',
  'Subject: =?UTF-8?B?SsO8cmdlbg==?=',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Grüße, "quoted" \\ back\tslash \u0001 and 😀 emoji',
  '--inner',
  'Content-Type: text/html',
  '',
  '<p>Grüße</p>',
  '--inner--',
  '--outer',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  '',
  randomBytes(3000).toString('base64'),
  '--outer--',
  '',
]);

describe('MailHog JSON written in pieces', () => {
  it('is exactly JSON.stringify(toMailHog()) for nested multipart mail, at any slice size', () => {
    const message = stored(nested);
    const whole = JSON.stringify(toMailHog(message));
    for (const slice of [4, 5, 7, 64, 1000, 512 * 1024]) expect([...mailhogJson(message, slice)].join('')).toBe(whole);
  });

  it('decodes bytes that are not UTF-8 exactly as a whole-buffer decode does, wherever a slice ends', () => {
    for (let round = 0; round < 200; round++) {
      // Mostly multi-byte lead and continuation bytes: every kind of broken sequence at every cut.
      const raw = Buffer.from(Array.from(randomBytes(300), (b) => (b % 3 === 0 ? b : 0x80 | (b & 0x7f))));
      const expected = JSON.stringify(raw.toString('utf8'));
      const slice = 4 + (round % 13);
      expect([...jsonStringOf(raw, 0, raw.length, slice)].join(''), `slice ${slice}`).toBe(expected);
    }
  });

  it('writes the list shape with every item, and no piece much larger than a slice', () => {
    const messages = [stored(nested), stored(crlf(['Subject: plain', '', 'x'.repeat(50_000)]))];
    const pieces = [...mailhogListJson(messages, 7, 3, 1024)];
    const list = JSON.parse(pieces.join('')) as { total: number; count: number; start: number; items: unknown[] };
    expect(list).toEqual({ total: 7, count: 2, start: 3, items: messages.map((m) => toMailHog(m)) });
    // A slice of 1 KiB of text is at most 6 KiB of JSON (every byte a \\u00XX escape).
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(6 * 1024 + 64);
  });
});
