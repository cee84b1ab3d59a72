import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from './helpers/cli';
import { start } from './helpers/pigeonhole';

/** Runs `pigeonhole sendmail ARGS` with `input` on standard input. */
async function sendmail(p: Pigeonhole | number, args: string[], input: string) {
  const port = typeof p === 'number' ? p : p.smtpPort;
  const cli = runCli(['sendmail', ...args], { PIGEONHOLE_SMTP: `127.0.0.1:${port}` });
  cli.child.stdin!.end(input);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

async function rawOf(p: Pigeonhole, id: string): Promise<string> {
  return Buffer.from(await p.client.raw(id)).toString();
}

describe('pigeonhole sendmail', () => {
  it("takes PHP mail()'s -t -i: recipients from To, Cc and Bcc, Bcc dropped from the message", async () => {
    const p = await start();
    // What PHP's mail() writes: To and Subject as headers, then the extra headers, then the body.
    const input =
      'To: alice@example.test\nSubject: Order shipped\nFrom: shop@example.test\nCc: bob@example.test\n' +
      'Bcc: audit@example.test\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nHello\n.\nStill the body\n';
    const r = await sendmail(p, ['-t', '-i'], input);
    expect(r.code, r.stderr).toBe(0);
    const message = await p.client.waitForMessage({ subject: 'Order shipped' });
    expect(message.From?.Address).toBe('shop@example.test');
    expect(message.To.map((a) => a.Address)).toEqual(['alice@example.test']);
    expect(message.Cc.map((a) => a.Address)).toEqual(['bob@example.test']);
    expect(message.Bcc.map((a) => a.Address)).toEqual(['audit@example.test']);
    const raw = await rawOf(p, message.ID);
    expect(raw).not.toMatch(/^Bcc:/im);
    expect(raw).toContain('Hello\r\n.\r\nStill the body\r\n');
    const session = await p.client.session(message.ID);
    expect(session.MailFrom).toBe('shop@example.test');
    expect(session.RcptTo.sort()).toEqual(['alice@example.test', 'audit@example.test', 'bob@example.test']);
  });

  it("takes cron's flags (-FCronDaemon -i -B8BITMIME -oem user) and adds From, Date and Message-ID", async () => {
    const p = await start();
    const input =
      'Subject: Cron <root@host> run-parts /etc/cron.daily\nContent-Type: text/plain; charset=UTF-8\n\nüñí output\n';
    const r = await sendmail(p, ['-FCronDaemon', '-i', '-B8BITMIME', '-oem', 'root@example.test'], input);
    expect(r.code, r.stderr).toBe(0);
    const message = await p.client.waitForMessage({ to: 'root@example.test' });
    expect(message.From?.Name).toBe('CronDaemon');
    expect(message.MessageID).not.toBe('');
    expect(message.Text).toContain('üñí output');
    const raw = await rawOf(p, message.ID);
    expect(raw).toMatch(/^Date: /m);
    expect(raw).toMatch(/^Message-ID: </m);
  });

  it("takes git send-email's -i -f SENDER RECIPIENTS... for the envelope only", async () => {
    const p = await start();
    const input = 'From: Dev <dev@example.test>\nTo: list@example.test\nSubject: [PATCH] fix it\n\n---\n';
    const r = await sendmail(
      p,
      ['-i', '-f', 'bounces@example.test', 'list@example.test', 'reviewer@example.test'],
      input,
    );
    expect(r.code, r.stderr).toBe(0);
    const message = await p.client.waitForMessage({ subject: 'fix it' });
    const session = await p.client.session(message.ID);
    expect(session.MailFrom).toBe('bounces@example.test');
    expect(session.RcptTo).toEqual(['list@example.test', 'reviewer@example.test']);
    expect(message.From?.Address).toBe('dev@example.test');
  });

  it('passes a null sender given as -f "<>" (bounces) and an address in angle brackets', async () => {
    const p = await start();
    const bounce = await sendmail(p, ['-i', '-f', '<>', 'null@example.test'], 'Subject: bounce\n\nx\n');
    expect(bounce.code, bounce.stderr).toBe(0);
    const angled = await sendmail(
      p,
      ['-i', '-f', '<ops@example.test>', 'angled@example.test'],
      'Subject: angled\n\nx\n',
    );
    expect(angled.code, angled.stderr).toBe(0);
    const first = await p.client.waitForMessage({ to: 'null@example.test' });
    expect((await p.client.session(first.ID)).MailFrom).toBe('');
    const second = await p.client.waitForMessage({ to: 'angled@example.test' });
    expect((await p.client.session(second.ID)).MailFrom).toBe('ops@example.test');
  });

  it('ends the message at a lone dot without -i, as sendmail does', async () => {
    const p = await start();
    const r = await sendmail(p, ['dot@example.test'], 'Subject: dots\n\nbefore\n.\nafter\n');
    expect(r.code, r.stderr).toBe(0);
    const message = await p.client.waitForMessage({ to: 'dot@example.test' });
    const raw = await rawOf(p, message.ID);
    expect(raw).toContain('before\r\n');
    expect(raw).not.toContain('after');
  });

  it('works when installed as "sendmail" (a symlink)', async () => {
    const p = await start();
    const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-sendmail-'));
    const link = join(dir, 'sendmail');
    symlinkSync(CLI, link);
    const child = spawn(process.execPath, [link, '-t', '-i'], {
      env: { ...process.env, PIGEONHOLE_SMTP: `127.0.0.1:${p.smtpPort}` },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end('To: linked@example.test\nSubject: via the symlink\n\nhi\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect((await p.client.waitForMessage({ to: 'linked@example.test' })).Subject).toBe('via the symlink');
  });

  it('exits with sendmail codes: 64 for -bs, 64 without recipients, 75 when Pigeonhole is down', async () => {
    const p = await start();
    const bs = await sendmail(p, ['-bs'], 'x');
    expect(bs.code).toBe(64);
    expect(bs.stderr).toContain('-bs is not supported');
    const none = await sendmail(p, ['-t'], 'Subject: nobody\n\nx\n');
    expect(none.code).toBe(64);
    expect(none.stderr).toContain('no recipients');
    const port = p.smtpPort;
    await p.stop();
    const down = await sendmail(port, ['a@example.test'], 'Subject: x\n\nx\n');
    expect(down.code).toBe(75);
    expect(down.stderr).toContain('cannot reach an SMTP server');
  });
});
