import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Pigeonhole } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';

/** IMAP with the command-line clients of Debian: curl (imap://), mbsync (isync) and neomutt. */

const run = promisify(execFile);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));

let p: Pigeonhole | undefined;
let dir: string | undefined;
afterEach(async () => {
  await p?.stop();
  p = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A message whose bytes a client could easily change: a dot line, a bare-LF-free long body, 8-bit text. */
const RAW = [
  'From: Alice <alice@example.test>',
  'To: Bob <bob@example.test>',
  'Subject: =?UTF-8?Q?caf=C3=A9?=',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'café au lait',
  '.',
  '..two dots',
  'From the start of a line',
  '',
].join('\r\n');

describe.runIf(has('curl'))('IMAP with curl', () => {
  it('lists INBOX and fetches a message by UID, byte for byte', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({ envelope: { from: 'alice@example.test', to: ['bob@example.test'] }, raw: RAW });
    const stored = p.store.latest()!;
    const base = `imap://127.0.0.1:${p.imapPort}`;

    const list = await run('curl', ['-sS', '--max-time', '10', '--user', 'dev:x', `${base}/`]);
    expect(list.stdout).toContain('* LIST (\\HasNoChildren) "/" INBOX');
    const fetched = await run(
      'curl',
      ['-sS', '--max-time', '10', '--user', 'dev:x', `${base}/INBOX/;UID=${stored.seq}`],
      {
        encoding: 'buffer',
      },
    );
    expect(fetched.stdout.equals(stored.keepRaw())).toBe(true);
  });

  it('fetches over STARTTLS with the SMTP certificate', async () => {
    p = await start({
      imap: '127.0.0.1:0',
      smtpTlsCert: fixture('localhost.crt'),
      smtpTlsKey: fixture('localhost.key'),
    });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'tls', text: 'over tls' });
    const stored = p.store.latest()!;
    const { stdout } = await run(
      'curl',
      [
        '-sS',
        '--max-time',
        '10',
        '--ssl-reqd',
        '--cacert',
        fixture('localhost.crt'),
        '--user',
        'dev:x',
        `imap://localhost:${p.imapPort}/INBOX/;UID=${stored.seq}`,
      ],
      { encoding: 'buffer' },
    );
    expect(stdout.equals(stored.keepRaw())).toBe(true);
  });
});

