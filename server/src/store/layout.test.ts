import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MessageStore, type SummaryFields } from './store';
import type { IncomingMessage, TranscriptLine } from './types';

const prefix: TranscriptLine[] = [
  { at: 1000, direction: 'server', line: '220 pigeonhole ESMTP' },
  { at: 1001, direction: 'client', line: 'EHLO client.example.test' },
  { at: 1002, direction: 'server', line: '250-pigeonhole Nice to meet you' },
  { at: 1002, direction: 'server', line: '250 PIPELINING' },
];

function transaction(n: number): TranscriptLine[] {
  return [
    { at: 2000 + n, direction: 'client', line: `MAIL FROM:<a${n}@example.test>` },
    { at: 2001 + n, direction: 'server', line: '250 Accepted' },
    { at: 2002 + n, direction: 'client', line: 'RCPT TO:<b@example.test>\tx' },
    { at: 2003 + n, direction: 'client', line: `[message data: ${n} bytes, elided]` },
  ];
}

function incoming(raw: Buffer, n = 0): IncomingMessage {
  return {
    raw,
    envelope: { mailFrom: `a${n}@example.test`, rcptTo: ['b@example.test', 'c@example.test'] },
    session: {
      clientAddress: '127.0.0.1',
      helo: 'client.example.test',
      secure: true,
      tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
      username: 'user',
      transcript: [...prefix, ...transaction(n)],
    },
    created: new Date(1700000000000 + n),
  };
}

function fields(n: number, size: number): SummaryFields {
  const subject = `A subject long enough to be a sliced string, number ${n}`;
  return {
    MessageID: `id-${n}@example.test`,
    From: { Name: 'Robot', Address: 'robot@example.test' },
    To: [{ Name: '', Address: 'b@example.test' }],
    Cc: [],
    Bcc: [{ Name: '', Address: 'c@example.test' }],
    ReplyTo: [],
    Subject: `  ${subject}  `.trim(),
    Username: 'user',
    Tags: ['t'],
    Size: size,
    Attachments: 0,
    Snippet: 'snippet '.repeat(40).trim(),
  };
}

/** Text that compresses like mail: words from a small vocabulary. */
function mailLike(n: number, size: number): Buffer {
  const words = ['order', 'confirmation', 'shipping', 'invoice', 'total', 'thanks', 'your', 'account'];
  let text = `Subject: message ${n}\r\n\r\n`;
  let i = n;
  while (text.length < size) text += `${words[(i = (i * 7 + 3) % 97) % words.length]} `;
  return Buffer.from(text.slice(0, size));
}

describe('MessageStore compact layout', () => {
  it('returns the exact bytes of every message before and after its slab is compressed', async () => {
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const raws = [
      ...Array.from({ length: 300 }, (_, i) => mailLike(i, 4096 + (i % 7))),
      randomBytes(3000), // incompressible: stays plain, still exact
      mailLike(1, 200 * 1024), // large: a buffer of its own
      mailLike(2, 40 * 1024), // over the own-buffer threshold too
      Buffer.alloc(0),
    ];
    const ids = raws.map((raw, i) => store.add(incoming(raw, i), fields(i, raw.length)).id);
    ids.forEach((id, i) => expect(store.get(id)!.keepRaw().equals(raws[i]!)).toBe(true));
    const plainHeld = store.heldBytes;
    await store.settled();
    expect(store.heldBytes).toBeLessThan(plainHeld / 2);
    ids.forEach((id, i) => expect(store.get(id)!.keepRaw().equals(raws[i]!)).toBe(true));
    expect(store.bytes).toBe(raws.reduce((a, r) => a + r.length, 0));
  });

  it('keeps envelope, session facts and the transcript line for line', () => {
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const a = store.add(incoming(Buffer.from('a'), 1), fields(1, 1));
    const b = store.add(incoming(Buffer.from('b'), 2), fields(2, 1));
    expect(a.envelope).toEqual({ mailFrom: 'a1@example.test', rcptTo: ['b@example.test', 'c@example.test'] });
    expect(b.session).toEqual({ ...incoming(Buffer.from('b'), 2).session });
    expect(a.session.transcript).toEqual([...prefix, ...transaction(1)]);
    expect(a.summary).toMatchObject({ ID: a.id, Read: false, Subject: fields(1, 1).Subject, Tags: ['t'] });
    expect(a.summary.Created).toBe(new Date(1700000000001).toISOString());
    // Addresses that repeat are one shared object.
    expect(a.summary.From).toBe(b.summary.From);
  });

  it('keeps the transcript line for line once its lines live in a compressed slab', async () => {
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const messages = Array.from({ length: 200 }, (_, n) => store.add(incoming(mailLike(n, 3000), n), fields(n, 3000)));
    await store.settled();
    expect(messages[7]!.session.transcript).toEqual([...prefix, ...transaction(7)]);
    expect(messages[199]!.session.transcript).toEqual([...prefix, ...transaction(199)]);
  });

  it('lends bytes only for the length of a call, and a copy outlives reuse after compression or clear', async () => {
    for (const clearFirst of [false, true]) {
      const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
      const first = Array.from({ length: 300 }, (_, n) => store.add(incoming(mailLike(n, 3000), n), fields(n, 3000)));
      // @ts-expect-error an async reader would hold the lent bytes past the call
      first[5]!.withRaw(async (raw) => raw.length);
      const view = first[5]!.keepRaw();
      const copy = Buffer.from(mailLike(5, 3000));
      if (clearFirst) store.clear();
      else await store.settled();
      // Enough new mail to take every freed slab again.
      for (let n = 1000; n < 1300; n++) store.add(incoming(mailLike(n, 3000), n), fields(n, 3000));
      expect(view.equals(copy)).toBe(true);
    }
  });

  it('keeps a transcript whose lines hold a line feed as it is', () => {
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const odd = incoming(Buffer.from('x'));
    odd.session.transcript = [{ at: 5, direction: 'client', line: 'two\nlines' }];
    expect(store.add(odd, fields(0, 1)).session.transcript).toEqual(odd.session.transcript);
  });

  it('frees slabs as their messages are deleted or evicted, and after clear', async () => {
    const store = new MessageStore({ maxMessages: 200, maxBytes: 0 });
    for (let i = 0; i < 1000; i++) store.add(incoming(mailLike(i, 4096), i), fields(i, 4096));
    await store.settled();
    expect(store.count).toBe(200);
    // 200 x 4 KiB fit in 4 slabs of 256 KiB: evicted slabs are gone.
    expect(store.heldBytes).toBeLessThan(5 * 256 * 1024);
    const newest = store.page(0, 1)[0]!;
    expect(newest.withRaw((raw) => raw.equals(mailLike(999, 4096)))).toBe(true);
    store.delete([...store.newestFirst()].map((m) => m.id));
    expect(store.heldBytes).toBeLessThanOrEqual(256 * 1024);
    store.add(incoming(mailLike(1, 4096)), fields(1, 4096));
    store.clear();
    await store.settled();
    expect([store.count, store.bytes, store.heldBytes]).toEqual([0, 0, 0]);
  });

  it('reads a message deleted while a reader held it as empty, not as another message', () => {
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const m = store.add(incoming(Buffer.from('gone')), fields(0, 4));
    store.delete([m.id]);
    expect(m.withRaw((raw) => raw.length)).toBe(0);
    expect(m.keepRaw().length).toBe(0);
  });
});
