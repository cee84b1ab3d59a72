/**
 * IMAP response data (RFC 3501 section 4): strings as quoted strings when they can be, literals
 * otherwise, NIL for absent values, and parenthesised lists. Responses are built as lists of pieces
 * (text and Buffers) so that message bytes are written as they are, never re-encoded.
 */

/** A piece of a response: text (UTF-8 on the wire) or bytes. */
export type Piece = string | Buffer;

/** A quoted string needs none of these; a literal carries anything. */
const QUOTABLE = /^[\x20-\x7e]*$/;

/** An IMAP string: quoted when plain ASCII and short, a literal otherwise (CR, LF, 8-bit, long). */
export function str(value: string): Piece {
  if (value.length <= 1024 && QUOTABLE.test(value)) return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return literal(Buffer.from(value, 'utf8'));
}

/** A string or NIL. */
export function nstr(value: string | null | undefined): Piece {
  return value === null || value === undefined ? 'NIL' : str(value);
}

/** A literal of exactly these bytes: `{N}` CRLF and the bytes. */
export function literal(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
}

/** A parenthesised list of pieces separated by spaces; empty lists are `()`. */
export function list(items: Piece[]): Piece[] {
  const out: Piece[] = ['('];
  items.forEach((item, i) => {
    if (i > 0) out.push(' ');
    out.push(item);
  });
  out.push(')');
  return out;
}

/** Joins pieces into one Buffer for writing. */
export function join(pieces: Piece[]): Buffer {
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

/** Flattens nested piece lists. */
export function flat(items: (Piece | Piece[])[]): Piece[] {
  const out: Piece[] = [];
  for (const item of items) {
    if (Array.isArray(item)) out.push(...item);
    else out.push(item);
  }
  return out;
}

/** An RFC 3501 date-time, `"01-Dec-2026 16:30:00 +0000"`, for INTERNALDATE (in UTC). */
export function dateTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, ' ');
  return `"${day}-${months[date.getUTCMonth()]}-${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000"`;
}
