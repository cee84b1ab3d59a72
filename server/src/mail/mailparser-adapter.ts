import { createRequire } from 'node:module';
import type libmimeModule from 'libmime';
import type * as charsetModule from 'libmime/lib/charset';

/**
 * The one file that imports mailparser and libmime, and the options they are called with. Both are
 * loaded on first use: Pigeonhole that only catches mail never loads mailparser, and mail with plain
 * headers and UTF-8 bodies never needs libmime (the summary's fast paths read it without).
 */

/** HTML bodies beyond this are not converted to text (mailparser's own guard against slow regexes). */
const MAX_HTML_TO_TEXT = 2 * 1024 * 1024;

/**
 * The text of an HTML body, as mailparser makes it for a message with no text/plain part
 * (html-to-text, behind mailparser's guards on length and nesting depth); empty when it cannot be.
 * The MIME model (mime/model.ts) decides the bodies; mailparser is asked only for this conversion.
 */
export async function htmlText(html: string): Promise<string> {
  // Loaded on the first message someone opens, not at start: mailparser and what it pulls in
  // (iconv-lite, html-to-text, linkify-it) are about 25 MB of resident memory that a Pigeonhole
  // which only catches mail never needs (measured by test/bench).
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(Buffer.from(`Content-Type: text/html; charset=utf-8\r\n\r\n${html}`), {
    keepCidLinks: true,
    skipImageLinks: true,
    skipTextLinks: true,
    skipTextToHtml: true,
    maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
  });
  return mail.text ?? '';
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
