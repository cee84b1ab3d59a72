import { createServer } from 'node:net';
import type { SpamCheck } from '@pigeonhole/shared/schemas/checks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendThroughApi, start } from './helpers/pigeonhole';
import { has } from './helpers/tools';
import { startRspamd, startSpamd, type Daemon } from './helpers/spam-daemons';

const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';

function send(httpUrl: string, subject: string, text: string): Promise<string> {
  return sendThroughApi(httpUrl, {
    From: { Email: 'alice@example.test', Name: 'Alice' },
    To: [{ Email: 'bob@example.test', Name: 'Bob' }],
    Subject: subject,
    Text: text,
  });
}

async function spamCheck(httpUrl: string, id: string): Promise<SpamCheck> {
  const res = await fetch(`${httpUrl}/api/v1/message/${id}/sa-check`);
  expect(res.status).toBe(200);
  return (await res.json()) as SpamCheck;
}

/** GTUBE is spam and lists its rule; a plain note is not; the filter is named. */
async function gtubeAndPlain(httpUrl: string, filter: 'spamassassin' | 'rspamd'): Promise<void> {
  const spam = await spamCheck(httpUrl, await send(httpUrl, 'Offer', `Buy now\n${GTUBE}\n`));
  expect(spam).toMatchObject({ IsSpam: true, Error: '', Filter: filter });
  expect(spam.Rules.map((r) => r.Name)).toContain('GTUBE');
  const ham = await spamCheck(
    httpUrl,
    await send(httpUrl, 'Lunch on Friday', 'Shall we meet at noon by the fountain?\n'),
  );
  expect(ham).toMatchObject({ IsSpam: false, Error: '', Filter: filter });
  expect(ham.Score).toBeLessThan(5);
  expect(ham.Rules.length).toBeGreaterThan(0);
  for (const rule of [...spam.Rules, ...ham.Rules]) {
    expect(rule.Name).toMatch(/^[A-Z0-9_]+$/);
    expect(typeof rule.Score).toBe('number');
  }
}

describe.runIf(has('spamd'))('spam check against real spamd (--spamassassin)', () => {
  let spamd: Daemon;
  beforeAll(async () => {
    spamd = await startSpamd();
  }, 90_000);
  afterAll(async () => spamd?.stop());

  it('GTUBE is spam, a plain message is not, rules listed; /webui says the check is on', async () => {
    const p = await start({ spamassassin: `127.0.0.1:${spamd.port}` });
    await gtubeAndPlain(p.httpUrl, 'spamassassin');
    const webui = (await (await fetch(`${p.httpUrl}/api/v1/webui`)).json()) as { SpamAssassin: boolean };
    expect(webui.SpamAssassin).toBe(true);
  });
});

describe.runIf(has('rspamd'))('spam check against real rspamd (--rspamd)', () => {
  let rspamd: Daemon;
  beforeAll(async () => {
    rspamd = await startRspamd();
  }, 90_000);
  afterAll(async () => rspamd?.stop());

  it('GTUBE is spam, a plain message is not, rules listed', async () => {
    const p = await start({ rspamd: `http://127.0.0.1:${rspamd.port}` });
    await gtubeAndPlain(p.httpUrl, 'rspamd');
  });
});

describe('spam check with a filter down or silent', () => {
  it('a stopped daemon (nothing listening) is a clear error, not a hang', async () => {
    // A port that was just free: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const p = await start({ spamassassin: `127.0.0.1:${port}`, rspamd: `http://127.0.0.1:${port}` });
    const result = await spamCheck(p.httpUrl, await send(p.httpUrl, 'x', 'y'));
    expect(result.IsSpam).toBe(false);
    expect(result.Error).toBe(
      `spamd at 127.0.0.1:${port}: connection refused; rspamd at http://127.0.0.1:${port}: connection refused`,
    );
  });

  it('a daemon that accepts and never answers gives an error within --spam-timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const p = await start({ spamassassin: `127.0.0.1:${port}`, spamTimeout: '500ms' });
      const result = await spamCheck(p.httpUrl, await send(p.httpUrl, 'x', 'y'));
      expect(result.Error).toBe(`spamd at 127.0.0.1:${port} did not answer within 500 ms`);
    } finally {
      silent.close();
    }
  });

  it('without --spamassassin or --rspamd the route answers 400 saying how to enable it', async () => {
    const p = await start();
    const id = await send(p.httpUrl, 'x', 'y');
    const res = await fetch(`${p.httpUrl}/api/v1/message/${id}/sa-check`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/--spamassassin HOST:PORT or --rspamd URL/);
  });
});
