import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../ingest';
import { search } from '../../search/search';
import type { StoredEntry } from '../entry';
import { MessageStore } from '../store';
import type { IncomingMessage } from '../types';
import { MaildirHolder } from './maildir-holder';
import type { StorageLog } from './recover';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-maildir-'));
  dirs.push(dir);
  return dir;
}

/** A log that keeps its lines, to count what start-up reported. */
function recordingLog(): StorageLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (fields, message) => lines.push(`warn ${message} ${JSON.stringify(fields)}`),
    info: (fields, message) => lines.push(`info ${message} ${JSON.stringify(fields)}`),
  };
}

function mail(n: number, extra = ''): IncomingMessage {
  const raw = Buffer.from(
    `From: a@example.test\r\nTo: b${n}@example.test\r\nSubject: message ${n}\r\n${extra}\r\nbody ${n}\r\n`,
  );
  return {
    raw,
    envelope: { mailFrom: 'a@example.test', rcptTo: [`b${n}@example.test`, `hidden${n}@example.test`] },
    session: {
      clientAddress: '127.0.0.1',
      helo: 'client.test',
      secure: false,
      tls: null,
      username: 'user',
      transcript: [
        { at: 1, direction: 'client', line: 'EHLO client.test' },
        { at: 2, direction: 'client', line: 'MAIL FROM:<a@example.test>' },
        { at: 3, direction: 'server', line: '250 Accepted' },
      ],
    },
    created: new Date(),
  };
}

/** A store on a Maildir folder, as startPigeonhole makes it. */
function open(dir: string, log: StorageLog = recordingLog(), limits = { maxMessages: 0, maxBytes: 0 }) {
  const disk = new MaildirHolder(dir, log);
  const store = new MessageStore(limits, null, disk);
  store.restore(disk.takeRestored());
  return { store, disk };
}

function files(dir: string, sub: 'new' | 'cur'): string[] {
  return readdirSync(join(dir, sub)).sort();
}

