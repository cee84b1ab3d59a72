import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

interface Hit {
  method: string;
  url: string;
  type: string;
  authorization: string;
  body: string;
}

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A small webhook receiver on 127.0.0.1 that answers `status` and records every request. */
async function receiver(status = 200, headers: Record<string, string> = {}) {
  const hits: Hit[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      hits.push({
        method: req.method!,
        url: req.url!,
        type: req.headers['content-type'] ?? '',
        authorization: req.headers.authorization ?? '',
        body,
      });
      res.writeHead(status, headers).end();
      for (const w of waiting.filter((w) => hits.length >= w.count)) w.resolve();
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`;
  const received = (count: number) =>
    new Promise<Hit[]>((resolve) => {
      if (hits.length >= count) resolve(hits);
      else waiting.push({ count, resolve: () => resolve(hits) });
    });
  return { url, hits, received };
}

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: { msg: string; [key: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('webhook', () => {
  it('POSTs the MessageSummary of each new message, the same object the list returns', async () => {
    const hook = await receiver();
    const p = await start({ webhookUrl: hook.url, webhookLimit: 0 });
    await transport(p).sendMail({
      from: 'Ann <ann@example.test>',
      to: 'bob@example.test',
      subject: 'hooked',
      text: 'hi',
    });
    const [hit] = await hook.received(1);
    expect(hit!.method).toBe('POST');
    expect(hit!.url).toBe('/hook?x=1');
    expect(hit!.type).toBe('application/json');
    const posted = JSON.parse(hit!.body) as MessageSummary;
    const [listed] = (await p.client.messages()).messages;
    expect(posted).toEqual(listed);
    expect(posted.Subject).toBe('hooked');
  });

  it('delivers every message, in order, through the rate limiter (its timing is unit-tested with a fake clock)', async () => {
    const hook = await receiver();
    const p = await start({ webhookUrl: hook.url, webhookLimit: 4, webhookBurst: 1 });
    const mailer = transport(p);
    for (const subject of ['one', 'two', 'three'])
      await mailer.sendMail({ from: 'a@example.test', to: 'b@example.test', subject, text: subject });
    const hits = await hook.received(3);
    expect(hits.map((h) => (JSON.parse(h.body) as MessageSummary).Subject)).toEqual(['one', 'two', 'three']);
  });

  it('never blocks ingest on a failing receiver and logs the failure once', async () => {
    const hook = await receiver(500);
    const { logger, lines } = capturingLogger();
    const p = await start({ webhookUrl: hook.url, webhookLimit: 0, logger });
    const mailer = transport(p);
    for (let i = 0; i < 3; i++) {
      const info = await mailer.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: `s${i}`, text: 'x' });
      expect(info.response).toMatch(/^250 /);
    }
    await hook.received(3);
    // POSTs go one at a time: the third arrived only after the first two failed (and were logged or not).
    const failures = lines.filter((l) => l.msg.startsWith('webhook POST failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ reason: 'HTTP 500' });
    expect(p.store.count).toBe(3);
  });

  it('does not follow redirects: it posts only to the configured URL', async () => {
    const elsewhere = await receiver();
    const hook = await receiver(307, { location: elsewhere.url });
    const p = await start({ webhookUrl: hook.url, webhookLimit: 0 });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 'x' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 't', text: 'x' });
    await hook.received(2);
    expect(elsewhere.hits).toHaveLength(0);
  });

  it('sends credentials in the URL as Basic auth and never logs them', async () => {
    const hook = await receiver(500);
    const { logger, lines } = capturingLogger();
    const p = await start({
      webhookUrl: hook.url.replace('http://', 'http://hook%40user:s%3Acret@'),
      webhookLimit: 0,
      logger,
    });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 'x' });
    const [hit] = await hook.received(1);
    expect(hit!.authorization).toBe(`Basic ${Buffer.from('hook@user:s:cret').toString('base64')}`);
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 't', text: 'x' });
    await hook.received(2);
    expect(lines.some((l) => l.msg.startsWith('webhook POST failed'))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('cret');
  });

  it('refuses URLs other than http(s)', async () => {
    await expect(start({ webhookUrl: 'file:///etc/passwd' })).rejects.toThrow(/only http:\/\/ and https:\/\/ URLs/);
    await expect(start({ webhookUrl: 'not a url' })).rejects.toThrow(/--webhook-url: not a URL/);
  });
});
