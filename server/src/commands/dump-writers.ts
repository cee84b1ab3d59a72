// Where `pigeonhole dump` puts messages: `.eml` files, a Maildir, or an mbox. Each writer takes the
// exact bytes of one message at a time, in the order given, and never builds a path from message
// data: file names are sequence numbers, times and the writer's own counter (a dump may come from a
// Mailpit or another Pigeonhole, whose IDs this side does not control).
import { constants, type FileHandle, mkdir, open, readdir, rename, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** What a writer knows of a message besides its bytes. */
export interface DumpedMessage {
  raw: Uint8Array;
  /** When it arrived. */
  created: Date;
  /** Read in the source: Maildir files it under cur/ with the S flag. */
  read: boolean;
  /** The sender for an mbox `From ` line (From address; `MAILER-DAEMON` when none). */
  sender: string;
}

/** The export formats. */
export type DumpFormat = 'eml' | 'maildir' | 'mbox';

/** Writes messages one at a time; `close()` once done. */
export interface DumpWriter {
  write(message: DumpedMessage): Promise<void>;
  close(): Promise<void>;
}

/** Opens a new file, refusing to overwrite one (a second dump into the same place must not clobber). */
function create(path: string): Promise<FileHandle> {
  return open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
}

/**
 * `DEST/000001.eml`, `DEST/000002.eml`... oldest first; the file times are the arrival times. DEST
 * must be new or empty: numbered names from two dumps would mix.
 */
async function emlWriter(dest: string): Promise<DumpWriter> {
  await mkdir(dest, { recursive: true });
  if ((await readdir(dest)).length > 0)
    throw new Error('the folder is not empty: dump .eml files into a new or empty one');
  let n = 0;
  return {
    async write(message) {
      const path = join(dest, `${String(++n).padStart(6, '0')}.eml`);
      const file = await create(path);
      try {
        await file.writeFile(message.raw);
      } finally {
        await file.close();
      }
      await utimes(path, message.created, message.created);
    },
    close: async () => undefined,
  };
}

/**
 * A Maildir (tmp/, new/, cur/): each message written to tmp/ and renamed into new/ (unread) or cur/
 * with `:2,S` (read), under a unique name in the Maildir convention `TIME.PID_N.HOST`, so that
 * neomutt, mbsync or Dovecot open it and a message is never seen half written.
 */
async function maildirWriter(dest: string): Promise<DumpWriter> {
  for (const sub of ['tmp', 'new', 'cur']) await mkdir(join(dest, sub), { recursive: true });
  // `/` and `:` may not appear in a Maildir name: the host part is escaped as Dovecot does.
  const host = hostname().replace(/\//g, '\\057').replace(/:/g, '\\072');
  const started = Math.floor(Date.now() / 1000);
  let n = 0;
  return {
    async write(message) {
      const name = `${started}.P${process.pid}Q${++n}.${host}`;
      const tmp = join(dest, 'tmp', name);
      const file = await create(tmp);
      try {
        await file.writeFile(message.raw);
        await file.sync();
      } finally {
        await file.close();
      }
      await utimes(tmp, message.created, message.created);
      await rename(tmp, message.read ? join(dest, 'cur', `${name}:2,S`) : join(dest, 'new', name));
    },
    close: async () => undefined,
  };
}

const FROM_LINE = /^>*From /;

/** The `From ` line's date, asctime style as mbox readers expect: `Thu Dec  1 16:24:49 2026`. */
function asctime(date: Date): string {
  const [day, month] = [date.toUTCString().slice(0, 3), date.toUTCString().slice(8, 11)];
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day} ${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${date.getUTCFullYear()}`;
}

/**
 * The bytes of one mbox entry, mboxrd style: a `From sender date` line, the message with every line
 * that starts with `From ` after any number of `>` given one more `>` (so that a reader undoes it
 * exactly, and a body line `From here` is not a new message), and a blank line. A message that does
 * not end with a line break gets one (the only change the format forces).
 */
export function mboxEntry(message: DumpedMessage): Buffer {
  const raw = Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength);
  const sender = /^[^\s]{1,320}$/.test(message.sender) ? message.sender : 'MAILER-DAEMON';
  const parts: Buffer[] = [Buffer.from(`From ${sender} ${asctime(message.created)}\n`, 'latin1')];
  let start = 0;
  while (start < raw.length) {
    const nl = raw.indexOf(0x0a, start);
    const end = nl === -1 ? raw.length : nl + 1;
    const line = raw.subarray(start, end);
    if (line[0] === 0x3e || line[0] === 0x46) {
      // Only lines starting with '>' or 'F' can need quoting: read at most 6 bytes past the '>'s.
      let gt = 0;
      while (line[gt] === 0x3e) gt++;
      if (FROM_LINE.test(line.toString('latin1', 0, Math.min(line.length, gt + 5)))) parts.push(Buffer.from('>'));
    }
    parts.push(line);
    start = end;
  }
  if (raw.length === 0 || raw[raw.length - 1] !== 0x0a) parts.push(Buffer.from('\n'));
  parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}

/** One mbox file (mboxrd), oldest message first. */
async function mboxWriter(dest: string): Promise<DumpWriter> {
  const file = await create(dest);
  return {
    async write(message) {
      await file.write(mboxEntry(message));
    },
    async close() {
      await file.sync();
      await file.close();
    },
  };
}

/**
 * Opens the writer of `format` at `dest`: a new or empty folder for `eml` (made if missing), a
 * Maildir folder for `maildir` (made if missing; an existing one gets the messages added), a new
 * file for `mbox` (an existing one is an error, not appended to). No file is ever overwritten.
 */
export function openWriter(format: DumpFormat, dest: string): Promise<DumpWriter> {
  switch (format) {
    case 'eml':
      return emlWriter(dest);
    case 'maildir':
      return maildirWriter(dest);
    case 'mbox':
      return mboxWriter(dest);
  }
}
