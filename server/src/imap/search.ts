import { bodyText } from '../mail/summary';
import { first, parseHeaders, splitHeader } from '../mail/mime/headers';
import { BODY_SOURCE } from '../store/store';
import type { StoredMessage } from '../store/types';
import { atomOf, astring, ParseError, type Token } from './parser';
import { inSet, parseSequenceSet } from './sequence';

/**
 * SEARCH (RFC 3501 section 6.4.4) with the keys mail clients send: flags, addresses, subject, body
 * and text, dates, sizes, sequence and UID sets, NOT, OR and parenthesised groups. Keys that name
 * flags Pigeonhole does not keep (ANSWERED, FLAGGED, DRAFT, RECENT, keywords) match as if no
 * message had them. Strings match as case-insensitive substrings, as Dovecot's do; FROM, TO, CC,
 * BCC and SUBJECT compare with the decoded texts the web UI's search uses (the store's search
 * record), so they cost no read of the message.
 */

/** What a key is tested against. */
export interface Candidate {
  message: StoredMessage;
  /** Sequence number in the selected mailbox. */
  seq: number;
  deleted: boolean;
}

/** A compiled search. */
export type Matcher = (c: Candidate) => boolean;

/** Highest sequence number and UID, for `*`. */
export interface SearchBounds {
  maxSeq: number;
  maxUid: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** An RFC 3501 `date` (`1-Feb-1994`) as the UTC midnight it starts, in ms. */
function day(token: Token | undefined): number {
  const text = astring(token, 'date');
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month === -1) throw new ParseError(`bad date ${JSON.stringify(text.slice(0, 20))}`);
  return Date.UTC(Number(m[3]), month, Number(m[1]));
}

function startOfDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

function number(token: Token | undefined): number {
  const text = atomOf(token, 'number');
  if (!/^\d{1,10}$/.test(text)) throw new ParseError('number expected');
  return Number(text);
}

function headerText(message: StoredMessage): string {
  return message.withRaw((raw) => raw.toString('utf8', 0, splitHeader(raw).headerEnd));
}

function body(message: StoredMessage): string {
  return message.withRaw((raw) => bodyText(raw, BODY_SOURCE)).toLowerCase();
}

function sentDay(message: StoredMessage): number | null {
  const date = message.withRaw((raw) =>
    first(parseHeaders(raw.toString('utf8', 0, splitHeader(raw).headerEnd)), 'date'),
  );
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? null : startOfDay(ms);
}

/** Compiles search keys (after any CHARSET) into one matcher; throws ParseError on a bad key. */
export function compileSearch(args: readonly Token[], bounds: SearchBounds): Matcher {
  let at = 0;
  if (args[0]?.kind === 'atom' && args[0].value.toUpperCase() === 'CHARSET') {
    const charset = astring(args[1], 'charset').toUpperCase();
    if (charset !== 'UTF-8' && charset !== 'US-ASCII')
      throw new ParseError(`[BADCHARSET (UTF-8 US-ASCII)] ${charset.slice(0, 20)}`);
    at = 2;
  }
  const keys = args.slice(at);
  if (keys.length === 0) throw new ParseError('SEARCH needs a key');
  const state = { tokens: keys, at: 0 };
  const all: Matcher[] = [];
  while (state.at < state.tokens.length) all.push(key(state, bounds, 0));
  return (c) => all.every((m) => m(c));
}

interface Cursor {
  tokens: readonly Token[];
  at: number;
}

