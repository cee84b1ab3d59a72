import { ParseError } from './parser';

/**
 * Sequence sets (RFC 3501 section 9, `sequence-set`): `1:3,5,7:*`. Kept as ranges and tested for
 * membership, never expanded, so `1:4294967295` costs what `1` does.
 */

/** Most ranges in one set; a client that syncs sends a handful, mbsync a few dozen. */
export const MAX_RANGES = 1000;

/** Inclusive ranges, low to high. */
export type SequenceSet = readonly (readonly [number, number])[];

const NUMBER = /^[1-9]\d{0,9}$/;

function value(text: string, star: number): number {
  if (text === '*') return star;
  if (!NUMBER.test(text)) throw new ParseError(`bad sequence number ${JSON.stringify(text.slice(0, 20))}`);
  const n = Number(text);
  if (n > 0xffffffff) throw new ParseError('sequence number out of range');
  return n;
}

/**
 * Parses a set; `*` stands for `star` (the highest sequence number or UID; 0 in an empty mailbox,
 * which then matches nothing). A range's ends may come in either order.
 */
export function parseSequenceSet(text: string, star: number): SequenceSet {
  const items = text.split(',');
  if (items.length > MAX_RANGES) throw new ParseError('sequence set too long');
  return items.map((item) => {
    const [a = '', b, extra] = item.split(':');
    if (extra !== undefined) throw new ParseError('bad sequence range');
    const lo = value(a, star);
    const hi = b === undefined ? lo : value(b, star);
    return lo <= hi ? ([lo, hi] as const) : ([hi, lo] as const);
  });
}

/** True when `n` is in the set. */
export function inSet(set: SequenceSet, n: number): boolean {
  for (const [lo, hi] of set) if (n >= lo && n <= hi) return true;
  return false;
}

/** The highest number the set names (for telling a client that it asked beyond the mailbox). */
export function highest(set: SequenceSet): number {
  let max = 0;
  for (const [, hi] of set) if (hi > max) max = hi;
  return max;
}
