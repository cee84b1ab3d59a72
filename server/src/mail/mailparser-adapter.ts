import { createRequire } from 'node:module';
import type libmimeModule from 'libmime';
import type * as charsetModule from 'libmime/lib/charset';
import type { Attachment, ParsedMail } from 'mailparser';

/**
 * The one file that imports mailparser and libmime, and the options they are called with. Both are
 * loaded on first use: Pigeonhole that only catches mail never loads mailparser, and mail with plain
 * headers and UTF-8 bodies never needs libmime (the summary's fast paths read it without).
 */

/** A part mailparser lists in `attachments` (inline parts and attachments alike). */
export type MailparserAttachment = Attachment;

/**
 * A hostile message can hold 100,000 MIME parts; mailparser builds a node per part, so the tree is
 * capped. Real mail has tens of parts; the raw bytes keep everything beyond the cap.
 */
export const MAILPARSER_MAX_PARTS = 1000;
/** HTML bodies beyond this are not converted to text (mailparser's own guard against slow regexes). */
const MAX_HTML_TO_TEXT = 2 * 1024 * 1024;

/**
 * A full mailparser parse of `raw`: Content-ID links kept as they are, no text turned into links or
 * HTML (Pigeonhole shows what was sent), at most {@link MAILPARSER_MAX_PARTS} parts.
 */
export async function mailparserParse(raw: Buffer): Promise<ParsedMail> {
  // Loaded on the first message someone opens, not at start: mailparser and what it pulls in
  // (iconv-lite, html-to-text, linkify-it) are about 25 MB of resident memory that a Pigeonhole
  // which only catches mail never needs (measured by test/bench).
  const { simpleParser } = await import('mailparser');
  return simpleParser(raw, {
    keepCidLinks: true,
    skipImageLinks: true,
    skipTextLinks: true,
    skipTextToHtml: true,
    maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
    maxChildNodes: MAILPARSER_MAX_PARTS,
  });
}

/**
 * libmime, required the first time a header or body needs it. libmime brings iconv-lite and
 * encoding-japanese, about 300 KB of JavaScript and 2 MB resident. A message view loads it anyway
 * (through mailparser), so this only keeps it out of runs that never need it.
 */
const load = createRequire(import.meta.url);

let libmime: typeof libmimeModule | undefined;
let charset: typeof charsetModule | undefined;

/** libmime itself (decodeWords, parseHeaderValue). */
export function mime(): typeof libmimeModule {
  return (libmime ??= load('libmime') as typeof libmimeModule);
}

/** Decodes bytes in a named charset, as libmime does. */
export function decodeCharset(bytes: Buffer, name: string): string {
  charset ??= load('libmime/lib/charset') as typeof charsetModule;
  return charset.decode(bytes, name);
}
