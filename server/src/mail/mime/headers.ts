import { isUtf8 } from 'node:buffer';
/**
 * Header-block reading without a MIME parser: the ingest path uses it so that no message pays for a
 * full parse on arrival. Works on bytes, accepts CRLF, bare LF and bare CR line ends.
 */

/** Headers by lower-case name, each with its unfolded raw values in order. */
export type HeaderMap = Map<string, string[]>;

/** Where a header block ends and its body starts. */
export interface HeaderSplit {
  headerEnd: number;
  bodyStart: number;
}

/**
 * A header block larger than this is cut for the summary; the raw bytes keep it all. A 1 MB header is
 * legal but no summary field needs more than its start.
 */
const MAX_HEADER_SCAN = 1024 * 1024;

/** Finds the blank line that ends the header block starting at `start`. */
export function splitHeader(buf: Buffer, start = 0, end = buf.length): HeaderSplit {
  const limit = Math.min(end, start + MAX_HEADER_SCAN);
  // A body that starts right away (no headers at all).
  if (buf[start] === 0x0a) return { headerEnd: start, bodyStart: start + 1 };
  if (buf[start] === 0x0d && buf[start + 1] === 0x0a) return { headerEnd: start, bodyStart: start + 2 };
  let i = buf.indexOf(0x0a, start);
  while (i !== -1 && i < limit) {
    const next = buf[i + 1];
    if (next === 0x0a) return { headerEnd: i + 1, bodyStart: i + 2 };
    if (next === 0x0d && buf[i + 2] === 0x0a) return { headerEnd: i + 1, bodyStart: i + 3 };
    i = buf.indexOf(0x0a, i + 1);
  }
  if (i === -1) {
    // Bare CR line ends (old Mac mail): look for CR CR.
    const cr = buf.indexOf('\r\r', start);
    if (cr !== -1 && cr < limit) return { headerEnd: cr + 1, bodyStart: cr + 2 };
  }
  // No blank line: everything is header.
  return { headerEnd: Math.min(end, limit), bodyStart: end };
}

/** Parses a header block into unfolded values by lower-case name. */
export function parseHeaders(text: string): HeaderMap {
  const headers: HeaderMap = new Map();
  let name = '';
  let value = '';
  const flush = (): void => {
    if (!name) return;
    const list = headers.get(name);
    if (list) list.push(value.trim());
    else headers.set(name, [value.trim()]);
  };
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon > 0) {
      name = line.slice(0, colon).trim().toLowerCase();
      value = line.slice(colon + 1);
    } else {
      name = '';
    }
  }
  flush();
  return headers;
}

/** The first value of a header, or an empty string. */
export function first(headers: HeaderMap, name: string): string {
  return headers.get(name)?.[0] ?? '';
}

/** An RFC 2047 Q-encoded word; `[^?\s]*` stops at the first `?`, so a scan is linear. */
const Q_WORD = /=\?[^?\s]{1,64}\?[Qq]\?[^?\s]*\?=/g;

/**
 * The text of a header block's bytes. ASCII and valid UTF-8 (RFC 6532; nearly all mail) are read as
 * they are. Otherwise raw 8-bit text outside encoded words is read as UTF-8 where it is valid UTF-8 and as Latin-1
 * where not (the charset of the 8-bit headers of old clients), and raw 8-bit bytes inside a Q word
 * (Eudora and other old clients wrote them) become `=XX` escapes, so that the word decodes in its
 * own declared charset rather than as UTF-8 mojibake (`Frï¿½sche` for `Frösche`).
 */
export function headerText(raw: Buffer, start: number, end: number): string {
  // Nearly every header block is ASCII or valid UTF-8: one decode and one scan, as before 8-bit
  // bytes were looked at. Only bytes that are not UTF-8 (U+FFFD in the result) take the slow path.
  const utf8 = raw.toString('utf8', start, end);
  if (!utf8.includes('\ufffd')) return utf8;
  const latin1 = raw.toString('latin1', start, end);
  let out = '';
  let at = 0;
  for (const match of latin1.matchAll(Q_WORD)) {
    out += eightBit(latin1.slice(at, match.index));
    // eslint-disable-next-line no-control-regex
    out += match[0].replace(/[^\x00-\x7f]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    at = match.index + match[0].length;
  }
  return out + eightBit(latin1.slice(at));
}

/** Bytes (as a Latin-1 string) as UTF-8 when they are valid UTF-8, else as Latin-1. */
function eightBit(bytes: string): string {
  const buffer = Buffer.from(bytes, 'latin1');
  return isUtf8(buffer) ? buffer.toString('utf8') : bytes;
}
