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
}

/** One journal record. An `add` is followed in the file by `len` bytes (the message) and a LF. */
export type JournalRecord =
  | ({ op: 'add' } & Omit<MessageRecord, 'fields' | 'tags'>)
  | { op: 'del'; file: string }
  | { op: 'set'; file: string; read: boolean; tags: string[] }
  | { op: 'clear' };

/** The first line of a snapshot: what it is, and the first journal it does not cover. */
export interface SnapshotHeader {
  pigeonhole: 'maildir-snapshot';
  version: 1;
  journal: number;
}

const LF = 0x0a;

/** Encodes a record; an `add` with its message's bytes after it. */
export function encodeRecord(record: JournalRecord, raw?: Buffer): Buffer {
  const line = Buffer.from(`${JSON.stringify(record)}\n`);
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
  let at = 0;
  while (at < bytes.length) {
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
    if (record.op === 'add') {
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
