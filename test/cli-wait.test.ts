import type { Message } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { runCli, until } from './helpers/cli';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

describe('pigeonhole wait', () => {
  it('exits 0 and prints the message when it arrives later', async () => {
    const p = await start();
    const cli = runCli(['wait', '--url', p.httpUrl, '--query', 'to:alice@example.test', '--timeout', '20s']);
    // Send only once the CLI's long-poll is open, so the mail really arrives later.
    const connections = () => new Promise<number>((resolve) => p.app.server.getConnections((_, n) => resolve(n)));
    await until(async () => (await connections()) > 0);
    // Mail for someone else must not end the wait.
    await transport(p).sendMail({ from: 'app@example.test', to: 'bob@example.test', subject: 'not this', text: 'x' });
    await transport(p).sendMail({ from: 'app@example.test', to: 'alice@example.test', subject: 'Welcome!', text: 'x' });
    expect(await cli.exited, cli.stderr()).toBe(0);
    const lines = cli.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('app@example.test -> alice@example.test  "Welcome!"');
  });

  it('prints full messages as JSON for a count already there, with the URL from PIGEONHOLE_URL', async () => {
    const p = await start();
    const t = transport(p);
    for (const n of [1, 2])
      await t.sendMail({ from: 'a@example.test', to: 'c@example.test', subject: `n${n}`, html: `<p>${n}</p>` });
    const cli = runCli(['wait', '--to', 'c@example.test', '--count', '2', '--json'], { PIGEONHOLE_URL: p.httpUrl });
    expect(await cli.exited, cli.stderr()).toBe(0);
    const messages = JSON.parse(cli.stdout()) as Message[];
    expect(messages.map((m) => m.Subject).sort()).toEqual(['n1', 'n2']);
    expect(messages[0]!.HTML).toMatch(/<p>\d<\/p>/);
  });

  it('exits 1 at the timeout naming the query and what did arrive', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'app@example.test', to: 'bob@example.test', subject: 'Invoice 7', text: 'x' });
    const cli = runCli(['wait', '--url', p.httpUrl, '--query', 'subject:reset', '--timeout', '300ms']);
    expect(await cli.exited).toBe(1);
    expect(cli.stdout()).toBe('');
    expect(cli.stderr()).toContain('pigeonhole wait: no message matching "subject:reset" arrived within 300 ms');
    expect(cli.stderr()).toContain('"Invoice 7" from app@example.test to bob@example.test');
  });

  it('exits 2 when Pigeonhole cannot be reached or an option is bad', async () => {
    const p = await start();
    const url = p.httpUrl;
    await p.stop();
    const down = runCli(['wait', '--url', url, '--timeout', '1s']);
    expect(await down.exited).toBe(2);
    expect(down.stderr()).toContain(`cannot reach Pigeonhole at ${url}`);
    const bad = runCli(['wait', '--url', url, '--timeout', 'soon']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('--timeout: expected a duration');
  });
});
