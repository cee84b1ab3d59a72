import type { Address } from '@pigeonhole/shared/schemas/common';
import type { SecurityKind } from '@pigeonhole/shared/schemas/security';
import type { Envelope, SummaryFields } from '../store/types';
import { decodeBody, type BodyRange } from './mime/body';
import { decodeWords, GENERAL_ADDRESSES_MAX, parseAddresses } from './mime/header-value';
import { first, headerText, parseHeaders, splitHeader, type HeaderMap } from './mime/headers';
import { attachmentCount, mimeModel, type ModelPart } from './mime/model';
import { inlinePgp, leafSecurity, stronger } from './secure/detect';

/**
 * The list summary of a message, from its header block and a light walk of its MIME tree: no body is
 * decoded but the one text part the snippet needs, and only its first few KiB. mailparser on every
 * message would cost more than half the ingest rate (measured: 3,500/s bare, 1,500/s with it).
 */
export function summarize(raw: Buffer, envelope: Envelope, username: string): SummaryFields {
  const { headerEnd, bodyStart } = splitHeader(raw);
  const headers = parseHeaders(headerText(raw, 0, headerEnd));
  const budget = { left: GENERAL_ADDRESSES_MAX };
  const from =
    parseAddresses(headers, 'from', budget)[0] ?? (envelope.mailFrom ? { Name: '', Address: envelope.mailFrom } : null);
  const to = parseAddresses(headers, 'to', budget);
  const cc = parseAddresses(headers, 'cc', budget);
  const bcc = envelopeBcc(parseAddresses(headers, 'bcc', budget), envelope.rcptTo, [...to, ...cc]);
  const walk = new PartWalk(raw, headers, bodyStart);
  const snippet = walk.snippet();
  const security = stronger(walk.security, walk.inline);
  return {
    MessageID: first(headers, 'message-id').replace(/^<|>$/g, ''),
    From: from,
    To: to,
    Cc: cc,
    Bcc: bcc,
    ReplyTo: parseAddresses(headers, 'reply-to', budget),
    Subject: decodeWords(first(headers, 'subject')),
    Username: username,
    Tags: tagsOf(headers, [...to, ...cc, ...bcc]),
    Size: raw.length,
    Attachments: walk.attachments,
    Snippet: snippet,
    ...(security ? { Security: security } : {}),
  };
}

/**
 * The decoded text of a message's main text part, for body-word search: the same bounded walk as the
 * summary, no full MIME parse, at most `sourceBytes` of the part decoded.
 */
export function bodyText(raw: Buffer, sourceBytes: number): string {
  const { headerEnd, bodyStart } = splitHeader(raw);
  const walk = new PartWalk(raw, parseHeaders(headerText(raw, 0, headerEnd)), bodyStart);
  return walk.text(sourceBytes);
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
  const head = raw.toString(
    'latin1',
    0,
    end === -1 ? Math.min(raw.length, TAG_SCAN_BYTES) : Math.min(end, TAG_SCAN_BYTES),
  );
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
interface TextPart extends BodyRange {
  html: boolean;
}

/**
 * The summary's view of the MIME model (mime/model.ts): the attachment count by the model's rule,
 * the body the snippet and body search read, and what the parts' types say of signing.
 */
class PartWalk {
  attachments: number;
  /** Signed or encrypted, as the parts' types say (S/MIME, PGP/MIME). */
  security: SecurityKind | null = null;
  #text: TextPart | null = null;
  #html: TextPart | null = null;

  /** Walks the tree below `headers`, whose body starts at `start`. */
  constructor(
    readonly raw: Buffer,
    headers: HeaderMap,
    start: number,
  ) {
    const parts = mimeModel(raw, headers, start);
    this.attachments = attachmentCount(parts);
    for (const part of parts) this.#leaf(part);
  }

  #leaf({ headers, mime, params, start, end, role }: ModelPart): void {
    const secure = leafSecurity(mime, params);
    if (secure) this.security = stronger(this.security, secure);
    if (role === 'text') this.#text = { html: false, headers, start, end };
    if (role === 'html') this.#html = { html: true, headers, start, end };
  }

  /** The decoded main text (plain, or HTML as text) from up to `sourceBytes` of its body. */
  text(sourceBytes: number): string {
    const part = this.#text ?? this.#html;
    if (!part) return '';
    const text = decodeBody(this.raw, part, sourceBytes);
    return part.html ? htmlToText(text) : text;
  }

  /** Inline PGP armor in the first 2 KiB of the plain-text part, found by {@link snippet}: no second decode. */
  inline: SecurityKind | null = null;

  snippet(): string {
    const part = this.#text ?? this.#html;
    if (!part) return '';
    // Most parts give 250 characters from their first 2 KiB; decode all 16 KiB only when not.
    let collapsed = '';
    for (const source of [SNIPPET_FIRST_TRY, SNIPPET_SOURCE]) {
      const text = decodeBody(this.raw, part, source);
      if (source === SNIPPET_FIRST_TRY && !part.html) this.inline = inlinePgp(text);
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