function key(cursor: Cursor, bounds: SearchBounds, depth: number): Matcher {
  if (depth > 32) throw new ParseError('search nested too deep');
  const token = cursor.tokens[cursor.at++];
  if (!token) throw new ParseError('search key expected');
  if (token.kind === 'list') {
    const inner: Cursor = { tokens: token.items, at: 0 };
    const all: Matcher[] = [];
    while (inner.at < inner.tokens.length) all.push(key(inner, bounds, depth + 1));
    if (all.length === 0) throw new ParseError('empty search group');
    return (c) => all.every((m) => m(c));
  }
  if (token.kind === 'string') throw new ParseError('search key expected');
  const name = token.value.toUpperCase();
  const arg = (): Token | undefined => cursor.tokens[cursor.at++];
  const text = (): string => astring(arg(), `${name} argument`).toLowerCase();
  switch (name) {
    case 'ALL':
    case 'OLD':
    case 'UNANSWERED':
    case 'UNFLAGGED':
    case 'UNDRAFT':
      return () => true;
    case 'ANSWERED':
    case 'FLAGGED':
    case 'DRAFT':
    case 'RECENT':
    case 'NEW':
      return () => false;
    case 'KEYWORD':
      arg();
      return () => false;
    case 'UNKEYWORD':
      arg();
      return () => true;
    case 'SEEN':
      return (c) => c.message.read;
    case 'UNSEEN':
      return (c) => !c.message.read;
    case 'DELETED':
      return (c) => c.deleted;
    case 'UNDELETED':
      return (c) => !c.deleted;
    case 'FROM': {
      const s = text();
      return (c) => c.message.record.from.includes(s);
    }
    case 'TO': {
      const s = text();
      return (c) => c.message.record.to.includes(s);
    }
    case 'CC': {
      const s = text();
      return (c) => c.message.record.cc.includes(s);
    }
    case 'BCC': {
      const s = text();
      return (c) => c.message.record.bcc.includes(s);
    }
    case 'SUBJECT': {
      const s = text();
      return (c) => c.message.record.subject.includes(s);
    }
    case 'HEADER': {
      const field = astring(arg(), 'header name').toLowerCase();
      const s = text();
      return (c) => {
        const values = c.message.withRaw((raw) =>
          parseHeaders(raw.toString('utf8', 0, splitHeader(raw).headerEnd)).get(field),
        );
        return values !== undefined && values.some((v) => v.toLowerCase().includes(s));
      };
    }
    case 'BODY': {
      const s = text();
      return (c) => body(c.message).includes(s);
    }
    case 'TEXT': {
      const s = text();
      return (c) => headerText(c.message).toLowerCase().includes(s) || body(c.message).includes(s);
    }
    case 'SINCE': {
      const d = day(arg());
      return (c) => startOfDay(c.message.created) >= d;
    }
    case 'BEFORE': {
      const d = day(arg());
      return (c) => startOfDay(c.message.created) < d;
    }
    case 'ON': {
      const d = day(arg());
      return (c) => startOfDay(c.message.created) === d;
    }
    case 'SENTSINCE': {
      const d = day(arg());
      return (c) => (sentDay(c.message) ?? -Infinity) >= d;
    }
    case 'SENTBEFORE': {
      const d = day(arg());
      return (c) => (sentDay(c.message) ?? Infinity) < d;
    }
    case 'SENTON': {
      const d = day(arg());
      return (c) => sentDay(c.message) === d;
    }
    case 'LARGER': {
      const n = number(arg());
      return (c) => c.message.rawLength > n;
    }
    case 'SMALLER': {
      const n = number(arg());
      return (c) => c.message.rawLength < n;
    }
    case 'UID': {
      const set = parseSequenceSet(atomOf(arg(), 'UID set'), bounds.maxUid);
      return (c) => inSet(set, c.message.seq);
    }
    case 'NOT': {
      const inner = key(cursor, bounds, depth + 1);
      return (c) => !inner(c);
    }
    case 'OR': {
      const a = key(cursor, bounds, depth + 1);
      const b = key(cursor, bounds, depth + 1);
      return (c) => a(c) || b(c);
    }
    default: {
      if (/^[\d*]/.test(name)) {
        const set = parseSequenceSet(name, bounds.maxSeq);
        return (c) => inSet(set, c.seq);
      }
      throw new ParseError(`unknown search key ${name.slice(0, 20)}`);
    }
  }
}
