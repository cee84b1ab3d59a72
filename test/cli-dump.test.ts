import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pigeonhole } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-dump-'));
  dirs.push(dir);
  return dir;
}

async function cli(args: string[]) {
  const run = runCli(args);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Body lines an mbox must quote, and one it must leave alone. */
const TRICKY_BODY =
  'Hello,\r\nFrom here on the body has lines an mbox must quote:\r\n>From one\r\n>>From two\r\nFrom\r\n';

/** A source Pigeonhole with mail worth exporting: a body line starting with `From `, 8-bit text, read state. */
async function source(): Promise<{ p: Pigeonhole; raws: Map<string, Buffer> }> {
  const p = await start();
  const smtp = transport(p);
  await smtp.sendMail({ from: 'a@example.test', to: 'alice@example.test', subject: 'tricky', text: TRICKY_BODY });
  await smtp.sendMail({ from: 'b@example.test', to: 'bob@example.test', subject: 'grüße', text: 'Grüße aus Köln\r\n' });
  await smtp.sendMail({
    from: 'c@example.test',
    to: 'alice@example.test',
    subject: 'with file',
    text: 'see attached',
    attachments: [{ filename: 'a.bin', content: Buffer.from([0, 1, 2, 255]) }],
  });
  const list = (await p.client.messages()).messages;
  await p.client.setRead(true, { ids: [list.find((m) => m.Subject === 'grüße')!.ID] });
  const raws = new Map<string, Buffer>();
  for (const m of list) raws.set(m.Subject, Buffer.from(await p.client.raw(m.ID)));
  return { p, raws };
}

/** The raw bytes a Pigeonhole holds, by subject. */
async function rawsOf(p: Pigeonhole): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const m of (await p.client.messages()).messages) out.set(m.Subject, Buffer.from(await p.client.raw(m.ID)));
  return out;
}

describe('pigeonhole dump', () => {
  it('writes .eml files oldest first, byte for byte, and only those a --query matches', async () => {
    const { p, raws } = await source();
    const all = join(tempDir(), 'all');
    const result = await cli(['dump', all, '--url', p.httpUrl]);
    expect(result.stderr).toBe(`dumped 3 messages to ${all} as eml\n`);
    expect(result.code).toBe(0);
    const files = readdirSync(all).sort();
    expect(files).toEqual(['000001.eml', '000002.eml', '000003.eml']);
    expect(readFileSync(join(all, files[0]!)).equals(raws.get('tricky')!)).toBe(true);
    expect(readFileSync(join(all, files[2]!)).equals(raws.get('with file')!)).toBe(true);

    const some = join(tempDir(), 'alice');
    expect((await cli(['dump', some, '--url', p.httpUrl, '--query', 'to:alice@example.test'])).code).toBe(0);
    expect(readdirSync(some)).toHaveLength(2);
    // A second dump into the same folder must not clobber the first.
    const again = await cli(['dump', some, '--url', p.httpUrl]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `pigeonhole dump: cannot write ${some}: the folder is not empty: dump .eml files into a new or empty one\n`,
    );
  });

  it('writes a Maildir (new/ unread, cur/ read with :2,S) that ingest loads into another Pigeonhole byte-identical', async () => {
    const { p, raws } = await source();
    const md = join(tempDir(), 'Maildir');
    expect((await cli(['dump', md, '--format', 'maildir', '--url', p.httpUrl])).code).toBe(0);
    expect(readdirSync(join(md, 'tmp'))).toEqual([]);
    expect(readdirSync(join(md, 'new'))).toHaveLength(2);
    const cur = readdirSync(join(md, 'cur'));
    expect(cur).toHaveLength(1);
    expect(cur[0]).toMatch(/:2,S$/);
    expect(readFileSync(join(md, 'cur', cur[0]!)).equals(raws.get('grüße')!)).toBe(true);
    expect(statSync(join(md, 'cur', cur[0]!)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);

    const other = await start();
    const loaded = await cli(['ingest', md, '--smtp', `127.0.0.1:${other.smtpPort}`]);
    expect(loaded.code).toBe(0);
    expect(await rawsOf(other)).toEqual(raws);
  });

  it('writes an mboxrd that ingest loads into another Pigeonhole byte-identical', async () => {
    const { p, raws } = await source();
    const mbox = join(tempDir(), 'mail.mbox');
    expect((await cli(['dump', mbox, '--format', 'mbox', '--url', p.httpUrl])).code).toBe(0);
    const text = readFileSync(mbox, 'latin1');
    expect(text).toContain('\r\n>From here on the body');
    expect(text).toContain('\r\n>>From one\r\n>>>From two\r\nFrom\r\n');
    const other = await start();
    expect((await cli(['ingest', mbox, '--smtp', `127.0.0.1:${other.smtpPort}`])).code).toBe(0);
    expect(await rawsOf(other)).toEqual(raws);
  });

  it.skipIf(!has('python3'))(
    "an mbox with a body line starting with From survives Python's mailbox reader",
    async () => {
      const { p, raws } = await source();
      const mbox = join(tempDir(), 'mail.mbox');
      expect((await cli(['dump', mbox, '--format', 'mbox', '--url', p.httpUrl])).code).toBe(0);
      // Python's mailbox splits at every `From ` line (mboxo) and leaves quoting to the reader: undone
      // here one level, as mboxrd says, the bytes must be those received, and no message split in two.
      const script = [
        'import mailbox, re, sys, base64, json',
        'box = mailbox.mbox(sys.argv[1])',
        "out = [base64.b64encode(re.sub(rb'(?m)^>(>*From )', rb'\\1', box.get_bytes(k))).decode() for k in box.keys()]",
        'print(json.dumps(out))',
      ].join('\n');
      const run = spawnSync('python3', ['-c', script, mbox], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const read = (JSON.parse(run.stdout) as string[]).map((b) => Buffer.from(b, 'base64'));
      expect(read).toHaveLength(3);
      expect(read).toEqual([raws.get('tricky')!, raws.get('grüße')!, raws.get('with file')!]);
    },
  );

  it('says so when Pigeonhole cannot be reached, with exit code 2', async () => {
    const result = await cli(['dump', join(tempDir(), 'x'), '--url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pigeonhole dump: cannot reach Pigeonhole at http:\/\/127\.0\.0\.1:1/);
  });
});
