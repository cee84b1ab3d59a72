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
import { SNAPSHOT } from './recover';
import type { MaildirRef } from './ref';

/** Snapshot lines made between two writes (and so yields to the event loop). */
const SNAPSHOT_SLICE = 2000;
/** Files fsynced at once before a snapshot drops the journal that held their bytes: one pool thread. */
const SYNC_CONCURRENCY = 1;

/** Session facts as the sidecar keeps them: the transcript packed. */
export function storedSession(session: SessionInfo | MessageFacts['session']): StoredSession {
  const { clientAddress, helo, secure, tls, username, via } = session;
  const transcript = Array.isArray(session.transcript) ? packTranscript(session.transcript) : session.transcript;
  return { clientAddress, helo, secure, tls, username, ...(via ? { via } : {}), transcript };
}

function snapshotRecord(message: SnapshotMessage<MaildirRef>): MessageRecord {
  return {
    file: message.ref.base,
    id: message.id,
    created: message.created,
    envelope: message.envelope,
    session: storedSession(message.session),
    len: message.ref.length,
    tags: message.tags,
    fields: message.fields,
    ...(message.ref.unsynced ? { unsynced: true } : {}),
  };
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
 */
export async function writeSnapshot(
  sidecar: string,
  header: SnapshotHeader,
  messages: Iterable<SnapshotMessage<MaildirRef>>,
): Promise<void> {
  const tmp = join(sidecar, `${SNAPSHOT}.tmp`);
  const out = await open(tmp, 'w');
  try {
    const sessions = new SessionTable();
    let lines = [JSON.stringify(header)];
    let n = 0;
    for (const message of messages) {
      lines.push(encodeWithSession(sessions, snapshotRecord(message)));
      if (++n % SNAPSHOT_SLICE === 0) {
        await out.write(`${lines.join('\n')}\n`);
        lines = [];
      }
    }
    await out.write(`${lines.join('\n')}\n`);
    await out.datasync();
  } finally {
    await out.close();
  }
  await rename(tmp, join(sidecar, SNAPSHOT));
  await fsyncDir(sidecar);
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
