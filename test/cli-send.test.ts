import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli';
import { start } from './helpers/pigeonhole';

describe('pigeonhole send', () => {
  it('sends a test message with HTML, text, Cc, Bcc, a header and an attachment', async () => {
    const p = await start();
    const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-send-'));
    const file = join(dir, 'report.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const cli = runCli([
      'send',
      '--smtp',
      `127.0.0.1:${p.smtpPort}`,
      '--to',
      'alice@example.test,bob@example.test',
      '--cc',
      'carol@example.test',
      '--bcc',
      'hidden@example.test',
      '--from',
      'App <app@example.test>',
      '--subject',
      'Quarterly report',
      '--text',
      'See attached.',
      '--html',
      '<p>See <b>attached</b>.</p>',
      '--attach',
      file,
      '--header',
      'X-Tags: reports',
    ]);
    expect(await cli.exited, cli.stderr()).toBe(0);
    expect(cli.stdout()).toMatch(/^sent <.+> to alice@example.test, bob@example.test, carol@example.test: 250 /);
    const message = await p.client.waitForMessage({ subject: 'Quarterly report' });
    expect(message.From).toEqual({ Name: 'App', Address: 'app@example.test' });
    expect(message.To.map((a) => a.Address)).toEqual(['alice@example.test', 'bob@example.test']);
    expect(message.Cc.map((a) => a.Address)).toEqual(['carol@example.test']);
    expect(message.Bcc.map((a) => a.Address)).toEqual(['hidden@example.test']);
    expect(message.Text.trim()).toBe('See attached.');
    expect(message.HTML).toContain('<b>attached</b>');
    expect(message.Tags).toContain('reports');
    expect(message.Attachments.map((a) => a.FileName)).toEqual(['report.csv']);
    const bytes = await p.client.attachment(message.ID, message.Attachments[0]!.PartID);
    expect(Buffer.from(bytes).toString()).toBe('a,b\n1,2\n');
  });

  it('reads the body from standard input with -', async () => {
    const p = await start();
    const cli = runCli(['send', '-S', `127.0.0.1:${p.smtpPort}`, '--to', 'x@example.test', '--text', '-']);
    cli.child.stdin!.end('piped body\n');
    expect(await cli.exited, cli.stderr()).toBe(0);
    const message = await p.client.waitForMessage({ to: 'x@example.test' });
    expect(message.Subject).toBe('Test message');
    expect(message.Text.trim()).toBe('piped body');
  });

  it('exits 1 with a clear message when nothing listens', async () => {
    const p = await start();
    const port = p.smtpPort;
    await p.stop();
    const cli = runCli(['send', '--smtp', `127.0.0.1:${port}`, '--to', 'x@example.test']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(`pigeonhole send: cannot reach an SMTP server at 127.0.0.1:${port}`);
  });

  it('refuses a missing --to and a bad --smtp with usage errors', async () => {
    const missing = runCli(['send']);
    expect(await missing.exited).not.toBe(0);
    expect(missing.stderr()).toContain("required option '--to <address>'");
    const bad = runCli(['send', '--to', 'x@example.test', '--smtp', 'nonsense']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('--smtp: expected HOST:PORT');
  });
});
