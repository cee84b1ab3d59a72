import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { describe, expect, test } from 'vitest';
import { MessageWindow, PAGE_SIZE, type PageResult } from './message-window';

function summary(id: string, read = false): MessageSummary {
  return {
    ID: id,
    MessageID: `${id}@test`,
    Read: read,
    From: { Name: '', Address: 'a@example.test' },
    To: [],
    Cc: [],
    Bcc: [],
    ReplyTo: [],
    Subject: id,
    Created: new Date(0).toISOString(),
    Username: '',
    Tags: [],
    Size: 1,
    Attachments: 0,
    Snippet: '',
  };
}

/** A fake server: `store` newest first, pages answered only when the test releases them. */
function server(store: MessageSummary[]) {
  const pending: { start: number; limit: number; resolve: (r: PageResult) => void }[] = [];
  const fetchPage = (start: number, limit: number) =>
    new Promise<PageResult>((resolve) => pending.push({ start, limit, resolve }));
  /** Answers the oldest request from `snapshot` (the store as it was when the server computed it). */
  const answer = async (snapshot = store) => {
    const next = pending.shift();
    if (!next) throw new Error('no request pending');
    next.resolve({
      matching: snapshot.length,
      unread: snapshot.filter((m) => !m.Read).length,
      messages: snapshot.slice(next.start, next.start + next.limit),
    });
    await Promise.resolve();
    await Promise.resolve();
  };
  return { fetchPage, answer, pending };
}

const ids = (win: MessageWindow, from: number, to: number) => win.slice(from, to).map((m) => m.ID);

describe('MessageWindow', () => {
  test('fetches only the pages in view and keeps the rest as empty slots', async () => {
    const store = Array.from({ length: 1000 }, (_, i) => summary(`m${1000 - i}`));
    const s = server(store);
    const win = new MessageWindow(s.fetchPage);
    win.want(0, 20);
    await s.answer();
    expect(win.size).toBe(1000);
    expect(win.at(0)?.ID).toBe('m1000');
    expect(win.at(PAGE_SIZE)).toBeUndefined();
    win.want(500, 520);
    expect(s.pending.map((p) => p.start)).toEqual([500]);
    await s.answer();
    expect(win.at(500)?.ID).toBe('m500');
  });

  test.each([
    ['computed before the arrivals, answered after their events', 'before'],
    ['computed after the arrivals, answered before their events', 'after-early'],
    ['computed after the arrivals, answered after their events', 'after-late'],
  ])('a page in flight while new mail arrives lands in the right rows: %s', async (_, order) => {
    const store = Array.from({ length: 300 }, (_, i) => summary(`m${300 - i}`));
    const s = server(store);
    const win = new MessageWindow(s.fetchPage);
    win.want(0, 10);
    await s.answer();
    win.want(200, 210);
    const before = [...store];
    store.unshift(summary('n2'), summary('n1'));
    const events = () => win.apply({ added: [summary('n1'), summary('n2')] });
    if (order === 'before') {
      events();
      await s.answer(before);
    } else if (order === 'after-early') {
      await s.answer();
      events();
    } else {
      events();
      await s.answer();
    }
    expect(ids(win, 0, 2)).toEqual(['n2', 'n1', 'm300']);
    expect(win.at(202)?.ID).toBe('m100');
    expect(win.size).toBe(302);
  });

  test('deletes, read changes and arrivals apply in one pass, with the counts kept', async () => {
    const s = server([summary('c'), summary('b', true), summary('a')]);
    const win = new MessageWindow(s.fetchPage);
    win.want(0, 10);
    await s.answer();
    expect(win.unread).toBe(2);
    win.apply({ added: [summary('d')], removed: new Set(['b']), updated: new Map([['a', { Read: true }]]) });
    expect(ids(win, 0, 10)).toEqual(['d', 'c', 'a']);
    expect(win.matching).toBe(3);
    expect(win.unread).toBe(2);
    // The same arrival twice (a reconnect replays nothing, but be safe) is kept once.
    win.apply({ added: [summary('d')] });
    expect(win.size).toBe(3);
  });

  test('a page in flight across a delete is dropped and asked again', async () => {
    const store = Array.from({ length: 250 }, (_, i) => summary(`m${250 - i}`));
    const s = server(store);
    const win = new MessageWindow(s.fetchPage);
    win.want(0, 10);
    await s.answer();
    win.want(100, 110);
    win.apply({ removed: new Set(['m250']) });
    store.shift();
    // The first request was aborted and a new one made: answer both, only the second counts.
    expect(s.pending.length).toBeGreaterThanOrEqual(1);
    while (s.pending.length > 0) await s.answer();
    expect(win.at(100)?.ID).toBe('m149');
  });
});
