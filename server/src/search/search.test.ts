import { describe, expect, it } from 'vitest';
import { bodyText } from '../mail/summary';
import { parseDate, parseQuery, tokenize } from './query';

describe('search query parsing', () => {
  it('tokenizes quotes and keeps field prefixes', () => {
    expect(tokenize('from:"Alice Admin" -subject:"a b" "exact phrase" word')).toEqual([
      'from:Alice Admin',
      '-subject:a b',
      'exact phrase',
      'word',
    ]);
  });

  it('parses every filter, negation and unknown fields as words', () => {
    expect(parseQuery('!is:read has:attachments larger:1.5M foo:bar')).toEqual([
      { kind: 'is', value: 'read', negate: true },
      { kind: 'has', value: 'attachment', negate: false },
      { kind: 'size', op: 'larger', bytes: 1.5 * 1024 * 1024, negate: false },
      { kind: 'text', value: 'foo:bar', negate: false },
    ]);
    expect(() => parseQuery('smaller:huge')).toThrow(/invalid size/);
    expect(() => parseQuery('after:someday')).toThrow(/invalid date/);
  });

  it('reads dates in a time zone across daylight saving', () => {
    expect(parseDate('2024-07-01', 'Europe/Berlin', 't')).toBe(Date.UTC(2024, 5, 30, 22));
    expect(parseDate('2024-01-01 12:30', 'Europe/Berlin', 't')).toBe(Date.UTC(2024, 0, 1, 11, 30));
    expect(parseDate('2024-01-01', undefined, 't')).toBe(Date.UTC(2024, 0, 1));
  });
});

describe('bodyText (body words without a MIME parse)', () => {
  it('decodes base64 and quoted-printable text parts', () => {
    const b64 = Buffer.from(
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
        Buffer.from('naïve café').toString('base64') +
        '\r\n',
    );
    expect(bodyText(b64, 65536)).toContain('naïve café');
    // Regression: the last quantum of a padded part was dropped with its `=` ("café" became "caf").
    const padded = Buffer.from(
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nZW5jb2RlZCBib2R5OiBuYcOvdmUgY2Fmw6k=\r\n',
    );
    expect(bodyText(padded, 65536)).toBe('encoded body: naïve café');
    const qp = Buffer.from(
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 au lait\r\n',
    );
    expect(bodyText(qp, 65536)).toContain('café au lait');
  });
});

describe('body index', () => {
  it('finds body words by substring, verifies phrases, and sees messages added after it was built', async () => {
    const { MessageStore } = await import('../store/store');
    const { summarize } = await import('../mail/summary');
    const { search } = await import('./search');
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    const add = (subject: string, body: string): string => {
      // Past the 250-character snippet, so only the body path can find the words.
      const raw = Buffer.from(
        `Subject: ${subject}\r\nContent-Type: text/plain\r\n\r\n${'filler '.repeat(60)}${body}\r\n`,
      );
      const envelope = { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] };
      const session = { clientAddress: '127.0.0.1', helo: 'h', secure: false, tls: null, username: '', transcript: [] };
      return store.add({ raw, envelope, session, created: new Date() }, summarize(raw, envelope, '')).id;
    };
    const subjects = async (q: string): Promise<string[]> =>
      (await search(store, q, 0, 50)).page.map((m) => m.summary.Subject);
    add('one', 'the quick brown fox');
    add('two', 'jumps over the lazy dog');
    expect(await subjects('quick')).toEqual(['one']);
    expect(await subjects('uick')).toEqual(['one']);
    expect(await subjects('"brown fox"')).toEqual(['one']);
    expect(await subjects('"fox brown"')).toEqual([]);
    expect(await subjects('-lazy')).toEqual(['one']);
    const late = add('three', 'a late arrival with quicksilver');
    expect(await subjects('quick')).toEqual(['three', 'one']);
    store.delete([late]);
    expect(await subjects('quick')).toEqual(['one']);
    store.clear();
    add('four', 'quick again');
    expect(await subjects('quick')).toEqual(['four']);
    // Prepared without blocking (in slices), with a message arriving while it runs.
    for (let i = 0; i < 1200; i++) add(`bulk ${i}`, i === 700 ? 'needle' : 'hay');
    const preparing = search(store, 'needle', 0, 50);
    add('during', 'needle too');
    // A message that arrives while the search runs is found too (it is decoded, not yet indexed).
    expect((await preparing).page.map((m) => m.summary.Subject)).toEqual(['during', 'bulk 700']);
    expect(await subjects('needle')).toEqual(['during', 'bulk 700']);
  });

  it('does not keep evicted messages alive when nobody searches', async () => {
    const { MessageStore } = await import('../store/store');
    const { summarize } = await import('../mail/summary');
    const { search } = await import('./search');
    const store = new MessageStore({ maxMessages: 10, maxBytes: 0 });
    const add = (body: string): void => {
      const raw = Buffer.from(`Subject: s\r\n\r\n${'filler '.repeat(60)}${body}\r\n`);
      const envelope = { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] };
      const session = { clientAddress: '127.0.0.1', helo: 'h', secure: false, tls: null, username: '', transcript: [] };
      store.add({ raw, envelope, session, created: new Date() }, summarize(raw, envelope, ''));
    };
    add('first');
    expect((await search(store, 'first', 0, 10)).matched).toBe(1);
    for (let i = 0; i < 5000; i++) add(`word${i}`);
    // A search rebuilds from the ten messages kept.
    expect((await search(store, 'word4999', 0, 10)).matched).toBe(1);
    const { SearchBudget } = await import('./budget');
    const found = await store.bodyLookup(['word'], new SearchBudget());
    expect(found.postings.get('word')?.size).toBe(10);
  });
});

