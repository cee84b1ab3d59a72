// Start-up of a Maildir folder: the snapshot, then the journals after it, then the files themselves
// (the truth for what exists and for the seen flag). What the sidecar lacks is made from the files;
// what cannot be read as mail is reported once and left where it is.
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { newId } from '../id';
import type { RestoredMessage } from '../durable-holder';
import type { IncomingSession } from '../types';
import { readJournal, SessionReader, type MessageRecord, type SnapshotHeader } from './journal';
import { fileName, parseName, type Subdir } from './names';
import { MaildirRef } from './ref';

/** The sidecar's folder inside the Maildir: a dot folder, which Maildir readers skip. */
export const SIDECAR = '.pigeonhole';
/** How a snapshot line's summary fields begin: the line's last key, an object up to its last byte but one. */
export const FIELDS_KEY = Buffer.from(',"fields":{');
const CLOSE = 0x7d;

/** The snapshot's file in the sidecar. */
export const SNAPSHOT = 'snapshot.jsonl';

/** What start-up reports: pino's `warn(obj, msg)` is one. */
export interface StorageLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** A journal's file name in the sidecar. */
export function journalName(n: number): string {
  return `journal.${String(n).padStart(8, '0')}.log`;
}

/** What start-up found. */
export interface Recovered {
  messages: RestoredMessage<MaildirRef>[];
  /** The journals read (all to be removed by the next snapshot). */
  journals: number[];
  /** The number of the journal to write next. */
  nextJournal: number;
  /** Journals the snapshot keeps for the bytes of files not fsynced when it was written. */
  kept: number[];
  /** Files not known to be fsynced (written again, or of a kept journal): the next snapshot syncs them. */
  unsynced: MaildirRef[];
  /** Whether a snapshot should be written soon (journals read, files changed or found). */
  stale: boolean;
}

interface OnDisk {
  subdir: Subdir;
  flags: string;
  name: string;
  /** Bytes, when the listing had them and the file was not written again since. */
  size?: number;
}

/** The file names of new/ and cur/, with their sizes when a listing thread read them (-1: unreadable). */
export type Listing = Record<'new' | 'cur', { names: string[]; sizes: Float64Array | null }>;

function readListing(dir: string): Listing {
  return {
    new: { names: readdirSync(join(dir, 'new')), sizes: null },
    cur: { names: readdirSync(join(dir, 'cur')), sizes: null },
  };
}

/** The listing thread: CommonJS, run from this string, so that it needs no file of its own. */
const LISTING_THREAD = `
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const out = {};
for (const sub of ['new', 'cur']) {
  const names = readdirSync(join(workerData, sub));
  const sizes = new Float64Array(names.length);
  for (let i = 0; i < names.length; i++) {
    try { sizes[i] = statSync(join(workerData, sub, names[i])).size; } catch { sizes[i] = -1; }
  }
  out[sub] = { names, sizes };
}
parentPort.postMessage(out);
`;

/**
 * Lists new/ and cur/ and stats every file on a thread of its own, so that start-up reads the
 * snapshot meanwhile: on two cores, 100,000 stats (about 0.7 s) and the snapshot's parse (about
 * as long) then overlap. Null when the thread could not run; start-up lists the folder itself.
 */
export function listFolder(dir: string): Promise<Listing | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(LISTING_THREAD, { eval: true, workerData: dir });
    } catch {
      resolve(null);
      return;
    }
    worker.once('message', (listing: Listing) => resolve(listing));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
}

/** Creates tmp/, new/, cur/ and the sidecar where missing. */
export function ensureFolders(dir: string): void {
  for (const sub of ['tmp', 'new', 'cur', SIDECAR]) mkdirSync(join(dir, sub), { recursive: true });
}

const FOREIGN_SESSION: IncomingSession = {
  clientAddress: '',
  helo: '',
  secure: false,
  tls: null,
  username: '',
  transcript: [],
};

