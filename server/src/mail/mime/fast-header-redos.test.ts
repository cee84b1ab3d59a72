import fc from 'fast-check';
import addressparser from 'nodemailer/lib/addressparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAST_ADDRESS_MAX, simpleAddress, simpleHeaderValue, plainWords } from './fast-header';
import { summarize } from '../summary';

/**
 * Adversarial header values against the ingest path: every call must stay linear. Budgets are per
 * call and generous (a machine shared by several runs); the quadratic regular expression these guard
 * against took 10 s for 100,000 spaces.
 */

/** Characters that regular expressions over addresses tend to backtrack on. */
const PIECES = [' ', '  ', '\t', '<', '>', '"', '\\', '@', '.', 'a', 'x', 'Bob', ',', ';', ':', '(', ')', '=?', '?='];
const piece = fc.constantFrom(...PIECES);
/** A run of one piece repeated, mixed with other pieces: the shapes that make backtracking blow up. */
const adversarial = (maxRun: number) =>
  fc
    .array(fc.tuple(piece, fc.integer({ min: 1, max: maxRun })), { minLength: 1, maxLength: 6 })
    .map((runs) => runs.map(([p, n]) => p.repeat(n)).join(''));

/**
 * The time of one call, the best of three: a garbage collection or another process on a shared
 * machine can pause any one call, while a quadratic path is slow every time.
 */
const budgetMs = (fn: () => unknown): number => {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
};

const envelope = { mailFrom: 'bounce@example.test', rcptTo: ['to@example.test'] };

/** fast-check's report would print the whole 200 KB counterexample: its shape is enough. */
function shortReport<T>(run: fc.RunDetails<T>): void {
  if (!run.failed) return;
  const example = JSON.stringify(run.counterexample)?.replace(/(.)\1{20,}/g, (m, c: string) => `${c}x${m.length}`);
  throw new Error(`property failed: ${String(run.errorInstance)}\ncounterexample: ${example?.slice(0, 2000)}`);
}

beforeAll(() => {
  // libmime is loaded on first use (about 100 ms): not a cost of the first timed call.
  summarize(
    Buffer.from('Subject: =?utf-8?q?a?=\r\nContent-Type: text/plain; a*=b\r\nTo: a (b) <c@d>\r\n\r\nx'),
    envelope,
    '',
  );
});

describe('header fast path under adversarial input', () => {
  it('agrees with addressparser on whatever it accepts', () => {
    fc.assert(
      fc.property(adversarial(8), (value) => {
        const fast = simpleAddress(value);
        if (!fast) return;
        const general = addressparser(value, { flatten: true });
        expect(general, JSON.stringify(value)).toHaveLength(1);
        expect(fast, JSON.stringify(value)).toEqual({ name: general[0]!.name.trim(), address: general[0]!.address });
      }),
      { numRuns: 2000, reporter: shortReport },
    );
  });

  it('answers a 100,000-space From value in linear time', () => {
    for (const value of [
      'a' + ' '.repeat(100_000) + 'x',
      'a' + ' '.repeat(100_000) + '<x@y>',
      ' '.repeat(4000) + 'x',
    ]) {
      expect(budgetMs(() => simpleAddress(value))).toBeLessThan(50);
    }
    // The cap: beyond it the general way decides, even for a well-formed value.
    expect(simpleAddress(`${' '.repeat(FAST_ADDRESS_MAX)}<a@example.test>`)).toBeUndefined();
    expect(simpleAddress(`${'n'.repeat(FAST_ADDRESS_MAX - 20)} <a@example.test>`)).toBeDefined();
  });

  it('keeps every fast path within 50 ms and the whole summary within 250 ms a call on values up to 900 KB', () => {
    fc.assert(
      fc.property(
        adversarial(50_000),
        fc.constantFrom('From', 'To', 'Cc', 'Subject', 'Content-Type'),
        (value, name) => {
          expect(budgetMs(() => simpleAddress(value))).toBeLessThan(50);
          expect(budgetMs(() => simpleHeaderValue(value))).toBeLessThan(50);
          expect(budgetMs(() => plainWords(value))).toBeLessThan(50);
          const raw = Buffer.from(`${name}: ${value}\r\nX-Tags: ${value}\r\n\r\nbody\r\n`, 'latin1');
          expect(budgetMs(() => summarize(raw, envelope, ''))).toBeLessThan(250);
        },
      ),
      { numRuns: 60, reporter: shortReport },
    );
  });

  it('caps what the general parsers are handed: a hostile megabyte of addresses', () => {
    for (const value of ['a;'.repeat(500_000), '"'.repeat(1_000_000), 'a@b, '.repeat(200_000)]) {
      const raw = Buffer.from(`From: x@example.test\r\nTo: ${value}\r\nCc: ${value}\r\n\r\nbody\r\n`, 'latin1');
      // Uncapped, addressparser alone took 600 ms for the first.
      expect(budgetMs(() => summarize(raw, envelope, ''))).toBeLessThan(400);
    }
    // What fits in the cap (64 KiB of address headers in all) is still read; the rest is left.
    const many = Array.from({ length: 20_000 }, (_, i) => `"User ${i}" <user${i}@example.test>`).join(', ');
    const s = summarize(Buffer.from(`To: ${many}\r\nCc: ${many}\r\n\r\nx\r\n`), envelope, '');
    expect(s.To[0]!.Address).toBe('user0@example.test');
    expect(s.To.length).toBeGreaterThan(1000);
    expect(s.To.length + s.Cc.length).toBeLessThan(3000);
  });
});
