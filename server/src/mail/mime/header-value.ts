import type { Address } from '@pigeonhole/shared/schemas/common';
import addressparser from 'nodemailer/lib/addressparser';
import { mime } from '../mailparser-adapter';
import { decodeUtf7 } from './charset';
import { plainWords, simpleAddress, simpleHeaderValue } from './fast-header';
import type { HeaderMap } from './headers';

/**
 * Header values decoded: RFC 2047 encoded words, `type; key=value` parameters and address lists,
 * each by its fast path when the value is plain (fast-header.ts) and by the general parser, within a
 * bound, when not.
 */

/**
 * Most characters of one header value handed to libmime (decodeWords, parseHeaderValue). Both are
 * linear but slow, about 100 ms a megabyte on this machine, and a header block may hold a megabyte:
 * no summary field needs more than the start of such a value (the raw bytes keep all of it).
 */
const GENERAL_VALUE_MAX = 16 * 1024;
/**
 * Most characters of a message's address headers (all of them together) handed to addressparser:
 * 1,000 recipients of 60 characters fit. addressparser costs about a microsecond per address, up to
 * 600 ms for a hostile megabyte (`a;a;...`); the plain ones the fast path reads cost nothing of it.
 */
export const GENERAL_ADDRESSES_MAX = 64 * 1024;

/** A header value with its encoded words decoded and whitespace collapsed; the value itself if it cannot be. */
export function decodeWords(value: string): string {
  const plain = plainWords(value);
  if (plain !== undefined) return plain;
  try {
    const cut = value.slice(0, GENERAL_VALUE_MAX);
    return mime()
      .decodeWords(UTF7_WORD.test(cut) ? decodeUtf7Words(cut) : cut)
      .replace(/\s+/g, ' ')
      .trim();
  } catch {
    return value;
  }
}

/** A UTF-7 encoded word (`[^?]*` stops at the first `?`: linear). */
const UTF7_WORD = /=\?(?:unicode-1-1-)?utf-?7(?:\*[^?]*)?\?([QqBb])\?([^?]*)\?=/i;
const UTF7_WORDS = new RegExp(`${UTF7_WORD.source}(?:\\s+(?==\\?))?`, 'gi');

/**
 * UTF-7 encoded words decoded here, for libmime decodes UTF-7 as UTF-8 on purpose (it can smuggle
 * `<script>` past a filter of HTML). A header is shown as text, never as markup, so decoding it is
 * safe; white space between two encoded words goes, as RFC 2047 section 6.2 says.
 */
function decodeUtf7Words(value: string): string {
  return value.replace(UTF7_WORDS, (_, kind: string, text: string) => {
    const bytes =
      kind.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    return decodeUtf7(bytes);
  });
}

/**
 * Parses address headers, decoding RFC 2047 names and flattening groups; values the fast path cannot
 * read spend `budget` (characters handed to addressparser), and what is past it is left unread.
 */
export function parseAddresses(headers: HeaderMap, name: string, budget: { left: number }): Address[] {
  const out: Address[] = [];
  for (const value of headers.get(name) ?? []) {
    const simple = simpleAddress(value);
    if (simple) {
      out.push({ Name: decodeWords(simple.name), Address: simple.address });
      continue;
    }
    if (budget.left <= 0) break;
    // Cut at the last comma inside the budget, so that no address is read half (if there is one).
    const comma = value.length <= budget.left ? -1 : value.lastIndexOf(',', budget.left);
    const cut = value.length <= budget.left ? value : value.slice(0, comma > 0 ? comma : budget.left);
    budget.left -= cut.length;
    for (const entry of addressparser(cut.replace(LONE_COMMENT, '$1'), { flatten: true })) {
      // A comment (`a@x, (note)`) or an empty group (`Undisclosed recipients:;`) names nobody: RFC 5322
      // makes neither an address, and Python's email package (policy.default) yields none for either.
      if (!entry.address) continue;
      out.push({ Name: decodeWords(entry.name), Address: entry.address });
    }
  }
  return out;
}

/**
 * A comment standing alone between commas (`a@x, (note), b@x`): addressparser would make it the
 * next address's name. One beside an address (`bob@x (Bob)`) is kept: it is that address's name.
 */
const LONE_COMMENT = /(^|,)\s*\([^()"]*\)\s*(?=,|;|$)/g;

/** `type/subtype; key=value` (Content-Type, Content-Disposition) as a value and its parameters. */
export function parseValue(value: string): { value: string; params: Record<string, string | undefined> } {
  if (!value) return { value: '', params: {} };
  const simple = simpleHeaderValue(value);
  if (simple) return simple;
  try {
    const parsed = mime().parseHeaderValue(value.slice(0, GENERAL_VALUE_MAX));
    return { value: parsed.value, params: parsed.params as Record<string, string | undefined> };
  } catch {
    return { value, params: {} };
  }
}