/** The first bytes of a file, to tell mail from something else. */
function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1024);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** Whether bytes begin as a message does: a header field (name, colon), or a Received-style fold. */
function looksLikeMail(start: Buffer): boolean {
  return /^[!-9;-~]{1,76}:/.test(start.toString('latin1', 0, 80));
}

function listFiles(log: StorageLog, listing: Listing): Map<string, OnDisk> {
  const found = new Map<string, OnDisk>();
  for (const subdir of ['new', 'cur'] as const) {
    const { names, sizes } = listing[subdir];
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const parsed = parseName(name);
      if (!parsed) {
        if (!name.startsWith('.'))
          log.warn({ file: `${subdir}/${name}` }, 'storage: not a Maildir message name; skipped');
        continue;
      }
      // Only the cur/ spelling carries flags; a name in new/ with an info part keeps it as it is.
      const disk: OnDisk = { subdir, flags: subdir === 'cur' ? parsed.flags : '', name };
      if (sizes && sizes[i]! >= 0) disk.size = sizes[i]!;
      found.set(parsed.base, disk);
    }
  }
  return found;
}

/** What {@link readSnapshot} read. */
export type Snapshot = ReturnType<typeof readSnapshot>;

/** The messages the snapshot lists, in order, and the first journal it does not cover. */
export function readSnapshot(
  path: string,
  log: StorageLog,
): { records: Map<string, MessageRecord>; journal: number; keep: number[] } {
  const records = new Map<string, MessageRecord>();
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return { records, journal: 0, keep: [] };
  }
  // Line by line from the bytes: one string of the whole file (100 MB at 100,000 messages) and an
  // array of its lines doubled what the garbage collector had to go through at start-up.
  let at = 0;
  let start = 0;
  let end = 0;
  const nextLine = (): string | null => {
    if (at >= bytes.length) return null;
    start = at;
    end = bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    const line = bytes.toString('utf8', at, end);
    at = end + 1;
    return line;
  };
  let journal = 0;
  let keep: number[] = [];
  try {
    const header = JSON.parse(nextLine() ?? '') as SnapshotHeader;
    if (header.pigeonhole !== 'maildir-snapshot' || header.version !== 1) throw new Error('not a snapshot');
    journal = header.journal;
    keep = Array.isArray(header.keep) ? header.keep.filter((n) => Number.isSafeInteger(n)) : [];
  } catch {
    log.warn({ file: path }, 'storage: snapshot unreadable; rebuilding the index from the files');
    return { records, journal: 0, keep: [] };
  }
  const sessions = new SessionReader();
  let bad = 0;
  for (let line = nextLine(); line !== null; line = nextLine()) {
    if (!line) continue;
    try {
      const parsed = JSON.parse(line) as MessageRecord & { op?: string };
      if (sessions.define(parsed)) continue;
      const session = sessions.resolve(parsed as Partial<{ sid: number; own: string }>);
      if (typeof parsed.file !== 'string' || typeof parsed.id !== 'string' || !session) throw new Error('no file');
      // The parsed line itself becomes the record (its `sid` and `own` are left unread): a copy of
      // each of 100,000 lines was garbage the collector went through at start.
      parsed.session = session;
      records.set(parsed.file, parsed);
      // Written last in the line, the fields are read from the file again later (see writeSnapshot).
      if (parsed.fields && bytes[end - 1] === CLOSE && bytes[end - 2] === CLOSE) {
        const key = bytes.lastIndexOf(FIELDS_KEY, end);
        if (key > start) {
          parsed.fieldsAt = key + FIELDS_KEY.length - 1;
          parsed.fieldsLen = end - 1 - parsed.fieldsAt;
        }
      }
    } catch {
      bad++;
    }
  }
  if (bad > 0)
    log.warn(
      { file: path, lines: bad },
      'storage: damaged snapshot lines skipped; those messages are read from their files',
    );
  return { records, journal, keep };
}

/**
 * Reads a Maildir folder made by Pigeonhole (or any Maildir): creates tmp/, new/, cur/ and the
 * sidecar when missing, replays the journals over the snapshot (writing again a file that a crash
 * left short), and returns every message oldest first. Damaged or foreign files are reported once
 * each and skipped; nothing here throws for what is in the folder, only for a folder it cannot use.
 */
