import { createRequire } from 'node:module';
import type libmimeModule from 'libmime';
import type * as charsetModule from 'libmime/lib/charset';

/**
 * libmime, required the first time a header or body needs it. Most mail (ASCII headers, UTF-8
 * bodies) never does: the summary's fast paths read it without libmime, and libmime brings iconv-lite
 * and encoding-japanese, about 300 KB of JavaScript and 2 MB resident. A message view loads it anyway
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