describe('Maildir storage', () => {
  it('writes the exact bytes as Maildir files, and IDs, envelope, read state, tags and deletes survive a restart', async () => {
    const dir = folder();
    const first = open(dir);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await ingest(first.store, mail(i)));
    await first.store.settled();
    expect(files(dir, 'new')).toHaveLength(5);
    // Sorted by content: names sort by arrival only within one second's microseconds (M998000 > M1200).
    const onDisk = files(dir, 'new').map((name) => readFileSync(join(dir, 'new', name)).toString());
    expect(onDisk.sort()).toEqual([0, 1, 2, 3, 4].map((i) => mail(i).raw.toString()).sort());

    first.store.setRead([ids[1]!], true);
    first.store.setTags(ids[2]!, ['alpha', 'beta']);
    first.store.delete([ids[3]!]);
    // Read: moved to cur/ with the seen flag, as a Maildir reader expects.
    expect(files(dir, 'cur')).toEqual([expect.stringMatching(/:2,S$/)]);
    await first.disk.close();

    const second = open(dir);
    expect(second.store.count).toBe(4);
    expect([...second.store.newestFirst()].map((m) => m.id)).toEqual([ids[4], ids[2], ids[1], ids[0]]);
    expect(second.store.get(ids[3]!)).toBeUndefined();
    expect(second.store.get(ids[1]!)?.summary.Read).toBe(true);
    expect(second.store.get(ids[0]!)?.summary.Read).toBe(false);
    expect(second.store.get(ids[2]!)?.summary.Tags).toEqual(['alpha', 'beta']);
    const m0 = second.store.get(ids[0]!)!;
    expect(m0.envelope.rcptTo).toEqual(['b0@example.test', 'hidden0@example.test']);
    expect(m0.session.username).toBe('user');
    expect(m0.session.transcript.map((l) => l.line)).toEqual([
      'EHLO client.test',
      'MAIL FROM:<a@example.test>',
      '250 Accepted',
    ]);
    expect(m0.withRaw((raw) => raw.toString())).toBe(mail(0).raw.toString());
    expect(second.store.unread).toBe(3);
    await second.disk.close();
  });

  it('holds no bytes in memory once the journal has them: reads before the file is written come from the journal', async () => {
    const dir = folder();
    const first = open(dir);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await ingest(first.store, mail(i, `X-Pad: ${'x'.repeat(i * 50)}\r\n`)));
    // Durable (every 250 waited for the fsync), files not written yet: they wait for a quiet moment.
    expect(first.disk.heldBytes).toBe(0);
    expect(files(dir, 'new').length).toBeLessThan(40);
    // Read state changes and deletes of messages whose files are still to come.
    first.store.setRead([ids[5]!], true);
    first.store.delete([ids[6]!]);
    for (const [i, id] of ids.entries()) {
      if (i === 6) continue;
      const raw = first.store.get(id)!.withRaw((b) => b.toString());
      expect(raw).toBe(mail(i, `X-Pad: ${'x'.repeat(i * 50)}\r\n`).raw.toString());
    }
    await first.store.settled();
    expect(files(dir, 'new')).toHaveLength(38);
    expect(files(dir, 'cur')).toEqual([expect.stringMatching(/:2,S$/)]);
    const all = [...files(dir, 'new').map((n) => join(dir, 'new', n)), join(dir, 'cur', files(dir, 'cur')[0]!)];
    const sent = ids.map((_, i) => mail(i, `X-Pad: ${'x'.repeat(i * 50)}\r\n`).raw.toString());
    expect(all.map((p) => readFileSync(p).toString()).sort()).toEqual(sent.filter((_, i) => i !== 6).sort());
    await first.disk.close();
  });

  it('replays the journal after a crash: acknowledged messages whose files are gone are written again', async () => {
    const dir = folder();
    const first = open(dir);
    const ids = [await ingest(first.store, mail(1)), await ingest(first.store, mail(2))];
    await first.store.settled();
    // A crash before the snapshot, and a file lost with it (written, never fsynced): no close().
    const [lost] = files(dir, 'new');
    rmSync(join(dir, 'new', lost!));
    const second = open(dir);
    expect([...second.store.newestFirst()].map((m) => m.id).reverse()).toEqual(ids);
    expect(files(dir, 'new')).toHaveLength(2);
    expect(second.store.get(ids[0]!)!.withRaw((raw) => raw.toString())).toBe(mail(1).raw.toString());
    await second.disk.close();
  });

  it('stops without an fsync per file: the journal stays for their bytes, and a file a power cut left empty is written again', async () => {
    const dir = folder();
    const first = open(dir);
    const id = await ingest(first.store, mail(7));
    await first.disk.close();
    expect(readdirSync(join(dir, '.pigeonhole')).filter((n) => n.startsWith('journal.'))).toHaveLength(1);
    const [name] = files(dir, 'new');
    truncateSync(join(dir, 'new', name!), 0);
    const second = open(dir);
    expect(second.store.get(id)!.withRaw((raw) => raw.toString())).toBe(mail(7).raw.toString());
    // The next checkpoint fsyncs the file and lets the journal go.
    await second.disk.checkpoint();
    expect(readdirSync(join(dir, '.pigeonhole'))).toEqual(['snapshot.jsonl']);
    await second.disk.close();
  });

  it("the store's checkpoint leaves the folder complete, and one with nothing new leaves the snapshot as it is", async () => {
    const dir = folder();
    const first = open(dir);
    for (let i = 0; i < 3; i++) await ingest(first.store, mail(i));
    await first.store.checkpoint();
    // Every file written and fsynced, so the journals are gone: a copy of the folder now is whole.
    expect(files(dir, 'new')).toHaveLength(3);
    expect(readdirSync(join(dir, '.pigeonhole'))).toEqual(['snapshot.jsonl']);
    const snapshot = join(dir, '.pigeonhole', 'snapshot.jsonl');
    const written = readFileSync(snapshot, 'utf8');
    writeFileSync(snapshot, written.replace('\n', '\n\n'));
    // Nothing since: the snapshot is not written again (the blank line stays).
    await first.store.checkpoint();
    expect(readFileSync(snapshot, 'utf8')).toBe(written.replace('\n', '\n\n'));
    await ingest(first.store, mail(3));
    await first.store.checkpoint();
    expect(readFileSync(snapshot, 'utf8')).not.toContain('\n\n');
    expect(readdirSync(join(dir, '.pigeonhole'))).toEqual(['snapshot.jsonl']);
    await first.disk.close();
    const second = open(dir);
    expect(second.store.count).toBe(4);
    await second.disk.close();
  });

  it('lets summaries go once a snapshot holds their fields, reads them back the same, before and after a restart', async () => {
    const dir = folder();
    const log = recordingLog();
    const first = open(dir, log);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await ingest(first.store, mail(i, i === 2 ? 'X-Tags: seeded\r\nReply-To: "Jürgen Groß ✓" <j@example.test>\r\n' : '')));
    first.store.setRead([ids[1]!], true);
    const entry = (id: string) => first.store.get(id) as StoredEntry;
    const summaries = () => ids.map((id) => JSON.stringify(first.store.get(id)!.summary));
    const before = summaries();
    expect(entry(ids[0]!).keptFields()).not.toBeNull();
    await first.store.checkpoint();
    // In memory no more: every read makes the summary from the snapshot's copy of its fields.
    for (const id of ids) expect(entry(id).keptFields()).toBeNull();
    expect(summaries()).toEqual(before);
    expect(first.store.tags).toEqual(['seeded']);
    expect(first.store.get(ids[2]!)!.summary.ReplyTo[0]!.Name).toBe('Jürgen Groß ✓');
    // Read state and tags still change, count and search without the summary.
    first.store.setTags(ids[3]!, ['late']);
    first.store.setRead([ids[0]!], true);
    expect(first.store.get(ids[3]!)!.summary.Tags).toEqual(['late']);
    expect(first.store.get(ids[0]!)!.summary.Read).toBe(true);
    const found = async (query: string) => (await search(first.store, query, 0, 50)).page.map((m) => m.id).sort();
    expect(await found('tag:late')).toEqual([ids[3]]);
    expect(await found('is:read')).toEqual([ids[0], ids[1]].sort());
    expect(await found('subject:"message 2"')).toEqual([ids[2]]);
    // A plain word of the body (the snippet's text): the body answers, as the snippet is not in memory.
    expect(await found('"body 1"')).toEqual([ids[1]]);
    // A second snapshot copies the fields of summaries left on disk from the first.
    await ingest(first.store, mail(4));
    await first.store.checkpoint();
    const after = summaries();
    expect(after.map((s) => JSON.parse(s).Subject)).toEqual(['message 0', 'message 1', 'message 2', 'message 3']);
    expect(after[3]).toContain('"Tags":["late"]');
    await first.disk.close();

    const second = open(dir, log);
    const again = () => ids.map((id) => JSON.stringify(second.store.get(id)!.summary));
    expect(again()).toEqual(after);
    await second.store.checkpoint();
    expect((second.store.get(ids[0]!) as StoredEntry).keptFields()).toBeNull();
    expect(again()).toEqual(after);
    // Every offset was right (those after a line of multi-byte characters too).
    expect(log.lines.filter((line) => line.includes('summary fields unreadable'))).toEqual([]);
    // The snapshot damaged by hand under a running store: summaries are made from the files, reported once.
    const snapshot = join(dir, '.pigeonhole', 'snapshot.jsonl');
    writeFileSync(snapshot, readFileSync(snapshot, 'utf8').replace(/"fields":\{/g, '"fields":['));
    await new Promise((resolve) => setImmediate(resolve));
    expect(again()).toEqual(after);
    expect(log.lines.filter((line) => line.includes('summary fields unreadable'))).toHaveLength(1);
    await second.disk.close();
  });

  it('never writes outside the folder for a journal record whose file name climbs out of it', async () => {
    const dir = folder();
    const outside = join(dir, '..', `escaped-${Date.now()}`);
    const record = { op: 'add', file: `../../${outside.split('/').pop()}`, id: 'x', created: 1, len: 2 };
    const session = { clientAddress: '', helo: '', secure: false, tls: null, username: '', transcript: { lines: [] } };
    const line = JSON.stringify({ ...record, session });
    const first = open(dir);
    await first.disk.close();
    writeFileSync(join(dir, '.pigeonhole', 'journal.00000099.log'), `${line}\nhi\n`);
    const log = recordingLog();
    const second = open(dir, log);
    expect(existsSync(outside)).toBe(false);
    expect(readdirSync(join(dir, '..')).some((name) => name.startsWith('escaped-'))).toBe(false);
    expect(log.lines.filter((l) => l.includes('not a Maildir name'))).toHaveLength(1);
    expect(second.store.count).toBe(0);
    await second.disk.close();
  });

  it('reports a damaged or foreign file once and skips it; mail dropped in by hand is taken in', async () => {
    const dir = folder();
    const first = open(dir);
    const kept = await ingest(first.store, mail(1));
    const cut = await ingest(first.store, mail(2));
    // Files fsynced and the journal gone: a short file now is damage, not a crash's leftover.
    await first.disk.checkpoint();
    expect(readdirSync(join(dir, '.pigeonhole'))).toEqual(['snapshot.jsonl']);
    await first.disk.close();
    const cutFile = files(dir, 'new').find((name) => readFileSync(join(dir, 'new', name)).includes('message 2'))!;
    truncateSync(join(dir, 'new', cutFile), 0);
    writeFileSync(join(dir, 'new', '1700000000.garbage.host'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe]));
    writeFileSync(join(dir, 'cur', 'bad:name'), 'From: x@example.test\r\n\r\nx');
    writeFileSync(
      join(dir, 'cur', '1700000001.byhand.host:2,S'),
      'From: hand@example.test\r\nSubject: by hand\r\n\r\nhi\r\n',
    );
    writeFileSync(
      join(dir, '.pigeonhole', 'snapshot.jsonl'),
      '{"pigeonhole":"maildir-snapshot","version":1,"journal":0}\n{broken\n',
      {
        flag: 'a',
      },
    );

    const log = recordingLog();
    const second = open(dir, log);
    const subjects = [...second.store.newestFirst()].map((m) => m.summary.Subject).sort();
    expect(subjects).toEqual(['by hand', 'message 1']);
    expect(second.store.get(kept)).toBeDefined();
    expect(second.store.get(cut)).toBeUndefined();
    const byHand = [...second.store.newestFirst()].find((m) => m.summary.Subject === 'by hand')!;
    expect(byHand.summary.Read).toBe(true);
    const warnings = log.lines.filter((l) => l.startsWith('warn'));
    expect(warnings.filter((l) => l.includes(cutFile))).toHaveLength(1);
    expect(warnings.filter((l) => l.includes('1700000000.garbage.host'))).toHaveLength(1);
    expect(warnings.filter((l) => l.includes('bad:name'))).toHaveLength(1);
    // Skipped, not deleted: the folder is the user's.
    expect(existsSync(join(dir, 'new', '1700000000.garbage.host'))).toBe(true);
    await second.disk.close();

    // The same through the start-up path, whose listing thread stats the files.
    truncateSync(join(dir, 'new', cutFile), 0);
    const threadLog = recordingLog();
    const disk = await MaildirHolder.open(dir, threadLog);
    const third = new MessageStore({ maxMessages: 0, maxBytes: 0 }, null, disk);
    third.restore(disk.takeRestored());
    expect([...third.newestFirst()].map((m) => m.summary.Subject).sort()).toEqual(['by hand', 'message 1']);
    expect(threadLog.lines.filter((l) => l.startsWith('warn') && l.includes(cutFile))).toHaveLength(1);
    await disk.close();
  });

  it('clears every message: restored, written and still to be written, files and all, across a restart', async () => {
    const dir = folder();
    const first = open(dir);
    for (let i = 0; i < 4; i++) await ingest(first.store, mail(i));
    await first.store.settled();
    await first.disk.close();

    const second = open(dir);
    expect(second.store.count).toBe(4);
    for (let i = 4; i < 6; i++) await ingest(second.store, mail(i));
    await second.store.settled();
    // Durable in the journal, their files not written yet.
    for (let i = 6; i < 30; i++) await ingest(second.store, mail(i));
    expect(files(dir, 'new').length).toBeLessThan(30);
    second.store.clear();
    expect(second.store.count).toBe(0);
    await second.store.settled();
    await new Promise((r) => setTimeout(r, 50));
    expect([...files(dir, 'new'), ...files(dir, 'cur')]).toEqual([]);
    await ingest(second.store, mail(30));
    await second.disk.close();

    const third = open(dir);
    expect(third.store.page(0, 50).map((m) => m.summary.Subject)).toEqual(['message 30']);
    await third.disk.close();
  });

  it('evicts by --max-age and by --max, removing the files', async () => {
    const dir = folder();
    const { store, disk } = open(dir, recordingLog(), { maxMessages: 3, maxBytes: 0 });
    const old = mail(0);
    old.created = new Date(Date.now() - 2 * 3_600_000);
    await ingest(store, old);
    for (let i = 1; i <= 4; i++) await ingest(store, mail(i));
    await store.settled();
    expect(store.count).toBe(3);
    expect(files(dir, 'new')).toHaveLength(3);
    await disk.close();

    // Reopened with an age limit: the messages older than it go at start, files and all.
    const aged = new MaildirHolder(dir, recordingLog());
    const reopened = new MessageStore({ maxMessages: 0, maxBytes: 0, maxAgeMs: 3_600_000 }, null, aged);
    const restored = aged.takeRestored();
    restored[0]!.created = Date.now() - 2 * 3_600_000;
    reopened.restore(restored);
    expect(reopened.count).toBe(2);
    await reopened.settled();
    await new Promise((r) => setTimeout(r, 50));
    expect(files(dir, 'new')).toHaveLength(2);
    reopened.close();
    await aged.close();
  });
});
