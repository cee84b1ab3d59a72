import type { Address } from '@pigeonhole/shared/schemas/common';
import { decodeCharset, mime } from './libmime-lazy';
import { decode as decodeQp } from 'libqp';
import addressparser from 'nodemailer/lib/addressparser';
import type { Envelope, SummaryFields } from '../store/types';
import { plainWords, simpleAddress, simpleHeaderValue } from './fast-header';
import { first, parseHeaders, splitHeader, type HeaderMap } from './headers';

/**
 * The list summary of a message, from its header block and a light walk of its MIME tree: no body is
 * decoded but the one text part the snippet needs, and only its first few KiB. mailparser on every
 * message would cost more than half the ingest rate (DESIGN.md: 3,500/s bare, 1,500/s with it).
 */
export function summarize(raw: Buffer, envelope: Envelope, username: string): SummaryFields {
  const { headerEnd, bodyStart } = splitHeader(raw);
  const headers = parseHeaders(raw.toString('utf8', 0, headerEnd));
  const budget = { left: GENERAL_ADDRESSES_MAX };
  const from =
    addresses(headers, 'from', budget)[0] ?? (envelope.mailFrom ? { Name: '', Address: envelope.mailFrom } : null);
  const to = addresses(headers, 'to', budget);
  const cc = addresses(headers, 'cc', budget);
  const bcc = envelopeBcc(addresses(headers, 'bcc', budget), envelope.rcptTo, [...to, ...cc]);
  const walk = new PartWalk(raw, headers, bodyStart);
  return {
    MessageID: first(headers, 'message-id').replace(/^<|>$/g, ''),
    From: from,
    To: to,
    Cc: cc,
    Bcc: bcc,
    ReplyTo: addresses(headers, 'reply-to', budget),
    Subject: decodeWords(first(headers, 'subject')),
    Username: username,
    Tags: tagsOf(headers, [...to, ...cc, ...bcc]),
    Size: raw.length,
    Attachments: walk.attachments,
    Snippet: walk.snippet(),
  };
}

/**
 * The decoded text of a message's main text part, for body-word search: the same bounded walk as the
 * summary, no full MIME parse, at most `sourceBytes` of the part decoded.
 */
export function bodyText(raw: Buffer, sourceBytes: number): string {
  const { headerEnd, bodyStart } = splitHeader(raw);
  const walk = new PartWalk(raw, parseHeaders(raw.toString('utf8', 0, headerEnd)), bodyStart);
  return walk.text(sourceBytes);
}

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
const GENERAL_ADDRESSES_MAX = 64 * 1024;

function decodeWords(value: string): string {
  const plain = plainWords(value);
  if (plain !== undefined) return plain;
  try {
    return mime().decodeWords(value.slice(0, GENERAL_VALUE_MAX)).replace(/\s+/g, ' ').trim();
  } catch {
    return value;
  }
}

/**
 * Parses address headers, decoding RFC 2047 names and flattening groups; values the fast path cannot
 * read spend `budget` (characters handed to addressparser), and what is past it is left unread.
 */
function addresses(headers: HeaderMap, name: string, budget: { left: number }): Address[] {
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
    for (const entry of addressparser(cut, { flatten: true })) {
      if (entry.address === undefined) continue;
      out.push({ Name: decodeWords(entry.name), Address: entry.address });
    }
  }
  return out;
}

/**
 * Bcc recipients exist only in the envelope: every RCPT TO that no To or Cc header names, plus any
 * Bcc header the sender left in.
 */
function envelopeBcc(header: Address[], rcptTo: string[], visible: Address[]): Address[] {
  const seen = new Set([...visible, ...header].map((a) => a.Address.toLowerCase()));
  const bcc = [...header];
  for (const address of rcptTo) {
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    bcc.push({ Name: '', Address: address });
  }
  return bcc;
}

/** Allowed tag characters, as Mailpit cleans them. */
const TAG_JUNK = /[^a-zA-Z0-9\-_.\s/:]+/g;

