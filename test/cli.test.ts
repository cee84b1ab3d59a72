import { describe, expect, it } from 'vitest';
import { freePort, runCli, until } from './helpers/cli';
import { transport } from './helpers/smtp';

describe('the pigeonhole CLI', () => {
  it('prints its version and help', async () => {
    const version = runCli(['--version']);
    expect(await version.exited).toBe(0);
    expect(version.stdout().trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = runCli(['--help']);
    expect(await help.exited).toBe(0);
    for (const flag of ['--smtp', '--listen', '--max', '--max-message-size', '--smtp-auth', '--smtp-require-tls']) {
      expect(help.stdout()).toContain(flag);
    }
    expect(help.stdout()).toContain('PIGEONHOLE_SMTP');
  });

  it('refuses a bad value with a clear message and exit code 2', async () => {
    const bad = runCli(['--smtp', 'nonsense']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('--smtp: expected HOST:PORT');
    const badEnv = runCli([], { PIGEONHOLE_MAX: '-3' });
    expect(await badEnv.exited).toBe(2);
    expect(badEnv.stderr()).toContain('--max');
  });

  it('listens where flags and environment say, catches mail, and stops on SIGTERM', async () => {
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const cli = runCli(['--smtp', `127.0.0.1:${smtpPort}`], {
      PIGEONHOLE_LISTEN: `127.0.0.1:${httpPort}`,
      PIGEONHOLE_MAX: '2',
    });
    try {
      const base = `http://127.0.0.1:${httpPort}`;
      await until(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200);
      expect(cli.stdout()).toContain(`127.0.0.1:${smtpPort}`);
      expect(cli.stdout()).toContain(base);
      expect((await fetch(`${base}/livez`)).status).toBe(200);
      const t = transport({ smtpPort } as never);
      for (const subject of ['one', 'two', 'three']) {
        await t.sendMail({ from: 'a@example.test', to: 'b@example.test', subject, text: 'x' });
      }
      const list = (await (await fetch(`${base}/api/v1/messages`)).json()) as {
        total: number;
        messages: { Subject: string }[];
      };
      expect(list.total).toBe(2);
      expect(list.messages.map((m) => m.Subject)).toEqual(['three', 'two']);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  });

  it('says so and exits 1 when the port is taken', async () => {
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const first = runCli(['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${httpPort}`]);
    try {
      await until(async () => (await fetch(`http://127.0.0.1:${httpPort}/readyz`).catch(() => null))?.status === 200);
      const second = runCli(['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${await freePort()}`]);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toContain('EADDRINUSE');
    } finally {
      first.child.kill('SIGTERM');
    }
    await first.exited;
  });
});
