import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One file to load: a single message (`.eml`, a Maildir entry) or an mbox of many. */
export interface Source {
  path: string;
  kind: 'message' | 'mbox';
  size: number;
}

/** A message found in a source, with the sender of its mbox `From ` line when there is one. */
export interface FoundMessage {
  raw: Buffer;
  /** `path` for a file, `path#n` (1-based) for the n-th message of an mbox. */
  label: string;
  mboxSender?: string;
}

const FROM_ = Buffer.from('From ');

async function startsWithFromLine(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(5);
    const { bytesRead } = await file.read(head, 0, 5, 0);
    return bytesRead === 5 && head.equals(FROM_);
  } finally {
    await file.close();
  }
}

async function isMaildir(dir: string): Promise<boolean> {
  const [cur, nw] = await Promise.all([
    stat(join(dir, 'cur')).catch(() => null),
    stat(join(dir, 'new')).catch(() => null),
  ]);
  return Boolean(cur?.isDirectory() && nw?.isDirectory());
}

async function filesIn(dir: string): Promise<Source[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const sources: Source[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    sources.push({ path, kind: 'message', size: (await stat(path)).size });
  }
  return sources;
}

async function walk(dir: string, skipped: string[]): Promise<Source[]> {
  const sources: Source[] = [];
  const maildir = await isMaildir(dir);
  // Maildir: each file in new/ and cur/ is one message; tmp/ holds deliveries in progress.
  if (maildir) sources.push(...(await filesIn(join(dir, 'new'))), ...(await filesIn(join(dir, 'cur'))));
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (maildir && ['cur', 'new', 'tmp'].includes(entry.name)) continue;
      // Maildir++ sub-folders (.Sent, .Archive) and plain sub-directories alike.
      sources.push(...(await walk(path, skipped)));
    } else if (entry.isFile() && !maildir) {
      if (/\.eml$/i.test(entry.name)) sources.push({ path, kind: 'message', size: (await stat(path)).size });
      else if (/\.mbox$/i.test(entry.name) || (await startsWithFromLine(path))) {
        sources.push({ path, kind: 'mbox', size: (await stat(path)).size });
      } else skipped.push(path);
    }
  }
  return sources;
}

/**
 * Finds what to load under each path: a file is an mbox when it starts with a `From ` line, else one
 * message; a directory is searched for Maildir folders, `.eml` files and mbox files. Other files are
 * listed in `skipped`.
 */
export async function findSources(paths: string[]): Promise<{ sources: Source[]; skipped: string[] }> {
  const sources: Source[] = [];
  const skipped: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) sources.push(...(await walk(path, skipped)));
    else sources.push({ path, kind: (await startsWithFromLine(path)) ? 'mbox' : 'message', size: info.size });
  }
  return { sources, skipped };
}

/**
 * Splits an mbox as it streams, so a file of any size loads in constant memory. A message starts at
 * a `From ` line that begins the file or follows a blank line; `>From ` quoting is undone one level
 * (mboxrd, which also reads mboxo files right in all but rare cases).
 */
export async function* readMbox(path: string): AsyncGenerator<FoundMessage> {
  let lines: Buffer[] = [];
  let sender: string | undefined;
  let count = 0;
  let previousBlank = true;
  let rest = Buffer.alloc(0);

  const finish = (): FoundMessage | null => {
    if (sender === undefined) return null;
    // The blank line before the next `From ` line separates messages; it is not part of this one.
    const last = lines[lines.length - 1];
    if (last && (last.length === 1 || (last.length === 2 && last[0] === 0x0d))) lines.pop();
    const found: FoundMessage = { raw: Buffer.concat(lines), label: `${path}#${++count}` };
    if (sender) found.mboxSender = sender;
    return found;
  };

  const take = function* (line: Buffer): Generator<FoundMessage> {
    if (previousBlank && line.subarray(0, 5).equals(FROM_)) {
      const done = finish();
      if (done) yield done;
      lines = [];
      const first = line.toString('latin1').slice(5).trim().split(/\s+/)[0] ?? '';
      sender = first.includes('@') ? first : '';
      previousBlank = false;
      return;
    }
    previousBlank = line.length === 1 || (line.length === 2 && line[0] === 0x0d);
    if (sender === undefined) return; // Bytes before the first `From ` line are not a message.
    let start = 0;
    while (line[start] === 0x3e) start++; // '>'
    lines.push(start > 0 && line.subarray(start, start + 5).equals(FROM_) ? line.subarray(1) : line);
  };

  for await (const chunk of createReadStream(path)) {
    const buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let from = 0;
    let nl = buf.indexOf(0x0a, from);
    while (nl !== -1) {
      yield* take(buf.subarray(from, nl + 1));
      from = nl + 1;
      nl = buf.indexOf(0x0a, from);
    }
    rest = Buffer.from(buf.subarray(from));
  }
  if (rest.length) yield* take(rest);
  const done = finish();
  if (done) yield done;
}