/** Header bytes {@link mayCarryTags} reads: more than any header block that is not an attack. */
const TAG_SCAN_BYTES = 64 * 1024;
const X_TAGS = /x-tags[ \t]*:/i;
/** A `+` and then an `@` on the same line with no `+` between: linear, each `+` starts a new try. */
const PLUS_ADDRESS = /\+[^@+\r\n]*@/;

/**
 * Whether a message may carry tags ({@link tagsOf}): an `X-Tags` header, or a recipient with a `+`
 * before the `@` in the header block or the envelope. A byte scan, about a microsecond for a usual
 * header block, that the store runs on ingest to summarize such a message at once (so that its tag
 * counts are right at every moment) and leave the rest for later. It may say yes wrongly, never no.
 */
export function mayCarryTags(raw: Buffer, envelope: Envelope): boolean {
  if (envelope.rcptTo.some((r) => r.includes('+'))) return true;
  let end = raw.indexOf('\r\n\r\n');
  if (end === -1) end = raw.indexOf('\n\n');
  const head = raw.toString('latin1', 0, end === -1 ? Math.min(raw.length, TAG_SCAN_BYTES) : Math.min(end, TAG_SCAN_BYTES));
  return X_TAGS.test(head) || PLUS_ADDRESS.test(head);
}

/**
 * Tags from an `X-Tags` header (comma separated) and from plus-addressing (`user+tag@`), as Mailpit
 * sets them.
 */
function tagsOf(headers: HeaderMap, recipients: Address[]): string[] {
  const tags = new Set<string>();
  for (const value of headers.get('x-tags') ?? []) {
    for (const tag of decodeWords(value).split(',')) {
      const clean = tag.replace(TAG_JUNK, '').trim();
      if (clean) tags.add(clean);
    }
  }
  for (const { Address: address } of recipients) {
    const plus = /^[^@+]+\+([^@]+)@/.exec(address);
    const clean = plus?.[1]?.replace(TAG_JUNK, '').trim();
    if (clean) tags.add(clean);
  }
  return [...tags].sort((a, b) => a.localeCompare(b));
}

const SNIPPET_LENGTH = 250;
/** Bytes of a text part decoded for the snippet: enough for 250 characters after markup is gone. */
const SNIPPET_SOURCE = 16 * 1024;
const SNIPPET_FIRST_TRY = 2 * 1024;
/** Parts visited per message for the summary; a hostile tree of 100,000 parts costs no more. */
const MAX_PARTS = 500;
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
  const visit = (headers: HeaderMap, start: number, end: number, depth: number): void => {
    if (++parts > maxParts || depth > MAX_DEPTH) return;
    const type = parseValue(first(headers, 'content-type') || 'text/plain');
    const mime = type.value.toLowerCase();
    if (mime.startsWith('multipart/') && type.params.boundary) {
      for (const [partStart, partEnd] of boundaries(raw, type.params.boundary, start, end)) {
        const split = splitHeader(raw, partStart, partEnd);
        visit(parseHeaders(raw.toString('utf8', partStart, split.headerEnd)), split.bodyStart, partEnd, depth + 1);
      }
      return;
    }
    leaf({ headers, mime, params: type.params, start, end });
  };
  visit(headers, start, raw.length, 0);
}

interface TextPart {
  html: boolean;
  headers: HeaderMap;
  start: number;
  end: number;
}

/** A bounded walk of the MIME tree that counts attachments and finds the text for the snippet. */
class PartWalk {
  attachments = 0;
  #text: TextPart | null = null;
  #html: TextPart | null = null;

