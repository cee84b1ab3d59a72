import { splitHeader } from './headers';

/**
 * MailHog's MIME tree of a message, as its `ContentFromString` splits it: header names as written,
 * raw values, bodies left transfer-encoded as ranges of the raw bytes. Its own walk, not walkMime:
 * MailHog starts a boundary only after LF, keeps one value per header name, and stops at 10 levels.
 */

/** Parts and depth kept in MailHog's MIME view; a hostile tree of 100,000 parts costs no more. */
const MAX_PARTS = 500;
const MAX_DEPTH = 10;

/**
 * Headers with their names as written and raw (undecoded) values, as MailHog's `ContentFromString`
 * keeps them: the `mailhog` client decodes RFC 2047 words and reads `Headers['Content-Type']` itself.
 */
function rawHeaders(text: string): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  let last = '';
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (last && (line.startsWith(' ') || line.startsWith('\t'))) {
      // MailHog appends a folded line as it stands, leading white space included.
      const values = headers[last]!;
      values[values.length - 1] += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    // MailHog keeps one value per name, the last one ("TODO multiple header fields" in its source).
    headers[last] = [line.slice(colon + 1).trim()];
  }
  return headers;
}

function headerValue(headers: Record<string, string[]>, name: string): string {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? (headers[key]![0] ?? '') : '';
}

function boundaryOf(contentType: string): string | null {
  if (!/^\s*multipart\//i.test(contentType)) return null;
  const match = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

interface Budget {
  parts: number;
}

/**
 * MailHog's `Content` of a byte range, its body left as a range of the raw bytes: a list of large
 * messages is written from these a piece at a time (see mailhog-json.ts), never as whole strings.
 */
export interface MailHogPart {
  Headers: Record<string, string[]>;
  bodyStart: number;
  end: number;
  Size: number;
  parts: MailHogPart[] | null;
}

/** The part tree of a byte range: headers, where the undecoded body is, and for multipart its parts. */
function content(raw: Buffer, start: number, end: number, depth: number, budget: Budget): MailHogPart {
  const split = splitHeader(raw, start, end);
  const headers = rawHeaders(raw.toString('utf8', start, split.headerEnd));
  const boundary = boundaryOf(headerValue(headers, 'content-type'));
  const children = boundary && depth < MAX_DEPTH ? parts(raw, boundary, split.bodyStart, end, depth, budget) : null;
  return { Headers: headers, bodyStart: Math.min(split.bodyStart, end), end, Size: end - start, parts: children };
}

function parts(
  raw: Buffer,
  boundary: string,
  start: number,
  end: number,
  depth: number,
  budget: Budget,
): MailHogPart[] {
  const out: MailHogPart[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let partStart = -1;
  let at = raw.indexOf(delimiter, start);
  while (at !== -1 && at < end && budget.parts < MAX_PARTS) {
    const lineStart = at === start || raw[at - 1] === 0x0a;
    if (lineStart) {
      if (partStart !== -1) {
        let partEnd = at;
        if (raw[partEnd - 1] === 0x0a) partEnd--;
        if (raw[partEnd - 1] === 0x0d) partEnd--;
        budget.parts++;
        out.push(content(raw, partStart, Math.max(partStart, partEnd), depth + 1, budget));
      }
      if (raw[at + delimiter.length] === 0x2d && raw[at + delimiter.length + 1] === 0x2d) break;
      const eol = raw.indexOf(0x0a, at + delimiter.length);
      partStart = eol === -1 || eol >= end ? end : eol + 1;
    }
    at = raw.indexOf(delimiter, at + delimiter.length);
  }
  return out;
}

/** The part tree of a whole message, as toMailHog (mailhog.ts) and the streamed lists read it. */
export function mailhogTree(raw: Buffer): MailHogPart {
  return content(raw, 0, raw.length, 0, { parts: 0 });
}
