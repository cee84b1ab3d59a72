import { first, headerText, parseHeaders, splitHeader, type HeaderMap } from './headers';
import { parseValue } from './header-value';

/** Nesting followed by any walk. */
const MAX_DEPTH = 20;

/** A part of a MIME tree other than a multipart with a boundary. */
export interface MimeLeaf {
  headers: HeaderMap;
  /** The Content-Type's value, lower-cased (`text/plain` when there is none). */
  mime: string;
  params: Record<string, string | undefined>;
  /** The body's range in the raw bytes. */
  start: number;
  end: number;
  /**
   * The part number, IMAP style (RFC 3501 section 6.4.5) as mailparser and Mailpit number parts:
   * `1.2` is the second part of the first; a message that is not multipart is part `1`.
   */
  path: string;
  /** The subtypes of the multiparts it is inside, outermost first (`['mixed', 'related']`). */
  within: string[];
}

/**
 * Walks the MIME tree below a header block without a full parse, depth first, calling `leaf` for each
 * part that is not a multipart with a boundary: at most `maxParts` parts, {@link MAX_DEPTH} deep.
 */
export function walkMime(
  raw: Buffer,
  headers: HeaderMap,
  start: number,
  maxParts: number,
  leaf: (part: MimeLeaf) => void,
): void {
  let parts = 0;
  const visit = (
    headers: HeaderMap,
    start: number,
    end: number,
    path: string,
    within: string[],
    fallback: string,
  ): void => {
    if (++parts > maxParts || within.length > MAX_DEPTH) return;
    const type = parseValue(first(headers, 'content-type') || fallback);
    const mime = type.value.toLowerCase() || fallback;
    if (mime.startsWith('multipart/') && type.params.boundary) {
      const inner = [...within, mime.slice('multipart/'.length)];
      // RFC 2046 section 5.1.5: a part of a multipart/digest without a Content-Type is a message.
      const childDefault = mime === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      let n = 0;
      for (const [partStart, partEnd] of boundaries(raw, type.params.boundary, start, end)) {
        const split = splitHeader(raw, partStart, partEnd);
        const child = parseHeaders(headerText(raw, partStart, split.headerEnd));
        n++;
        visit(child, split.bodyStart, partEnd, path ? `${path}.${n}` : String(n), inner, childDefault);
      }
      return;
    }
    leaf({ headers, mime, params: type.params, start, end, path: path || '1', within });
  };
  visit(headers, start, raw.length, '', [], 'text/plain');
}

/** Yields [start, end) of each body part between `--boundary` lines. */
export function* boundaries(raw: Buffer, boundary: string, start: number, end: number): Generator<[number, number]> {
  const delimiter = Buffer.from(`--${boundary}`);
  let partStart = -1;
  let at = raw.indexOf(delimiter, start);
  while (at !== -1 && at < end) {
    const lineStart = at === start || raw[at - 1] === 0x0a || raw[at - 1] === 0x0d;
    if (lineStart) {
      const closing = raw[at + delimiter.length] === 0x2d && raw[at + delimiter.length + 1] === 0x2d;
      if (partStart !== -1) yield [partStart, trimLineEnd(raw, at)];
      if (closing) return;
      const eol = raw.indexOf(0x0a, at + delimiter.length);
      partStart = eol === -1 || eol >= end ? end : eol + 1;
    }
    at = raw.indexOf(delimiter, at + delimiter.length);
  }
  // A boundary that never closes: the last part runs to the end.
  if (partStart !== -1 && partStart < end) yield [partStart, end];
}

function trimLineEnd(raw: Buffer, at: number): number {
  let end = at;
  if (raw[end - 1] === 0x0a) end--;
  if (raw[end - 1] === 0x0d) end--;
  return end;
}
