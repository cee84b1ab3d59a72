// Writing a snapshot of the sidecar, and the fsyncs a checkpoint makes before it drops journals.
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageFacts, SnapshotMessage } from '../durable-holder';
import { packTranscript } from '../transcript-pack';
import type { SessionInfo } from '../types';
import {
  encodeWithSession,
  SessionTable,
  type MessageRecord,
  type SnapshotHeader,
  type StoredSession,
} from './journal';
import { FIELDS_KEY, SNAPSHOT } from './recover';
import type { MaildirRef } from './ref';

/**
 * Characters of snapshot lines written at once (and so between yields to the event loop). Under
 * 64 K, so that the text of one write, two bytes a character at most, stays below V8's 128 KiB
 * bound for its young generation: a larger string goes straight to the old one and waits there for a
 * full collection. With writes of 2,000 lines (about 2 MB each) and the field copies V8 pretenured
 * (see `summaryFields`), a process holding 100,000 messages (234 MiB settled) peaked at 700 MiB.
 */
const WRITE_CHARS = 60_000;
/** Files fsynced at once before a snapshot drops the journal that held their bytes: one pool thread. */
const SYNC_CONCURRENCY = 1;

/** Session facts as the sidecar keeps them: the transcript packed. */
export function storedSession(session: SessionInfo | MessageFacts['session']): StoredSession {
  const { clientAddress, helo, secure, tls, username, via } = session;
  const transcript = Array.isArray(session.transcript) ? packTranscript(session.transcript) : session.transcript;
  return { clientAddress, helo, secure, tls, username, ...(via ? { via } : {}), transcript };
}

/** A snapshot line's record but its fields, which the line ends with (see {@link writeSnapshot}). */
function snapshotRecord(message: SnapshotMessage<MaildirRef>): Omit<MessageRecord, 'fields'> {
  return {
    file: message.ref.base,
    id: message.id,
    created: message.created,
    envelope: message.envelope,
    session: storedSession(message.session),
    len: message.ref.length,
    tags: message.tags,
    ...(message.ref.unsynced ? { unsynced: true } : {}),
  };
}

/** Where each message's fields went in a snapshot just written: byte offsets, -1 for none. */
export interface PlacedFields {
  refs: MaildirRef[];
  at: number[];
  length: number[];
}

/** Fsyncs a folder's entry list (a rename or a new file in it). */
export async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes the snapshot into the sidecar: a temporary file, fsynced, renamed over the old one, and
 * the sidecar folder fsynced, so that a crash leaves the old snapshot or the new, never half of one.
 *
 * Each line ends with the message's summary fields, so that the holder can read them back from the
 * file by offset (the store lets those summaries go): the fields given, or for a summary left on
 * disk the JSON text `storedText` reads from the snapshot before, copied as it is.
 */
export async function writeSnapshot(
  sidecar: string,
  header: SnapshotHeader,
  messages: Iterable<SnapshotMessage<MaildirRef>>,
  storedText: (ref: MaildirRef) => string | null = () => null,
): Promise<PlacedFields> {
  const tmp = join(sidecar, `${SNAPSHOT}.tmp`);
  const out = await open(tmp, 'w');
  const placed: PlacedFields = { refs: [], at: [], length: [] };
  try {
    const sessions = new SessionTable();
    let lines = [JSON.stringify(header)];
    let chars = lines[0]!.length;
    let offset = Buffer.byteLength(lines[0]!) + 1;
    for (const message of messages) {
      const head = encodeWithSession(sessions, snapshotRecord(message));
      const fields = message.fields ? JSON.stringify(message.fields) : (storedText(message.ref) ?? 'null');
      const line = `${head.slice(0, -1)},"fields":${fields}}`;
      const fieldsAt = offset + Buffer.byteLength(head) - 1 + FIELDS_KEY.length - 1;
      const fieldsLength = Buffer.byteLength(fields);
      placed.refs.push(message.ref);
      placed.at.push(fields === 'null' ? -1 : fieldsAt);
      placed.length.push(fieldsLength);
      offset = fieldsAt + fieldsLength + 2;
      if (chars + line.length >= WRITE_CHARS) {
        await out.write(`${lines.join('\n')}\n`);
        lines = [];
        chars = 0;
      }
      lines.push(line);
      chars += line.length + 1;
    }
    if (lines.length > 0) await out.write(`${lines.join('\n')}\n`);
    await out.datasync();
  } finally {
    await out.close();
  }
  await rename(tmp, join(sidecar, SNAPSHOT));
  await fsyncDir(sidecar);
  return placed;
}

/**
 * Fsyncs these message files, then new/ and cur/; returns those left when `stop` said to stop (a
 * stop of Pigeonhole cuts a checkpoint short: the journals keep the rest).
 */
export async function fsyncFiles(dir: string, files: MaildirRef[], stop: () => boolean): Promise<MaildirRef[]> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length && !stop()) {
      const ref = files[next++]!;
      if (ref.gone) continue;
      try {
        const fh = await open(ref.path(dir), 'r');
        await fh.datasync().finally(() => fh.close());
        ref.unsynced = false;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
  for (const sub of ['new', 'cur']) await fsyncDir(join(dir, sub));
  return files.slice(next);
}
