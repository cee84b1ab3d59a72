// The sidecar's record format: JSON lines, an `add` line followed by the message's bytes and a line
// feed. See docs/storage.md for what each record holds and how start-up reads them.
import type { Envelope, PackedTranscript, SummaryFields } from '../types';

/** Session facts as the sidecar keeps them: the transcript packed. */
export interface StoredSession {
  clientAddress: string;
  helo: string;
  secure: boolean;
  tls: { protocol: string; cipher: string } | null;
  username: string;
  via?: string;
  transcript: PackedTranscript;
}

/** What the sidecar knows of one message, by the base name of its file. */
export interface MessageRecord {
  file: string;
  id: string;
  created: number;
  envelope: Envelope;
  session: StoredSession;
  /** Length of the file, bytes. */
  len: number;
  /** Tags as last set; null when never set (the headers give them). */
  tags: string[] | null;
  /** The list summary's fields, when they were made before the snapshot; null otherwise. */
  fields: SummaryFields | null;
  /** In a snapshot: the file was not fsynced yet, a kept journal holds its bytes. */
  unsynced?: boolean;
  /** Read back from a snapshot (never written): where `fields` is in the file, in bytes. */
  fieldsAt?: number;
  fieldsLen?: number;
}

/** One journal record. An `add` is followed in the file by `len` bytes (the message) and a LF. */
export type JournalRecord =
  | ({ op: 'add' } & Omit<MessageRecord, 'fields' | 'tags'>)
  | { op: 'del'; file: string }
  | { op: 'set'; file: string; read: boolean; tags: string[] }
  | { op: 'clear' };

/**
 * The first line of a snapshot: what it is, the first journal it does not cover, and older
 * journals kept only for the bytes of messages whose files were not fsynced when it was written.
 */
export interface SnapshotHeader {
  pigeonhole: 'maildir-snapshot';
  version: 1;
  journal: number;
  keep?: number[];
}

/** The session facts a connection's messages share: written once per file, then referred to. */
type SharedSession = Omit<StoredSession, 'transcript'> & { base: number; prefix: string };

/** A line that defines a shared session for the lines after it in the same file. */
interface SessionLine {
  op: 'session';
  sid: number;
  session: SharedSession;
}

/** How a record names its session in a file: a shared one by number and its own lines, or whole. */
type SessionRef = { sid: number; own: string } | { session: StoredSession };

/**
 * The sessions already written in one file (a journal, a snapshot). The lines before MAIL FROM
 * (greeting, EHLO and its reply, AUTH) are the same for every message of a connection, about 500
 * bytes: written once per file, each record names them by number.
 */
export class SessionTable {
  readonly #ids = new Map<string, number>();

  /** The record's reference to `session`, and the line defining it when this file lacks it. */
  refer(session: StoredSession): { define: string | null; ref: SessionRef } {
    const transcript = session.transcript;
    if ('lines' in transcript) return { define: null, ref: { session } };
    const { clientAddress, helo, secure, tls, username, via } = session;
    const key = `${transcript.base} ${clientAddress} ${secure} ${tls?.cipher ?? ''} ${helo}\u0000${username}\u0000${via ?? ''}\u0000${transcript.prefix}`;
    const known = this.#ids.get(key);
    if (known !== undefined) return { define: null, ref: { sid: known, own: transcript.own } };
    const sid = this.#ids.size;
    this.#ids.set(key, sid);
    const shared: SharedSession = {
      clientAddress,
      helo,
      secure,
      tls,
      username,
      ...(via ? { via } : {}),
      base: transcript.base,
      prefix: transcript.prefix,
    };
    const line: SessionLine = { op: 'session', sid, session: shared };
    return { define: JSON.stringify(line), ref: { sid, own: transcript.own } };
  }
}

/** Resolves the session references of one file as its lines are read. */
export class SessionReader {
  readonly #shared = new Map<number, SharedSession>();

