import { isUtf7 } from './charset';
import { decodeWords, parseValue } from './header-value';
import { first, type HeaderMap } from './headers';
import { walkMime, type MimeLeaf } from './walk';

/**
 * The one MIME model: a single walk of a message that decides, by {@link roleOf}, which leaf part is
 * the text body, which the HTML body, which an inline part and which an attachment. The list summary
 * (its `Attachments` count, so `has:attachment`), the message JSON (`Attachments`, `Inline`, `Text`,
 * `HTML`), `/part`, the Snippet, body search and the web UI all read it from here, so they agree.
 */

/** What a leaf part is to the reader of the message. */
export type PartRole = 'text' | 'html' | 'inline' | 'attachment';

/** A leaf part of the model: where it is, what it declares and what it is. */
export interface ModelPart extends MimeLeaf {
  role: PartRole;
  /** The Content-Disposition's value, lower-cased; empty when there is none. */
  disposition: string;
  /** The file name (Content-Disposition filename, else Content-Type name), decoded; may be empty. */
  fileName: string;
  /** The Content-ID without its angle brackets; may be empty. */
  contentId: string;
}

/** Parts the model visits per message: a hostile tree of 100,000 parts costs no more. */
export const MODEL_MAX_PARTS = 500;

/**
 * The leaf parts of the MIME tree below `headers` (whose body starts at `start`), each with its role.
 * No body is decoded: the walk reads header blocks only, and is cheap enough for the ingest path.
 */
export function mimeModel(raw: Buffer, headers: HeaderMap, start: number, maxParts = MODEL_MAX_PARTS): ModelPart[] {
  const parts: ModelPart[] = [];
  const seen = { text: false, html: false };
  walkMime(raw, headers, start, maxParts, (leaf) => {
    const disposition = parseValue(first(leaf.headers, 'content-disposition'));
    const name = disposition.params.filename ?? leaf.params.name;
    const contentId = first(leaf.headers, 'content-id');
    // One object of one shape per part, built once: spreading the leaf twice cost more than the walk.
    const part: ModelPart = {
      headers: leaf.headers,
      mime: leaf.mime,
      params: leaf.params,
      start: leaf.start,
      end: leaf.end,
      path: leaf.path,
      within: leaf.within,
      role: 'attachment',
      disposition: disposition.value.toLowerCase(),
      fileName: name ? decodeWords(name) : '',
      contentId: contentId ? contentId.trim().replace(/^<|>$/g, '').trim() : '',
    };
    part.role = roleOf(part, seen);
    if (part.role === 'text') seen.text = true;
    if (part.role === 'html') seen.html = true;
    parts.push(part);
  });
  return parts;
}

/** The number of parts of a model that are attachments: the list's `Attachments` count. */
export function attachmentCount(parts: ModelPart[]): number {
  let n = 0;
  for (const part of parts) if (part.role === 'attachment') n++;
  return n;
}

/**
 * The one rule. In order:
 * 1. `Content-Disposition: attachment` is an attachment (enmime's rule, so Mailpit's).
 * 2. The first text/plain and the first text/html that carry no file name are the bodies, as enmime
 *    takes the first of each. A file name makes a text part a file (Thunderbird and Gmail list a
 *    `notes.txt` as an attachment). An HTML body declared UTF-7 is never rendered: UTF-7 smuggles
 *    `<script>` past filters, so such a part is listed as an attachment instead.
 * 3. A part with a Content-ID inside multipart/related, or marked `inline` with a Content-ID or a file
 *    name, is inline (enmime's Inlines and related OtherParts, which Mailpit lists as `Inline`).
 * 4. Everything else is an attachment, named or not: forwarded messages, signatures, a second text
 *    part, text/calendar, text/enriched, a bounce's text/rfc822-headers, any part with an unknown
 *    disposition. Mailpit hides the nameless ones; here every part stays reachable.
 */
export function roleOf(part: Omit<ModelPart, 'role'>, seen: { text: boolean; html: boolean }): PartRole {
  if (part.disposition === 'attachment') return 'attachment';
  const { mime } = part;
  if (!part.fileName) {
    if (mime === 'text/plain' && !seen.text) return 'text';
    if (mime === 'text/html' && !seen.html && !isUtf7(part.params.charset)) return 'html';
  }
  if (part.contentId && (part.within.includes('related') || part.disposition === 'inline')) return 'inline';
  if (part.disposition === 'inline' && part.fileName && !mime.startsWith('text/')) return 'inline';
  return 'attachment';
}
