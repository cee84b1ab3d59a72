import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli';
import { start } from './helpers/pigeonhole';

function ingest(p: Pigeonhole, args: string[]) {
  const cli = runCli(['ingest', '--smtp', `127.0.0.1:${p.smtpPort}`, ...args]);
  return cli.exited.then((code) => ({ code, stdout: cli.stdout(), stderr: cli.stderr() }));
}

/** A temporary tree: Maildir (with a Maildir++ sub-folder), an mbox, loose .eml files and a stray file. */
function mailTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'pigeonhole-ingest-'));
  const md = join(root, 'Maildir');
  for (const dir of ['cur', 'new', 'tmp', '.Sent/cur', '.Sent/new', '.Sent/tmp'])
    mkdirSync(join(md, dir), { recursive: true });
  writeFileSync(
    join(md, 'new', '1700000000.1.host'),
    'From: a@example.test\nTo: md-new@example.test\nSubject: maildir new\n\nx\n',
  );
  writeFileSync(
    join(md, 'cur', '1700000001.2.host:2,S'),
    'From: a@example.test\nTo: md-cur@example.test\nSubject: maildir cur\n\nx\n',
  );
  writeFileSync(join(md, 'tmp', 'half-delivered'), 'Subject: must not load\n\nx\n');
  writeFileSync(
    join(md, '.Sent', 'cur', '1700000002.3.host:2,S'),
    'From: me@example.test\nTo: sent@example.test\nSubject: sent folder\n\nx\n',
  );
  writeFileSync(
    join(root, 'archive.mbox'),
    'From alice@example.test Mon Jan  1 00:00:00 2024\nFrom: alice@example.test\nTo: mbox@example.test\nSubject: mbox one\n\nbody\n>From the quoted line\n>>From stays quoted once\n\n' +
      'From MAILER-DAEMON Mon Jan  1 00:00:01 2024\nSubject: mbox two has no recipient\n\nsecond\n',
  );
  writeFileSync(
    join(root, 'loose.eml'),
    Buffer.from(
      'To: eml@example.test\nSubject: loose eml\nContent-Type: text/plain; charset=latin1\nContent-Transfer-Encoding: 8bit\n\ncaf\xe9\n',
      'latin1',
    ),
  );
  writeFileSync(join(root, 'notes.txt'), 'not mail');
  return root;
}

describe('pigeonhole ingest', () => {
  it('loads Maildir folders, mbox files and .eml files found under a directory', async () => {
    const p = await start();
    const root = mailTree();
    const r = await ingest(p, [root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ingested 6 messages');
    expect(r.stdout).toContain('1 files skipped (not mail)');
    const list = await p.client.messages();
    expect(list.messages.map((m) => m.Subject).sort()).toEqual([
      'loose eml',
      'maildir cur',
      'maildir new',
      'mbox one',
      'mbox two has no recipient',
      'sent folder',
    ]);
    // mboxrd: one level of > quoting is undone; the separator line and blank line are not in the message.
    const one = await p.client.waitForMessage({ subject: 'mbox one' });
    const raw = Buffer.from(await p.client.raw(one.ID)).toString();
    expect(raw.startsWith('From: alice@example.test\r\n')).toBe(true);
    expect(raw.endsWith('body\r\nFrom the quoted line\r\n>From stays quoted once\r\n')).toBe(true);
    // A message that names no recipient still needs one in the envelope.
    const two = await p.client.waitForMessage({ subject: 'mbox two' });
    expect(two.Bcc.map((a) => a.Address)).toEqual(['undisclosed-recipients@localhost']);
    // 8-bit bytes pass unchanged.
    const eml = await p.client.waitForMessage({ subject: 'loose eml' });
    expect(Buffer.from(await p.client.raw(eml.ID)).includes(Buffer.from('caf\xe9\r\n', 'latin1'))).toBe(true);
  });

  it('loads a single file as one message, or as an mbox when it starts with a From line, with --rcpt and a progress bar', async () => {
    const p = await start();
    const root = mailTree();
    const r = await ingest(p, [
      join(root, 'archive.mbox'),
      join(root, 'notes.txt'),
      '--rcpt',
      'inbox@example.test',
      '--progress',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ingested 3 messages');
    expect(r.stderr).toMatch(/\[#+\] 100%\s+3 messages/);
    const session = await p.client.session((await p.client.waitForMessage({ subject: 'mbox one' })).ID);
    expect(session.RcptTo).toEqual(['inbox@example.test']);
    expect(session.MailFrom).toBe('alice@example.test');
  });

  it('reports refused messages and exits 1, and exits 2 for a path that does not exist', async () => {
    const p = await start({ maxMessageSize: 1024 });
    const root = mkdtempSync(join(tmpdir(), 'pigeonhole-ingest-'));
    writeFileSync(join(root, 'small.eml'), 'To: a@example.test\nSubject: small\n\nx\n');
    writeFileSync(join(root, 'big.eml'), `To: a@example.test\nSubject: big\n\n${'x'.repeat(4000)}\n`);
    const r = await ingest(p, [root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ingested 1 messages');
    expect(r.stderr).toContain('big.eml');
    expect(r.stderr).toContain('552');
    const missing = await ingest(p, [join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope');
  });
});