  /** Takes a line that defines a session; whether it was one. */
  define(line: { op?: unknown; sid?: unknown; session?: unknown }): boolean {
    if (line.op !== 'session' || typeof line.sid !== 'number' || !line.session) return false;
    this.#shared.set(line.sid, line.session as SharedSession);
    return true;
  }

  /** The whole session a record refers to; null when its definition is missing. */
  resolve(record: Partial<SessionRef>): StoredSession | null {
    if ('session' in record && record.session) return record.session;
    const ref = record as { sid?: number; own?: string };
    const shared = ref.sid === undefined ? undefined : this.#shared.get(ref.sid);
    if (!shared) return null;
    // Every message of a connection gets the same shared strings (the store interns them anyway).
    const session: StoredSession = {
      clientAddress: shared.clientAddress,
      helo: shared.helo,
      secure: shared.secure,
      tls: shared.tls,
      username: shared.username,
      transcript: { base: shared.base, prefix: shared.prefix, own: ref.own ?? '' },
    };
    if (shared.via) session.via = shared.via;
    return session;
  }
}

/** A record as written: its session replaced by a reference. */
export type WrittenRecord<T extends { session: StoredSession }> = Omit<T, 'session'> & SessionRef;

/** Encodes `record` for a file whose sessions `table` tracks: the session's line first if new. */
export function encodeWithSession<T extends { session: StoredSession }>(table: SessionTable, record: T): string {
  const { session, ...rest } = record;
  const { define, ref } = table.refer(session);
  const line = JSON.stringify({ ...rest, ...ref });
  return define ? `${define}\n${line}` : line;
}

const LF = 0x0a;

/** Encodes a record; an `add` with its session named through `table` and its message's bytes after it. */
export function encodeRecord(record: JournalRecord, raw?: Buffer, table?: SessionTable): Buffer {
  const text = record.op === 'add' && table ? encodeWithSession(table, record) : JSON.stringify(record);
  const line = Buffer.from(`${text}\n`);
  return raw ? Buffer.concat([line, raw, Buffer.from('\n')]) : line;
}

/** A record read back, with where the bytes of an `add` are in the file. */
export interface ReadRecord {
  record: JournalRecord;
  /** Offset and length of an `add`'s bytes in the journal. */
  payload: { offset: number; length: number } | null;
}

/**
 * Reads the records of a journal. Reading stops at the first record that is cut off or not valid
 * JSON: a crash while a batch was written leaves at most its tail so, and nothing of that batch was
 * acknowledged (the 250 waits for the fsync after the write). `torn` says whether that happened.
 */
export function readJournal(bytes: Buffer): { records: ReadRecord[]; torn: boolean } {
  const records: ReadRecord[] = [];
  const sessions = new SessionReader();
  let at = 0;
  while (at < bytes.length) {
    // The zeros a journal is extended by ahead of its records: its clean end.
    if (bytes[at] === 0) return { records, torn: bytes.subarray(at).some((byte) => byte !== 0) };
    const end = bytes.indexOf(LF, at);
    if (end < 0) return { records, torn: true };
    let record: JournalRecord;
    try {
      record = JSON.parse(bytes.toString('utf8', at, end)) as JournalRecord;
    } catch {
      return { records, torn: true };
    }
    if (!record || typeof record !== 'object' || typeof record.op !== 'string') return { records, torn: true };
    at = end + 1;
    if (sessions.define(record as { op: string })) continue;
    if (record.op === 'add') {
      const session = sessions.resolve(record as Partial<SessionRef>);
      if (!session) return { records, torn: true };
      const { sid: _sid, own: _own, ...rest } = record as JournalRecord & { sid?: number; own?: string };
      record = { ...(rest as JournalRecord & { op: 'add' }), session };
      const length = record.len;
      if (!Number.isSafeInteger(length) || length < 0 || at + length + 1 > bytes.length || bytes[at + length] !== LF) {
        return { records, torn: true };
      }
      records.push({ record, payload: { offset: at, length } });
      at += length + 1;
    } else records.push({ record, payload: null });
  }
  return { records, torn: false };
}
