import net from 'node:net';
import { code, links, startPigeonhole, WaitTimeoutError } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

const signupHtml = `<!doctype html><html><head><style>p { color: #333 }</style></head><body>
<h1>Welcome, Alice</h1>
<p>Order reference 202611 was created.</p>
<p>Your verification code is <strong>481 516</strong>... no, really: <strong>481516</strong></p>
<p><a href="https://app.example.test/confirm?token=abc123&amp;user=alice">Confirm your address</a></p>
<p><a href="https://app.example.test/unsubscribe">Unsubscribe</a> · <a href="#top">Top</a></p>
</body></html>`;
const signupText = `Welcome, Alice
Your verification code is 481516
Confirm: https://app.example.test/confirm?token=abc123&user=alice
Help: https://help.example.test/signup`;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startPigeonhole in-process', () => {
  it('starts with no options on free ports of 127.0.0.1, and stop() closes every socket', async () => {
    const p = await startPigeonhole({ logLevel: 'silent' });
    expect(p.smtpHost).toBe('127.0.0.1');
    expect(p.smtpPort).toBeGreaterThan(0);
    expect(p.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const httpPort = Number(new URL(p.httpUrl).port);
    expect(await listening(p.smtpPort)).toBe(true);
    expect((await fetch(`${p.httpUrl}/readyz`)).status).toBe(200);
    await p.stop();
    expect(await listening(p.smtpPort)).toBe(false);
    expect(await listening(httpPort)).toBe(false);
    await p.stop(); // twice is harmless
  });

  it('runs several instances in one process, each with its own mail', async () => {
    const instances = await Promise.all([1, 2, 3, 4].map(() => start()));
    expect(new Set(instances.map((p) => p.smtpPort)).size).toBe(4);
    expect(new Set(instances.map((p) => p.httpUrl)).size).toBe(4);
    await Promise.all(
      instances.map((p, i) =>
        transport(p).sendMail({
          from: 'app@example.test',
          to: `user${i}@example.test`,
          subject: `for ${i}`,
          text: 'x',
        }),
      ),
    );
    for (const [i, p] of instances.entries()) {
      const list = await p.client.messages();
      expect(list.total).toBe(1);
      expect(list.messages[0]!.Subject).toBe(`for ${i}`);
    }
  });

  it('takes the CLI options in camelCase', async () => {
    const p = await start({ max: 2, smtpHostname: 'catcher.test' });
    expect(p.config.max).toBe(2);
    const t = transport(p);
    for (const subject of ['a', 'b', 'c']) await t.sendMail({ from: 'a@x.test', to: 'b@x.test', subject, text: '.' });
    expect((await p.client.messages()).messages.map((m) => m.Subject)).toEqual(['c', 'b']);
  });
});

describe('waitForMessage', () => {
  it('resolves with the full message when it arrives later', async () => {
    const p = await start();
    let settled = false;
    const waiting = p.client.waitForMessage({ to: 'alice@example.test', timeout: 10_000 });
    void waiting.finally(() => (settled = true));
    // Unrelated mail first: the wait must not resolve on it.
    await transport(p).sendMail({ from: 'app@example.test', to: 'bob@example.test', subject: 'not yours', text: 'x' });
    await p.client.messages();
    expect(settled).toBe(false);
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'alice@example.test',
      subject: 'Welcome',
      text: signupText,
      html: signupHtml,
    });
    const message = await waiting;
    expect(message.Subject).toBe('Welcome');
    expect(message.To.map((a) => a.Address)).toEqual(['alice@example.test']);
    expect(message.HTML).toContain('Confirm your address');
  });

  it('resolves at once for mail already there', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'app@example.test', to: 'carol@example.test', subject: 'Reset', text: 'x' });
    const message = await p.client.waitForMessage({ to: 'carol@example.test', subject: 'Reset', timeout: 5000 });
    expect(message.Subject).toBe('Reset');
  });

  it('waits for a count of messages', async () => {
    const p = await start();
    const waiting = p.client.waitForMessages({ to: 'dave@example.test', count: 3, timeout: 10_000 });
    const t = transport(p);
    for (const n of [1, 2, 3])
      await t.sendMail({ from: 'a@example.test', to: 'dave@example.test', subject: `n${n}`, text: 'x' });
    const summaries = await waiting;
    expect(summaries.map((m) => m.Subject).sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('times out with an error that names the query and lists what did arrive', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'app@example.test', to: 'bob@example.test', subject: 'Invoice 42', text: 'x' });
    const error = await p.client.waitForMessage({ to: 'alice@example.test', timeout: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const message = (error as Error).message;
    expect(message).toContain('addressed:alice@example.test');
    expect(message).toContain('Invoice 42');
    expect(message).toContain('bob@example.test');
    expect((error as WaitTimeoutError).arrived.map((m) => m.Subject)).toEqual(['Invoice 42']);
  });

  it('says how many of a count arrived at the timeout', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'a@example.test', to: 'erin@example.test', subject: 'one', text: 'x' });
    const error = await p.client
      .waitForMessages({ to: 'erin@example.test', count: 2, timeout: 300 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/only 1 of 2 messages matching "addressed:erin@example.test" arrived/);
  });
});

describe('links and code on real HTML mail', () => {
  it('finds the links and the one-time code of a sign-up mail sent over SMTP', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'alice@example.test',
      subject: 'Confirm your address',
      text: signupText,
      html: signupHtml,
    });
    const message = await p.client.waitForMessage({ to: 'alice@example.test' });
    expect(links(message)).toEqual([
      'https://app.example.test/confirm?token=abc123&user=alice',
      'https://app.example.test/unsubscribe',
      'https://help.example.test/signup',
    ]);
    expect(code(message)).toBe('481516');
    expect(code({ HTML: message.HTML })).toBe('481516');
  });

  it('reads a code from an HTML-only, quoted-printable mail', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'otp@example.test',
      subject: 'Your login code',
      html: `<table><tr><td style="font-size:32px;letter-spacing:8px">7302</td></tr></table>${'<p>padding line to force quoted-printable soft breaks</p>'.repeat(5)}`,
      textEncoding: 'quoted-printable',
    });
    const message = await p.client.waitForMessage({ to: 'otp@example.test' });
    expect(code(message, { digits: 4 })).toBe('7302');
    expect(() => code(message)).toThrow(/no 6-digit code in message "Your login code"/);
  });
});
