// Maildir file names (https://cr.yp.to/proto/maildir.html): a unique base name, and in cur/ an info
// part `:2,FLAGS` with the flags in ASCII order (S for seen). neomutt, mbsync and Dovecot read them.
import { hostname } from 'node:os';

/** Where a message file is: new/ (never looked at) or cur/ (with flags). */
export type Subdir = 'new' | 'cur';

/** The host part of a name: `/` and `:` cannot appear in it, so they are written as octal escapes. */
const HOST = hostname().replace(/\//g, '\\057').replace(/:/g, '\\072') || 'localhost';
let seq = 0;

/**
 * A unique base name, `SECONDS.MmicrosPpidQseq.HOST` as Dovecot writes them: the microseconds and the
 * sequence keep two messages of one process apart, the pid two processes of one host, and the
 * microseconds a restarted process that got the same pid (pid 1 in every container).
 */
export function uniqueName(now = Date.now()): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000) % 1_000_000;
  return `${Math.floor(now / 1000)}.M${micros}P${process.pid}Q${++seq}.${HOST}`;
}

/** A file name of new/ or cur/ split into its base and flags; null when it is not a message's name. */
export function parseName(name: string): { base: string; flags: string } | null {
  // Dot files are not messages (Maildir++ folders, editors' and our own files).
  if (name.startsWith('.') || name.includes('/')) return null;
  const colon = name.indexOf(':');
  if (colon < 0) return { base: name, flags: '' };
  const info = name.slice(colon + 1);
  if (colon === 0 || !info.startsWith('2,')) return null;
  return { base: name.slice(0, colon), flags: info.slice(2) };
}

/** The file name of a message: the base alone in new/, with `:2,FLAGS` in cur/. */
export function fileName(base: string, subdir: Subdir, flags: string): string {
  return subdir === 'new' ? base : `${base}:2,${flags}`;
}

/** Flags with S (seen) added or taken away, in ASCII order as the convention wants. */
export function withSeen(flags: string, seen: boolean): string {
  const set = new Set(flags.replace(/S/g, ''));
  if (seen) set.add('S');
  return [...set].sort().join('');
}
