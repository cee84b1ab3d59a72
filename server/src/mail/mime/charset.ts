import { createRequire } from 'node:module';
import type IconvLite from 'iconv-lite';
import { decodeCharset } from '../mailparser-adapter';

/**
 * Text from bytes in a declared charset: the one decoder the message Text, the list's Snippet and
 * body search all use, so that they never disagree on a character.
 */

/** Labels that mean UTF-8 or a subset of it (US-ASCII is one; mail often labels UTF-8 so). */
const UTF8_LIKE = /^(utf-?8|(us-?)?ascii|ansi_x3\.4-1968)$/i;
/** UTF-7 and its aliases, which libmime refuses (it can smuggle markup) and iconv-lite decodes. */
const UTF7 = /^(unicode-1-1-)?utf-?7$/i;

const load = createRequire(import.meta.url);
let iconv: typeof IconvLite | undefined;

/** Whether a charset label names UTF-7. */
export function isUtf7(charset: string | undefined): boolean {
  return UTF7.test((charset ?? '').trim());
}

/**
 * UTF-7 (RFC 2152) decoded with iconv-lite, required on first use (most mail never needs it).
 * Only for text shown as text (Subject, names, the Text body, the Snippet): an HTML body in UTF-7
 * is never rendered as HTML (model.ts makes it an attachment).
 */
export function decodeUtf7(bytes: Buffer): string {
  iconv ??= load('iconv-lite') as typeof IconvLite;
  return iconv.decode(bytes, 'utf7');
}

/**
 * Decodes `bytes` in `charset`: UTF-8 and US-ASCII labels as UTF-8 (as mailparser and Python's
 * email read an ASCII label on 8-bit bytes), UTF-7 with iconv-lite, the rest through libmime
 * (iconv-lite and encoding-japanese), and an unknown label as UTF-8.
 */
export function decodeText(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? '').trim();
  if (!label || UTF8_LIKE.test(label)) return bytes.toString('utf8');
  if (UTF7.test(label)) return decodeUtf7(bytes);
  try {
    return decodeCharset(bytes, label);
  } catch {
    return bytes.toString('utf8');
  }
}