describe('search budget', () => {
  it('stops a search past its work budget with SearchTooExpensiveError', async () => {
    const { MessageStore } = await import('../store/store');
    const { summarize } = await import('../mail/summary');
    const { eachMatch, SearchTooExpensiveError } = await import('./search');
    const { SearchBudget } = await import('./budget');
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    for (let i = 0; i < 3000; i++) {
      const raw = Buffer.from(`Subject: s${i}\r\n\r\n${'filler words '.repeat(200)}\r\n`);
      const envelope = { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] };
      const session = { clientAddress: '127.0.0.1', helo: 'h', secure: false, tls: null, username: '', transcript: [] };
      store.add({ raw, envelope, session, created: new Date() }, summarize(raw, envelope, ''));
    }
    // A word longer than any indexed one: every body is decoded, far past a 1 ms budget.
    const run = eachMatch(store, 'x'.repeat(60), undefined, () => undefined, new SearchBudget(1));
    await expect(run).rejects.toBeInstanceOf(SearchTooExpensiveError);
    await expect(run).rejects.toThrow(/search too expensive.*narrow it/);
    // The same search within the default budget completes.
    let seen = 0;
    await eachMatch(store, 'x'.repeat(60), undefined, () => seen++);
    expect(seen).toBe(0);
  });
});

describe('search budget and the shared body index', () => {
  it('does not charge building the body index to the first body-word search', async () => {
    const { MessageStore } = await import('../store/store');
    const { summarize } = await import('../mail/summary');
    const { eachMatch } = await import('./search');
    const { SearchBudget } = await import('./budget');
    const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
    // Many words a body and few messages: indexing is costly, the scan after it is not.
    const vocabulary = Array.from({ length: 3990 }, (_, j) => `term${j}`).join(' ');
    for (let i = 0; i < 600; i++) {
      const raw = Buffer.from(`Subject: s${i}\r\n\r\n${vocabulary} needle${i}\r\n`);
      const envelope = { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] };
      const session = { clientAddress: '127.0.0.1', helo: 'h', secure: false, tls: null, username: '', transcript: [] };
      store.add({ raw, envelope, session, created: new Date() }, summarize(raw, envelope, ''));
    }
    // Well below what building this index takes on any machine (350 ms or more here), so that a
    // search charged for it would run out.
    const budgetMs = 100;
    const started = performance.now();
    const seen: string[] = [];
    await eachMatch(store, 'needle599', undefined, (m) => seen.push(m.summary.Subject), new SearchBudget(budgetMs));
    expect(seen).toEqual(['s599']);
    // Only meaningful if building the index took longer than the whole budget.
    expect(performance.now() - started).toBeGreaterThan(budgetMs);
  });
});