  /** Walks the tree below `headers`, whose body starts at `start`. */
  constructor(
    readonly raw: Buffer,
    headers: HeaderMap,
    start: number,
  ) {
    walkMime(raw, headers, start, MAX_PARTS, (part) => this.#leaf(part));
  }

  #leaf({ headers, mime, params, start, end }: MimeLeaf): void {
    const disposition = parseValue(first(headers, 'content-disposition'));
    const named = Boolean(disposition.params.filename ?? params.name);
    const dispositionType = disposition.value.toLowerCase();
    if (dispositionType === 'attachment' || (named && dispositionType !== 'inline' && !mime.startsWith('text/'))) {
      this.attachments++;
      return;
    }
    if (mime === 'text/plain' && !this.#text && !named) this.#text = { html: false, headers, start, end };
    if (mime === 'text/html' && !this.#html && !named) this.#html = { html: true, headers, start, end };
  }

  /** The decoded main text (plain, or HTML as text) from up to `sourceBytes` of its body. */
  text(sourceBytes: number): string {
    const part = this.#text ?? this.#html;
    if (!part) return '';
    const text = decodeBody(this.raw, part, sourceBytes);
    return part.html ? htmlToText(text) : text;
  }

  snippet(): string {
    const part = this.#text ?? this.#html;
    if (!part) return '';
    // Most parts give 250 characters from their first 2 KiB; decode all 16 KiB only when not.
    let collapsed = '';
    for (const source of [SNIPPET_FIRST_TRY, SNIPPET_SOURCE]) {
      const text = decodeBody(this.raw, part, source);
      // The margin keeps a character cut at the end of the source out of the snippet.
      collapsed = collapseSpace(part.html ? htmlToText(text) : text, SNIPPET_LENGTH + 8);
      if (collapsed.length > SNIPPET_LENGTH + 8 || part.end - part.start <= source) break;
    }
    return collapsed.length > SNIPPET_LENGTH ? `${collapsed.slice(0, SNIPPET_LENGTH)}...` : collapsed;
  }
}

/**
 * The start of `text` with whitespace runs collapsed to one space and trimmed, as
 * `text.replace(/\s+/g, ' ').trim()` would give it, but stopping once past `need` characters: a regex
 * replace over the whole source cost 30 µs per message, more than the rest of the summary.
 */
function collapseSpace(text: string, need: number): string {
  let out = '';
  const word = /\S+/g;
  let match: RegExpExecArray | null;
  while ((match = word.exec(text)) !== null) {
    out = out ? `${out} ${match[0]}` : match[0];
    if (out.length > need) break;
  }
  return out;
}

function parseValue(value: string): { value: string; params: Record<string, string | undefined> } {
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

/** Yields [start, end) of each body part between `--boundary` lines. */
function* boundaries(raw: Buffer, boundary: string, start: number, end: number): Generator<[number, number]> {
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

function decodeBody(raw: Buffer, part: TextPart, sourceBytes: number): string {
  const encoding = first(part.headers, 'content-transfer-encoding').toLowerCase().trim();
  const charset = parseValue(first(part.headers, 'content-type')).params.charset ?? 'utf-8';
  const source = raw.subarray(part.start, Math.min(part.end, part.start + sourceBytes));
  let bytes: Buffer;
  if (encoding === 'base64') {
    const text = source.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
    // Only a source cut short can end mid-quantum; a whole part's unpadded tail is real data.
    const whole = source.length === part.end - part.start;
    bytes = Buffer.from(whole ? text : text.slice(0, text.length - (text.length % 4)), 'base64');
  } else if (encoding === 'quoted-printable') {
    bytes = decodeQp(source.toString('latin1'));
  } else {
    bytes = source;
  }
  // Most mail is UTF-8: libmime would normalise the charset name with regular expressions first.
  if (/^utf-?8$/i.test(charset)) return bytes.toString('utf8');
  try {
    return decodeCharset(bytes, charset);
  } catch {
    return bytes.toString('utf8');
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Text of an HTML fragment, good enough for a one-line snippet (never rendered as markup). */
function htmlToText(html: string): string {
  return html
    .replace(/<(head|style|script|title)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<[^>]*>?/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
      if (code[0] === '#') {
        const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ' ';
      }
      return ENTITIES[code.toLowerCase()] ?? entity;
    });
}
