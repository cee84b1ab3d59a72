/**
 * Fast paths for the header values almost every message has in their plainest form. The ingest path
 * reads From, To, Cc, Subject and a few Content-Type values per message; the general parsers
 * (nodemailer's addressparser, libmime's parseHeaderValue and decodeWords) cost about 60 µs per
 * message between them, a fifth of what the bare smtp-server sink spends on a whole message. Each
 * fast path accepts only input whose meaning is unambiguous and answers exactly as the general parser
 * would; anything else (comments, groups, escapes, encoded words, RFC 2231 parameters, IDN domains)
 * returns undefined and goes the general way.
 */

/**
 * Longest value the address fast path reads. Plain From and To values are far shorter; longer ones go
 * the general way, whose input the summary caps in its turn.
 */
export const FAST_ADDRESS_MAX = 4096;

function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  return table;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Local-part characters that need no quoting (RFC 5322 atext and the dot). */
const LOCAL = charTable(`${ALNUM}!#$%&'*+/=?^_\`{|}~.-`);
/** Domain characters without IDN (which the general path decodes). */
const DOMAIN = charTable(`${ALNUM}.-`);
/** A display name without quotes that needs no decoding. */
const NAME = charTable(`${ALNUM} _'-`);

const inTable = (table: Uint8Array, code: number): boolean => code < 128 && table[code] === 1;
/** ASCII whitespace, as `\s` matches it in ASCII. */
const isWhite = (code: number): boolean => code === 0x20 || (code >= 0x09 && code <= 0x0d);

/**
 * A single, plain address header value as `{ name, address }`, or undefined to parse it in full:
 * `"Quoted Name" <a@b>`, `Plain Name <a@b>`, `<a@b>` or `a@b`. A character loop that reads each
 * character at most twice: the regular expressions it replaces let a lazy name group and the `\s*`
 * after it both take spaces, so `a<100,000 spaces>x` cost quadratic time (17 s of the main thread
 * for a 98 KB header).
 */
export function simpleAddress(value: string): { name: string; address: string } | undefined {
  const n = value.length;
  if (n > FAST_ADDRESS_MAX || value.includes('xn--')) return undefined;
  let i = 0;
  while (i < n && isWhite(value.charCodeAt(i))) i++;
  const begin = i;
  let name: string;
  if (value.charCodeAt(i) === 0x22) {
    let close = i + 1;
    while (close < n && value.charCodeAt(close) !== 0x22 && value.charCodeAt(close) !== 0x5c) close++;
    if (close >= n || value.charCodeAt(close) !== 0x22) return undefined;
    name = value.slice(i + 1, close);
    i = close + 1;
  } else {
    while (i < n && inTable(NAME, value.charCodeAt(i))) i++;
    name = value.slice(begin, i);
  }
  while (i < n && isWhite(value.charCodeAt(i))) i++;
  if (value.charCodeAt(i) !== 0x3c) {
    // No angle brackets: a bare address or nothing we read here.
    if (value.charCodeAt(begin) === 0x22) return undefined;
    const end = readAddress(value, begin);
    return end !== -1 && restIsWhite(value, end) ? { name: '', address: value.slice(begin, end) } : undefined;
  }
  const end = readAddress(value, i + 1);
  if (end === -1 || value.charCodeAt(end) !== 0x3e || !restIsWhite(value, end + 1)) return undefined;
  return { name: name.trim(), address: value.slice(i + 1, end) };
}

/** The end of `local@domain` starting at `start`, or -1 when there is none there. */
function readAddress(value: string, start: number): number {
  let i = start;
  while (i < value.length && inTable(LOCAL, value.charCodeAt(i))) i++;
  if (i === start || value.charCodeAt(i) !== 0x40) return -1;
  const domain = ++i;
  while (i < value.length && inTable(DOMAIN, value.charCodeAt(i))) i++;
  return i === domain ? -1 : i;
}

function restIsWhite(value: string, from: number): boolean {
  for (let i = from; i < value.length; i++) if (!isWhite(value.charCodeAt(i))) return false;
  return true;
}

/** A header value without encoded words: whitespace collapsed, as decodeWords then the summary do. */
export function plainWords(value: string): string | undefined {
  if (value.includes('=?')) return undefined;
  return /\s\s|[\t\r\n]/.test(value) ? value.replace(/\s+/g, ' ').trim() : value.trim();
}

/** RFC 2045 token characters (no tspecials, no space, no controls), as a lookup table. */
const TOKEN_CHAR = charTable(`${ALNUM}!#$%&'+.^_\`{|}~-`);

const isToken = (code: number): boolean => inTable(TOKEN_CHAR, code);
const isSpace = (code: number): boolean => code === 0x20 || code === 0x09;

/**
 * `type/subtype; key=value; key2="quoted"` as libmime's parseHeaderValue reads it (names lower-cased,
 * the first of a repeated parameter wins), or undefined for anything less plain. A character loop:
 * the same grammar as a regular expression cost 10 µs per message.
 */
export function simpleHeaderValue(value: string): { value: string; params: Record<string, string> } | undefined {
  const n = value.length;
  let i = 0;
  while (i < n && isSpace(value.charCodeAt(i))) i++;
  const typeStart = i;
  while (i < n && isToken(value.charCodeAt(i))) i++;
  if (i === typeStart) return undefined;
  if (value.charCodeAt(i) === 0x2f) {
    i++;
    const sub = i;
    while (i < n && isToken(value.charCodeAt(i))) i++;
    if (i === sub) return undefined;
  }
  const type = value.slice(typeStart, i);
  const params: Record<string, string> = {};
  for (;;) {
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (i === n) return { value: type, params };
    if (value.charCodeAt(i) !== 0x3b) return undefined;
    i++;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    // A trailing semicolon.
    if (i === n) return { value: type, params };
    const keyStart = i;
    while (i < n && isToken(value.charCodeAt(i))) i++;
    if (i === keyStart) return undefined;
    const key = value.slice(keyStart, i).toLowerCase();
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (value.charCodeAt(i) !== 0x3d) return undefined;
    i++;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    let v: string;
    if (value.charCodeAt(i) === 0x22) {
      const close = value.indexOf('"', i + 1);
      if (close === -1) return undefined;
      v = value.slice(i + 1, close);
      if (v.includes('\\')) return undefined;
      i = close + 1;
    } else {
      const valueStart = i;
      while (i < n && isToken(value.charCodeAt(i))) i++;
      if (i === valueStart) return undefined;
      v = value.slice(valueStart, i);
    }
    // RFC 2231 names (`filename*`) never get here: `*` is not a token character of ours.
    if (key === '__proto__') return undefined;
    if (!Object.hasOwn(params, key)) params[key] = v;
  }
}
