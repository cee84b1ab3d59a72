/**
 * Searches cannot stall the server: a query is bounded in terms and in work, and what work it does
 * runs in slices that yield, so a real SMTP client keeps getting every reply within 100 ms while
 * adversarial queries run over a store with a large body vocabulary. Pigeonhole and the SMTP client
 * run in a process of their own, so that the 100 ms are the server's and not this test runner's.
 */
import { describe, expect, it } from 'vitest';
import { latencyNote, startProcess, type PigeonholeProcess } from './helpers/pigeonhole-process';
import { transport } from './helpers/smtp';

const MESSAGES = 400;
const WORDS_PER_MESSAGE = 1000;

/** Word `j` of message `i`: distinct across the store, so the body dictionary holds 400,000 words. */
const word = (i: number, j: number) => `m${i.toString(36)}x${j.toString(36)}q`;

async function fill(p: PigeonholeProcess): Promise<void> {
  const mailer = transport(p, { pool: true } as Parameters<typeof transport>[1]);
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const text = Array.from({ length: WORDS_PER_MESSAGE }, (_, j) => word(i, j)).join(' ');
    sends.push(mailer.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: `vocab ${i}`, text }));
  }
  await Promise.all(sends);
  mailer.close();
}

interface Answer {
  status: number;
  text: string;
}

async function get(base: string, path: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, text: await res.text() };
}

const search = (base: string, query: string) => get(base, `/api/v1/search?query=${encodeURIComponent(query)}`);

describe('searches that cannot stall the server', () => {
  it('answers adversarial queries over 400 messages while an SMTP client gets every reply within 100 ms', async () => {
    const p = await startProcess({ options: { max: 0 } });
    await fill(p);
    const base = p.httpUrl;
    // The index is built once (in slices too); the attack is the queries that follow.
    expect(JSON.parse((await search(base, word(5, 10))).text).messages_count).toBe(1);

    const probe = await p.probe();
    const distinctNegated = (n: number) => Array.from({ length: n }, (_, i) => `-zz${i.toString(36)}`).join(' ');
    const longWords = Array.from({ length: 10 }, (_, i) => String.fromCharCode(97 + i).repeat(120)).join(' ');
    const phrases = Array.from({ length: 40 }, (_, i) => `"${word(i, 1)} ${word(i, 2)}"`).join(' ');
    const dates = Array.from({ length: 20 }, (_, i) => `before:2099-01-${String(i + 1).padStart(2, '0')}`).join(' ');
    const flags = `is:unread -is:read -is:tagged -has:attachment -has:inline larger:1 smaller:10M ${dates}`;
    const [same300, distinct300, negated50, quoted, long, filters, tooLong, mailhog, remove, markRead] =
      await Promise.all([
        // The 1,800-character query of 300 negated terms: the same term 300 times is one term.
        search(base, Array(300).fill('-zzz').join(' ')),
        // 300 distinct terms: refused outright, with a message that says why.
        search(base, distinctNegated(300)),
        // The most a query may have: 50 distinct negated body words, one pass over the dictionary.
        search(base, distinctNegated(50)),
        search(base, phrases),
        search(base, longWords),
        search(base, flags),
        search(base, 'w'.repeat(2001)),
        get(base, `/api/v2/search?kind=containing&query=${encodeURIComponent('no such text anywhere')}`),
        get(base, `/api/v1/search?query=${encodeURIComponent(`${distinctNegated(49)} -subject:vocab`)}`, {
          method: 'DELETE',
        }),
        get(base, '/api/v1/messages', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ Read: true, Search: distinctNegated(50) }),
        }),
      ]);
    const report = await probe.stop();

    expect(same300.status).toBe(200);
    expect(JSON.parse(same300.text).messages_count).toBeGreaterThanOrEqual(MESSAGES);
    expect(distinct300).toEqual({ status: 400, text: expect.stringMatching(/too many search terms.*50/) });
    expect(negated50.status).toBe(200);
    expect(JSON.parse(negated50.text).messages_count).toBeGreaterThanOrEqual(MESSAGES);
    // Each phrase names two words of a different message: no message has them all.
    expect(quoted.status).toBe(200);
    expect(JSON.parse(quoted.text).messages_count).toBe(0);
    // Words too long for the index decode bodies: answered, or refused as too expensive, never hung.
    expect([200, 503]).toContain(long.status);
    if (long.status === 503) expect(long.text).toMatch(/search too expensive.*narrow it/);
    expect(filters.status).toBe(200);
    expect(JSON.parse(filters.text).messages_count).toBeGreaterThanOrEqual(MESSAGES);
    expect(tooLong).toEqual({ status: 400, text: expect.stringMatching(/2000 characters/) });
    expect(mailhog.status).toBe(200);
    expect(JSON.parse(mailhog.text).total).toBe(0);
    expect(remove.status).toBe(200);
    expect(markRead.status).toBe(200);

    expect(report.unexpected).toEqual([]);
    expect(report.delivered).toBeGreaterThan(0);
    console.log(latencyNote(report));
    expect(report.maxMs, latencyNote(report)).toBeLessThan(100);
    // The vocabulary messages were kept (the delete matched only messages whose subject is not "vocab").
    expect(JSON.parse((await search(base, 'subject:vocab')).text).messages_count).toBe(MESSAGES);
  });
});
