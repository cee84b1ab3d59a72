import { describe, expect, it } from 'vitest';
import { ENTRY_BYTES, MessageStore, type SummaryFields } from './store';
import type { Envelope, IncomingMessage, StoreEvent } from './types';

function incoming(size = 10): IncomingMessage {
  return {
    raw: Buffer.alloc(size, 'x'),
    envelope: { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] },
    session: { clientAddress: '127.0.0.1', helo: 'h', secure: false, tls: null, username: '', transcript: [] },
    created: new Date(),
  };
}

function fields(subject: string, tags: string[] = []): SummaryFields {
  return {
    MessageID: '',
    From: null,
    To: [],
    Cc: [],
    Bcc: [],
    ReplyTo: [],
    Subject: subject,
    Username: '',
    Tags: tags,
    Size: 10,
    Attachments: 0,
    Snippet: '',
  };
}

describe('MessageStore', () => {
  it('pages newest first and finds by ID', () => {
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const ids = Array.from({ length: 10 }, (_, i) => store.add(incoming(), fields(`m${i}`)).id);
    expect(new Set(ids).size).toBe(10);
    expect(store.page(0, 3).map((m) => m.summary.Subject)).toEqual(['m9', 'm8', 'm7']);
    expect(store.page(8, 5).map((m) => m.summary.Subject)).toEqual(['m1', 'm0']);
    expect(store.page(20, 5)).toEqual([]);
    expect(store.get(ids[4]!)?.summary.Subject).toBe('m4');
    expect(store.latest()?.summary.Subject).toBe('m9');
  });

  it('evicts the oldest by count and by bytes and says so in events', () => {
    // Three entries and 35 raw bytes.
    const store = new MessageStore({ maxMessages: 3, maxBytes: 3 * ENTRY_BYTES + 35 });
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    const first = store.add(incoming(), fields('a')).id;
    store.add(incoming(), fields('b'));
    store.add(incoming(), fields('c'));
    store.add(incoming(), fields('d'));
    expect(store.count).toBe(3);
    expect(store.get(first)).toBeUndefined();
    expect(events.filter((e) => e.type === 'deleted')).toEqual([{ type: 'deleted', ids: [first], evicted: true }]);
    store.add(incoming(20), fields('big'));
    expect(store.page(0, 10).map((m) => m.summary.Subject)).toEqual(['big', 'd']);
    expect(store.bytes).toBe(30);
  });

  it('counts the entries and the indexed words of messages against maxBytes, and frees them', async () => {
    const text = (n: number, words: number) =>
      Array.from({ length: words }, (_, i) => `w${n}x${i}`).join(' ');
    const body = (n: number, words: number): IncomingMessage => ({
      ...incoming(),
      raw: Buffer.from(`Subject: s${n}\r\n\r\n${text(n, words)}\r\n`),
    });
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const plain = store.add(body(0, 0), fields('no words'));
    await store.settled();
    expect(store.keptBytes).toBe(plain.rawLength + ENTRY_BYTES);
    const wordy = store.add(body(1, 300), fields('300 words'));
    await store.settled();
    // 300 new dictionary words and their postings: well over 300 x 48 bytes.
    const indexed = store.keptBytes - plain.rawLength - wordy.rawLength - 2 * ENTRY_BYTES;
    expect(indexed).toBeGreaterThan(300 * 48);
    store.delete([wordy.id]);
    expect(store.keptBytes).toBe(plain.rawLength + ENTRY_BYTES);
    store.clear();
    expect(store.keptBytes).toBe(0);

    // Room for the raw bytes of all ten, but not for what their words cost: once indexed, the
    // oldest go, and the store says so.
    const rawOf = body(9, 300).raw.length;
    const bounded = new MessageStore({ maxMessages: 0, maxBytes: 10 * (rawOf + ENTRY_BYTES) + 1000 });
    const deleted: string[] = [];
    bounded.subscribe((e) => e.type === 'deleted' && deleted.push(...e.ids));
    const ids = Array.from({ length: 10 }, (_, n) => bounded.add(body(n, 300), fields(`m${n}`)).id);
    expect(bounded.count).toBe(10);
    await bounded.settled();
    expect(bounded.count).toBeLessThan(10);
    expect(bounded.keptBytes).toBeLessThanOrEqual(10 * (rawOf + ENTRY_BYTES) + 1000);
    expect(deleted).toEqual(ids.slice(0, 10 - bounded.count));
  });

  it('keeps the newest message even when it alone is over the byte limit', () => {
    const store = new MessageStore({ maxMessages: 0, maxBytes: 5 });
    store.add(incoming(100), fields('huge'));
    expect(store.count).toBe(1);
  });

  it('stays correct across many evictions (lazy compaction)', () => {
    const store = new MessageStore({ maxMessages: 100, maxBytes: 0 });
    for (let i = 0; i < 5000; i++) store.add(incoming(), fields(`m${i}`));
    expect(store.count).toBe(100);
    expect(store.page(0, 1)[0]?.summary.Subject).toBe('m4999');
    expect(store.page(99, 5).map((m) => m.summary.Subject)).toEqual(['m4900']);
    expect([...store.newestFirst()]).toHaveLength(100);
  });

  it('tracks unread counts, tags, deletes and clear', () => {
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const a = store.add(incoming(), fields('a', ['x'])).id;
    const b = store.add(incoming(), fields('b', ['x', 'y'])).id;
    expect(store.unread).toBe(2);
    expect(store.tags).toEqual(['x', 'y']);
    expect(store.setRead([a, 'missing'], true).map((m) => m.id)).toEqual([a]);
    expect(store.unread).toBe(1);
    expect(store.setTags(b, ['z'])).toBe(true);
    expect(store.tags).toEqual(['x', 'z']);
    expect(store.delete([a, a, 'missing'])).toEqual([a]);
    expect(store.count).toBe(1);
    expect(store.tags).toEqual(['z']);
    expect(store.unread).toBe(1);
    store.clear();
    expect([store.count, store.unread, store.bytes, store.tags.length]).toEqual([0, 0, 0, 0]);
  });

  describe('with the summary deferred', () => {
    /** Makes summaries from a `Subject|tag,tag` body, counting the calls. */
    function counting() {
      const calls: string[] = [];
      const summarizer = (raw: Buffer, _envelope: Envelope, username: string): SummaryFields => {
        const [subject = '', tags = ''] = raw.toString().split('|');
        calls.push(subject);
        return { ...fields(subject, tags ? tags.split(',') : []), Username: username, Size: raw.length };
      };
      return { calls, summarizer };
    }
    const mail = (text: string): IncomingMessage => ({ ...incoming(), raw: Buffer.from(text) });

    it('makes a summary once, on first read, with what the store knew at add', () => {
      const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
      const { calls, summarizer } = counting();
      const created = new Date(1_700_000_000_123);
      const m = store.add({ ...mail('hello|t1'), created }, summarizer);
      expect(calls).toEqual([]);
      expect(m.summary).toMatchObject({ ID: m.id, Subject: 'hello', Tags: ['t1'], Size: 8, Read: false });
      expect(m.summary.Created).toBe('2023-11-14T22:13:20.123Z');
      expect(m.summary).toBe(m.summary);
      expect(calls).toEqual(['hello']);
      expect(store.tags).toEqual(['t1']);
    });

    it('makes the pending summaries when SMTP is quiet, and on demand before that', async () => {
      const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
      const { calls, summarizer } = counting();
      for (let i = 0; i < 600; i++) store.add(mail(`m${i}|t${i % 3}`), summarizer);
      expect(calls).toHaveLength(0);
      await store.summaries();
      expect(calls).toHaveLength(600);
      expect(store.tags).toEqual(['t0', 't1', 't2']);

      store.add(mail('later|late'), summarizer);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calls.at(-1)).toBe('later');
      expect(store.tags).toContain('late');
    });

    it('keeps unread counts and tags right for messages deleted or evicted unsummarized', async () => {
      const store = new MessageStore({ maxMessages: 2, maxBytes: 0 });
      const { calls, summarizer } = counting();
      const a = store.add(mail('a|x'), summarizer);
      store.add(mail('b|y'), summarizer);
      store.add(mail('c|z'), summarizer);
      expect(store.get(a.id)).toBeUndefined();
      expect(store.unread).toBe(2);
      const [c] = store.page(0, 1);
      store.delete([c!.id]);
      expect(store.unread).toBe(1);
      await store.summaries();
      expect(calls).toEqual(['b']);
      expect(store.tags).toEqual(['y']);
      store.setRead([store.latest()!.id], true);
      expect(store.unread).toBe(0);
    });

    it('does not keep evicted messages queued under a load that never pauses', () => {
      const store = new MessageStore({ maxMessages: 10, maxBytes: 0 });
      const { calls, summarizer } = counting();
      for (let i = 0; i < 5000; i++) store.add(mail(`m${i}`), summarizer);
      expect(store.count).toBe(10);
      // Compacted as it grew: the live messages plus the slack at most.
      expect(store.queuedSummaries).toBeLessThanOrEqual(10 + 1024);
      expect(calls).toEqual([]);
    });

    it('drops pending summaries on clear', async () => {
      const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
      const { calls, summarizer } = counting();
      store.add(mail('a'), summarizer);
      store.clear();
      await store.summaries();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(calls).toEqual([]);
      expect(store.count).toBe(0);
    });
  });
});
