/**
 * Mailpit's search syntax, parsed into terms. Words must all match; `"an exact phrase"`; `-` or `!`
 * negates any term; `field:value` filters; see https://mailpit.axllent.org/docs/usage/search-filters/.
 */

import { MAX_QUERY_LENGTH } from '@pigeonhole/shared/schemas/messages';

/** Address and text fields that match by substring. */
export type TextField =
  'to' | 'from' | 'cc' | 'bcc' | 'reply-to' | 'addressed' | 'subject' | 'message-id' | 'tag' | 'via';

/** One parsed search term. */
export type Term =
  | { kind: 'text'; value: string; negate: boolean }
  | { kind: 'field'; field: TextField; value: string; negate: boolean }
  | { kind: 'is'; value: 'read' | 'unread' | 'tagged'; negate: boolean }
  | { kind: 'has'; value: 'attachment' | 'inline'; negate: boolean }
  | { kind: 'size'; op: 'larger' | 'smaller'; bytes: number; negate: boolean }
  | { kind: 'date'; op: 'before' | 'after'; at: number; negate: boolean };

/** A query that cannot be run, e.g. `larger:lots`; answered with 400 and this message. */
export class SearchSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchSyntaxError';
  }
}

const TEXT_FIELDS: readonly TextField[] = [
  'to',
  'from',
  'cc',
  'bcc',
  'reply-to',
  'addressed',
  'subject',
  'message-id',
  'tag',
  // Ours: `via:sendgrid` (or mailgun, postmark, resend, ses, smtp), the way a message arrived.
  'via',
];

function isTextField(key: string): key is TextField {
  return (TEXT_FIELDS as readonly string[]).includes(key);
}

/** Splits a query at spaces outside double quotes; quotes are removed, as Mailpit's tokenizer does. */
export function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (const char of query) {
    if (char === '"') {
      quoted = !quoted;
      started = true;
      continue;
    }
    if (!quoted && /\s/.test(char)) {
      if (started) tokens.push(current);
      current = '';
      started = false;
      continue;
    }
    current += char;
    started = true;
  }
  if (started) tokens.push(current);
  return tokens.filter((t) => t.length > 0);
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

function parseSize(value: string, token: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? 'x').toLowerCase()];
  if (!match || unit === undefined)
    throw new SearchSyntaxError(`invalid size in "${token}" (e.g. larger:1M, smaller:500KB)`);
  return Math.floor(Number(match[1]) * unit);
}

/** The offset of an IANA zone from UTC at an instant, in milliseconds. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * Parses a `before:`/`after:` date: `2024-05-01`, `2024-05-01 13:30`, `2024-05-01T13:30:00Z`, or
 * anything `Date.parse` reads. Dates without a zone are in `tz` (default UTC), as Mailpit's `tz`.
 */
export function parseDate(value: string, tz: string | undefined, token: string): number {
  const local = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (local) {
    const [, y, mo, d, h, mi, s] = local;
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
    if (!tz) return wall;
    // Two rounds settle the offset across a daylight-saving change.
    let at = wall - zoneOffset(wall, tz);
    at = wall - zoneOffset(at, tz);
    return at;
  }
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new SearchSyntaxError(`invalid date in "${token}" (e.g. after:2024-05-01)`);
  return parsed;
}

/** Checks a time zone name; an unknown one is a 400, not a silent UTC. */
export function checkTimeZone(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw new SearchSyntaxError(`unknown time zone "${tz}"`);
  }
}

/**
 * Distinct terms a query may have. Mailpit has no cap of its own (each term is one more `LIKE` over
 * every row, bounded only by SQLite's expression depth of 1,000), but it runs searches off the SMTP
 * thread; here every term is work on the one event loop, and no person types 50 filters.
 */
export const MAX_TERMS = 50;

/**
 * Parses a query into terms, each distinct term once. An empty query has no terms and matches
 * everything. More than {@link MAX_TERMS} distinct terms, or a query longer than
 * `MAX_QUERY_LENGTH` (the routes' schemas refuse those first), is a {@link SearchSyntaxError}.
 */
export function parseQuery(query: string, tz?: string): Term[] {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new SearchSyntaxError(`search query too long: ${query.length} characters (at most ${MAX_QUERY_LENGTH})`);
  }
  const zone = checkTimeZone(tz);
  const terms: Term[] = [];
  const seen = new Set<string>();
  const push = (term: Term): void => {
    const key = JSON.stringify(term);
    if (seen.has(key)) return;
    seen.add(key);
    terms.push(term);
    if (terms.length > MAX_TERMS) {
      throw new SearchSyntaxError(`too many search terms: more than ${MAX_TERMS} distinct terms; narrow the query`);
    }
  };
  for (const token of tokenize(query)) {
    let negate = false;
    let body = token;
    if ((body.startsWith('-') || body.startsWith('!')) && body.length > 1) {
      negate = true;
      body = body.slice(1);
    }
    const colon = body.indexOf(':');
    const key = colon > 0 ? body.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? body.slice(colon + 1) : '';
    if (key && value) {
      if (isTextField(key)) {
        push({ kind: 'field', field: key, value: value.toLowerCase(), negate });
        continue;
      }
      const v = value.toLowerCase();
      if (key === 'is' && (v === 'read' || v === 'unread' || v === 'tagged')) {
        push({ kind: 'is', value: v, negate });
        continue;
      }
      if (key === 'has' && (v === 'attachment' || v === 'attachments' || v === 'inline')) {
        push({ kind: 'has', value: v === 'inline' ? 'inline' : 'attachment', negate });
        continue;
      }
      if (key === 'larger' || key === 'smaller') {
        push({ kind: 'size', op: key, bytes: parseSize(value, token), negate });
        continue;
      }
      if (key === 'before' || key === 'after') {
        push({ kind: 'date', op: key, at: parseDate(value, zone, token), negate });
        continue;
      }
    }
    // Anything else, `foo:bar` included, is a word to find, as in Mailpit.
    push({ kind: 'text', value: body.toLowerCase(), negate });
  }
  return terms;
}