export function recover(
  dir: string,
  log: StorageLog,
  read: { snapshot: Snapshot; listing: Listing | null } | null = null,
): Recovered {
  ensureFolders(dir);
  const sidecar = join(dir, SIDECAR);
  const snapshot = read?.snapshot ?? readSnapshot(join(sidecar, SNAPSHOT), log);
  const records = snapshot.records;
  const onDisk = listFiles(log, read?.listing ?? readListing(dir));
  const sizeOf = (disk: OnDisk): number => disk.size ?? statSync(join(dir, disk.subdir, disk.name)).size;
  const rewritten = new Set<string>();
  const journals = readdirSync(sidecar)
    .map((name) => /^journal\.(\d+)\.log$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  let stale = journals.length > 0;
  const dropped = new Set<string>();
  /** Writes a message's file again from a journal's copy of its bytes (missing, or cut short). */
  const rewrite = (file: string, bytes: Buffer): void => {
    // Paths are built from a journal's record only when it names a plain Maildir base name: no
    // slash, no leading dot, no colon (a sidecar written by something else must not write elsewhere).
    if (parseName(file)?.base !== file || file.includes(':') || file.includes('\0')) {
      log.warn({ file }, 'storage: journal record with a file name that is not a Maildir name; skipped');
      return;
    }
    const disk = onDisk.get(file);
    const subdir = disk?.subdir ?? 'new';
    const flags = disk?.flags ?? '';
    const tmp = join(dir, 'tmp', file);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(dir, subdir, fileName(file, subdir, flags)));
    onDisk.set(file, { subdir, flags, name: fileName(file, subdir, flags) });
    rewritten.add(file);
  };
  for (const n of journals) {
    const path = join(sidecar, journalName(n));
    // Journals before the snapshot's are covered by it: those it keeps are read below, and only
    // if a file they hold the bytes of is missing or short.
    if (n < snapshot.journal) continue;
    const bytes = readFileSync(path);
    const { records: entries, torn } = readJournal(bytes);
    if (torn)
      log.info(
        { file: path },
        'storage: journal ends in a batch cut off by a crash; that batch was never acknowledged',
      );
    for (const { record, payload } of entries) {
      if (record.op === 'add') {
        // A snapshot written while this journal was open may know the message already, better.
        if (!records.has(record.file)) {
          const { op: _op, ...rest } = record;
          records.set(record.file, { ...rest, tags: null, fields: null });
        }
        rewritten.add(record.file);
        dropped.delete(record.file);
        const disk = onDisk.get(record.file);
        const size = disk ? sizeOf(disk) : -1;
        // Acknowledged (fsynced in the journal) but its file is missing or short: write it again.
        if (size !== record.len && payload)
          rewrite(record.file, bytes.subarray(payload.offset, payload.offset + payload.length));
      } else if (record.op === 'del') {
        records.delete(record.file);
        dropped.add(record.file);
      } else if (record.op === 'set') {
        const known = records.get(record.file);
        // Read state is the file's S flag (renamed at once); the record keeps the tags.
        if (known) known.tags = record.tags;
      } else if (record.op === 'clear') {
        for (const file of records.keys()) dropped.add(file);
        records.clear();
      }
    }
  }
  // Files of messages deleted or cleared while the process was going down: the journal said so.
  for (const file of dropped) {
    const disk = onDisk.get(file);
    if (!disk) continue;
    try {
      unlinkSync(join(dir, disk.subdir, disk.name));
    } catch {
      // Gone already.
    }
    onDisk.delete(file);
  }

  // Files the snapshot says were not fsynced yet and that are now missing or short (a power cut):
  // written again from the journals it kept.
  const suspects = new Set<string>();
  for (const record of records.values()) {
    if (!record.unsynced || rewritten.has(record.file)) continue;
    const disk = onDisk.get(record.file);
    if (!disk || sizeOf(disk) !== record.len) suspects.add(record.file);
  }
  for (const n of journals) {
    if (suspects.size === 0) break;
    if (n >= snapshot.journal || !snapshot.keep.includes(n)) continue;
    const bytes = readFileSync(join(sidecar, journalName(n)));
    for (const { record, payload } of readJournal(bytes).records) {
      if (record.op !== 'add' || !payload || !suspects.has(record.file)) continue;
      rewrite(record.file, bytes.subarray(payload.offset, payload.offset + payload.length));
      suspects.delete(record.file);
    }
  }

  const messages: RestoredMessage<MaildirRef>[] = [];
  for (const record of records.values()) {
    const disk = onDisk.get(record.file);
    onDisk.delete(record.file);
    // Deleted while the process was down, or its unlink outran the journal's record of it.
    if (!disk) {
      stale = true;
      continue;
    }
    // Every file's size (stat'ed by the listing thread, or here): a file cut short or changed by
    // hand is found at start, not when someone opens it.
    const size = sizeOf(disk);
    let fields = record.fields;
    if (size !== record.len) {
      if (size === 0) {
        log.warn({ file: `${disk.subdir}/${disk.name}` }, 'storage: empty message file skipped');
        continue;
      }
      log.warn(
        { file: `${disk.subdir}/${disk.name}`, expected: record.len, size },
        'storage: message file changed on disk; its summary is made again',
      );
      fields = null;
      stale = true;
    }
    const ref = new MaildirRef(record.file, disk.subdir, disk.flags, size, null);
    if (fields && record.fieldsAt !== undefined) {
      ref.fieldsAt = record.fieldsAt;
      ref.fieldsLen = record.fieldsLen ?? 0;
    }
    messages.push({
      ref,
      id: record.id,
      created: record.created,
      envelope: record.envelope,
      session: record.session,
      read: disk.flags.includes('S'),
      tags: record.tags,
      fields,
    });
  }
  // Files the sidecar does not know: copied in by hand, or the sidecar was lost. Mail is kept.
  const foreign: RestoredMessage<MaildirRef>[] = [];
  for (const [base, disk] of onDisk) {
    const path = join(dir, disk.subdir, disk.name);
    let stat;
    try {
      stat = statSync(path);
      if (!stat.isFile() || stat.size === 0 || !looksLikeMail(head(path))) throw new Error('not mail');
    } catch {
      log.warn(
        { file: `${disk.subdir}/${disk.name}` },
        'storage: not a mail message (empty, unreadable or no header); skipped',
      );
      continue;
    }
    stale = true;
    foreign.push({
      ref: new MaildirRef(base, disk.subdir, disk.flags, stat.size, null),
      id: newId(),
      created: stat.mtimeMs,
      envelope: { mailFrom: '', rcptTo: [] },
      session: FOREIGN_SESSION,
      read: disk.flags.includes('S'),
      tags: null,
      fields: null,
    });
  }
  if (foreign.length > 0) {
    log.info({ messages: foreign.length }, 'storage: files without a sidecar record taken in');
    messages.push(...foreign);
    messages.sort((a, b) => a.created - b.created);
  }
  const last = journals.length > 0 ? journals[journals.length - 1]! : -1;
  const unsynced = messages
    .filter((m) => rewritten.has(m.ref.base) || records.get(m.ref.base)?.unsynced)
    .map((m) => m.ref);
  for (const ref of unsynced) ref.unsynced = true;
  const kept = journals.filter((n) => n < snapshot.journal && snapshot.keep.includes(n));
  const replayed = journals.filter((n) => n >= snapshot.journal);
  // Journals neither replayed nor kept are leftovers of a snapshot that did not finish removing them.
  const leftovers = journals.filter((n) => n < snapshot.journal && !snapshot.keep.includes(n));
  return {
    messages,
    journals: [...replayed, ...leftovers],
    kept,
    nextJournal: Math.max(last + 1, snapshot.journal),
    unsynced,
    stale: stale || leftovers.length > 0,
  };
}