describe.runIf(has('mbsync'))('IMAP with mbsync (isync)', () => {
  it('syncs the whole account into a Maildir, every message byte-identical', async () => {
    p = await start({
      imap: '127.0.0.1:0',
      smtpTlsCert: fixture('localhost.crt'),
      smtpTlsKey: fixture('localhost.key'),
    });
    const t = transport(p);
    await t.sendMail({ envelope: { from: 'alice@example.test', to: ['bob@example.test'] }, raw: RAW });
    for (let i = 0; i < 5; i++) {
      await t.sendMail({
        from: 'a@example.test',
        to: 'b@example.test',
        subject: `n${i}`,
        text: `body ${i}`,
        attachments: [{ filename: `f${i}.bin`, content: Buffer.alloc(1000 * i, i) }],
      });
    }
    dir = await mkdtemp(join(tmpdir(), 'pigeonhole-mbsync-'));
    const config = join(dir, 'mbsyncrc');
    await writeFile(
      config,
      [
        'IMAPAccount pigeonhole',
        'Host localhost',
        `Port ${p.imapPort}`,
        'User dev',
        'Pass x',
        'SSLType STARTTLS',
        `CertificateFile ${fixture('localhost.crt')}`,
        '',
        'IMAPStore remote',
        'Account pigeonhole',
        '',
        'MaildirStore local',
        `Path ${dir}/mail/`,
        `Inbox ${dir}/mail/INBOX`,
        '',
        'Channel pull',
        'Far :remote:',
        'Near :local:',
        'Patterns INBOX',
        'Sync Pull',
        'Create Near',
        `SyncState ${dir}/state/`,
        '',
      ].join('\n'),
    );
    await mkdir(join(dir, 'state'));
    await mkdir(join(dir, 'mail'));
    await run('mbsync', ['-c', config, '-a'], { timeout: 30_000 });

    const inbox = join(dir, 'mail', 'INBOX');
    const files = [
      ...(await readdir(join(inbox, 'new'))).map((n) => join(inbox, 'new', n)),
      ...(await readdir(join(inbox, 'cur'))).map((n) => join(inbox, 'cur', n)),
    ];
    const synced = await Promise.all(files.map((f) => readFile(f)));
    const expected = [...p.store.newestFirst()].map((m) => m.keepRaw());
    expect(synced).toHaveLength(expected.length);
    // mbsync writes Maildir files with the local line end (LF) and adds its own X-TUID header line
    // (it finds a copied message by it, and drops it again when it copies the message back): the
    // bytes are otherwise the stored bytes, nothing else changed.
    const tuid = /^X-TUID: [A-Za-z0-9+/]{12}\n/m;
    expect(synced.every((b) => tuid.test(b.toString('latin1')))).toBe(true);
    const local = (b: Buffer): string => b.toString('latin1').replace(tuid, '');
    const lf = (b: Buffer): string => b.toString('latin1').replace(/\r\n/g, '\n');
    expect(synced.map(local).sort()).toEqual(expected.map(lf).sort());

    // A read in the API reaches the Maildir at the next sync, as the Seen flag (`:2,S`).
    await p.client.setRead(true, { ids: [p.store.latest()!.id] });
    await run('mbsync', ['-c', config, '-a'], { timeout: 30_000 });
    const seen = (await readdir(join(inbox, 'cur'))).filter((n) => /:2,[A-Z]*S[A-Z]*$/.test(n));
    expect(seen).toHaveLength(1);
    expect(await readdir(join(inbox, 'new'))).toHaveLength(expected.length - 1);
  });
});

/**
 * Runs neomutt headless against the IMAP port: `script` gives it the terminal it insists on, and the
 * keys it would be typed come from `push` in its configuration. Resolves once neomutt has quit.
 */
async function neomutt(p: Pigeonhole, home: string, keys: string): Promise<void> {
  const rc = join(home, 'neomuttrc');
  await writeFile(
    rc,
    [
      `set folder="imap://127.0.0.1:${p.imapPort}/"`,
      'set imap_user="dev"',
      'set imap_pass="x"',
      'set spoolfile="+INBOX"',
      'set ssl_starttls=no',
      'set ssl_force_tls=no',
      'set wait_key=no',
      'set pipe_decode=no',
      'set delete=yes',
      'set header_cache=""',
      'set message_cachedir=""',
      `push "${keys}"`,
      '',
    ].join('\n'),
  );
  await run('script', ['-qfec', `neomutt -n -F ${rc}`, '/dev/null'], {
    timeout: 20_000,
    env: { PATH: process.env.PATH, TERM: 'xterm', HOME: home },
  });
}

describe.runIf(has('neomutt'))('IMAP with neomutt (headless)', () => {
  it('reads a message as stored, marks it read for the API, and deletes it for the API', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({ envelope: { from: 'alice@example.test', to: ['bob@example.test'] }, raw: RAW });
    const stored = p.store.latest()!;
    dir = await mkdtemp(join(tmpdir(), 'pigeonhole-neomutt-'));
    const out = join(dir, 'piped.eml');

    await neomutt(p, dir, `<pipe-message>cat > ${out}<enter><display-message><exit><quit>`);
    // neomutt pipes the message with local line ends (LF), byte for byte otherwise.
    expect((await readFile(out)).toString('latin1')).toBe(stored.keepRaw().toString('latin1').replace(/\r\n/g, '\n'));
    expect((await p.client.messages()).messages.find((m) => m.ID === stored.id)?.Read).toBe(true);

    await neomutt(p, dir, '<delete-message><sync-mailbox><quit>');
    expect(p.store.get(stored.id)).toBeUndefined();
  });
});
