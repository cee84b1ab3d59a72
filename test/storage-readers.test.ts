// --storage makes a standard Maildir: after a run, neomutt opens it and mbsync copies it, and every
// message they read is the bytes that were sent (with only what each tool adds on purpose). A
// restart after neomutt moved the files about finds every message under its ID.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPigeonhole } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { has, transport } from './helpers/smtp';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pigeonhole-${name}-`));
  dirs.push(dir);
  return dir;
}

/** Mail of several shapes: a leading dot, 8-bit text, a long base64 part, bare headers. */
const MESSAGES = [
  'From: a@example.test\r\nTo: b@example.test\r\nSubject: plain\r\n\r\nhello\r\n.leading dot\r\n',
  'From: a@example.test\r\nTo: b@example.test\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncafé crème\r\n',
  `From: a@example.test\r\nTo: c@example.test\r\nSubject: attachment\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.alloc(3000, 7).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n--b1--\r\n`,
  'From: a@example.test\r\nTo: d@example.test\r\nSubject: read one\r\n\r\nalready read\r\n',
].map((text) => Buffer.from(text));

/** Every message file of a Maildir folder (new/ and cur/), by name. */
function maildirFiles(dir: string): { name: string; bytes: Buffer }[] {
  return ['new', 'cur'].flatMap((sub) =>
    readdirSync(join(dir, sub)).map((name) => ({ name: `${sub}/${name}`, bytes: readFileSync(join(dir, sub, name)) })),
  );
}

/** Sends the messages, marks the last read, stops; returns the folder and the IDs. */
async function run(): Promise<{ dir: string; ids: string[] }> {
  const dir = scratch('readers');
  const mail = await startPigeonhole({ storage: dir });
  const ids: string[] = [];
  for (const raw of MESSAGES) {
    const info = await transport(mail).sendMail({ envelope: { from: 'a@example.test', to: ['b@example.test'] }, raw });
    ids.push(/queued as (\S+)/.exec(info.response)![1]!);
  }
  await mail.client.setRead(true, { ids: [ids[3]!] });
  await mail.stop();
  return { dir, ids };
}

describe('the --storage folder in real Maildir readers', () => {
  it.runIf(has('neomutt'))(
    'opens in neomutt, which reads every message as sent, and Pigeonhole restarts on it after',
    async () => {
      const { dir, ids } = await run();
      const out = scratch('neomutt-copy');
      // neomutt wants a terminal: util-linux's script gives it one. $folder set to a folder that
      // exists, or neomutt first asks to create ~/Mail and takes the first key as the answer. The keys tag every message (a simple search for any character in From or Subject) and
      // copy them to another Maildir, then quit (moving the files from new/ to cur/ as it does).
      const keys = `<tag-pattern>.<enter><tag-prefix><copy-message>${out}/copy<enter><quit>`;
      const command = `neomutt -n -F /dev/null -f ${dir} -e 'set folder=${out} confirmcreate=no mbox_type=Maildir quit=yes' -e 'push "${keys}"'`;
      const result = spawnSync('script', ['-qec', command, '/dev/null'], {
        env: { ...process.env, TERM: 'xterm', HOME: out },
        timeout: 30_000,
      });
      expect(result.status, result.stderr.toString()).toBe(0);
      const copied = maildirFiles(join(out, 'copy'));
      expect(copied).toHaveLength(MESSAGES.length);
      // neomutt writes the header block itself: it adds a Content-Length line and ends the block
      // with LF. Everything else, headers and body, is the bytes sent.
      const expected = MESSAGES.map((raw) => {
        const split = raw.indexOf('\r\n\r\n') + 2;
        const body = raw.subarray(split + 2);
        return Buffer.concat([
          raw.subarray(0, split),
          Buffer.from(`Content-Length: ${body.length}\n\n`),
          body,
        ]).toString('latin1');
      });
      expect(copied.map((f) => f.bytes.toString('latin1')).sort()).toEqual([...expected].sort());
      // The read message kept its seen flag through neomutt.
      const seen = copied.find((f) => f.bytes.includes('already read'))!;
      expect(seen.name).toMatch(/^cur\/.*:2,S$/);

      // neomutt moved every unread file from new/ to cur/: Pigeonhole finds them all by name.
      expect(readdirSync(join(dir, 'new'))).toEqual([]);
      const again = await startPigeonhole({ storage: dir });
      try {
        for (const [i, id] of ids.entries()) {
          expect(Buffer.from(await again.client.raw(id)).equals(MESSAGES[i]!)).toBe(true);
        }
        const listed = await again.client.messages();
        expect(listed.total).toBe(MESSAGES.length);
        expect(listed.messages.filter((m) => m.Read).map((m) => m.ID)).toEqual([ids[3]]);
      } finally {
        await again.stop();
      }
    },
    60_000,
  );

  it.runIf(has('mbsync'))(
    'is copied by mbsync, Maildir to Maildir, every message byte-identical',
    async () => {
      const { dir } = await run();
      const out = scratch('mbsync-copy');
      const config = join(out, 'mbsyncrc');
      // AltMap keeps mbsync's UIDs in a database of its own instead of in the file names: renaming
      // Pigeonhole's files is what a reader should not do while Pigeonhole keeps the folder.
      writeFileSync(
        config,
        `MaildirStore pigeonhole\nInbox ${dir}\nAltMap yes\n\nMaildirStore copy\nInbox ${out}/copy\n\n` +
          'Channel c\nFar :pigeonhole:\nNear :copy:\nSync Pull\nCreate Near\nSyncState *\n',
      );
      chmodSync(config, 0o600);
      const result = spawnSync('mbsync', ['-q', '-c', config, '-a'], {
        env: { ...process.env, HOME: out },
        timeout: 30_000,
      });
      expect(result.status, result.stderr.toString()).toBe(0);
      const copied = maildirFiles(join(out, 'copy'));
      expect(copied).toHaveLength(MESSAGES.length);
      // mbsync adds one header of its own to what it copies, X-TUID, to find the copy again.
      const stripped = copied.map((f) => f.bytes.toString('latin1').replace(/^X-TUID: \S+\n/m, ''));
      expect(stripped.sort()).toEqual(MESSAGES.map((raw) => raw.toString('latin1')).sort());
      expect(copied.find((f) => f.bytes.includes('already read'))!.name).toMatch(/:2,S$/);
      // Pigeonhole's own files are as they were: same names, same bytes.
      expect(
        maildirFiles(dir)
          .map((f) => f.bytes.toString('latin1'))
          .sort(),
      ).toEqual(MESSAGES.map((raw) => raw.toString('latin1')).sort());
    },
    60_000,
  );
});
