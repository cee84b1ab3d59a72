import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodyIndex, words } from './body-index';

const noPause = { step: () => null };

describe('body index', () => {
  it('cuts words exactly as the Unicode expression does, on ASCII and on any text', () => {
    const reference = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'grapheme' })), (text) => {
        expect(words(text)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
    expect(words('Straße 42, KELVIN \u212a and x-ray')).toEqual(['straße', '42', 'kelvin', 'k', 'and', 'x', 'ray']);
  });

  it('lists each message once per word, by substring, and drops deleted ones when compacted', async () => {
    const index = new BodyIndex();
    index.add(1, 'alpha beta alpha alpha');
    index.add(2, 'beta gamma');
    index.add(3, 'alphabet');
    index.add(300, 'beta');
    const found = await index.lookup(['alpha', 'beta', 'gamma', 'x'], noPause);
    expect([...found.postings.keys()]).toEqual(['alpha', 'beta', 'gamma']);
    expect([...found.postings.get('alpha')!]).toEqual([1, 3]);
    expect([...found.postings.get('beta')!].sort((a, b) => a - b)).toEqual([1, 2, 300]);
    expect(found.coveredSeq).toBe(300);
    await index.compact(
      (seq) => seq !== 2 && seq !== 300,
      async () => {},
    );
    const after = await index.lookup(['beta', 'gamma'], noPause);
    expect([...after.postings.get('beta')!]).toEqual([1]);
    expect(after.postings.get('gamma')!.size).toBe(0);
    // Lists go on growing after a compaction.
    index.add(301, 'beta gamma');
    expect([...(await index.lookup(['gamma'], noPause)).postings.get('gamma')!]).toEqual([301]);
  });

  it('marks a message with more distinct words than it indexes as partial', async () => {
    const index = new BodyIndex();
    index.add(7, Array.from({ length: 4100 }, (_, i) => `w${i}`).join(' '));
    const found = await index.lookup(['w4099'], noPause);
    expect(found.postings.get('w4099')!.size).toBe(0);
    expect(found.partial.has(7)).toBe(true);
  });
});

describe('postings lists', () => {
  it('give back every seq in order as they grow from a small array into chains of links', async () => {
    const { Postings, PostingsArena } = await import('./postings');
    const arena = new PostingsArena();
    const seqs: number[] = [];
    let seq = 0;
    // Gaps from 1 to 5,000,000: one to four bytes a varint, across many 256-byte links.
    for (let i = 0; i < 20_000; i++) seqs.push((seq += 1 + ((i * 7919) % (i % 50 === 0 ? 5_000_000 : 300))));
    const lists = [new Postings(seqs[0]!, seqs[1]!, arena), new Postings(seqs[0]!, seqs[1]!, arena)];
    for (const s of seqs.slice(2)) for (const list of lists) list.push(s);
    for (const list of lists) {
      const out: number[] = [];
      list.each((s) => out.push(s));
      expect(out).toEqual(seqs);
    }
    expect(arena.bytes).toBeGreaterThan(2 * 20_000);
  });
});
