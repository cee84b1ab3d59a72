import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/**
 * HTTP connections that send nothing, drip their headers or body, or idle between requests are
 * closed by the server within `--http-header-timeout`, `--http-request-timeout` and
 * `--http-idle-timeout` (short values here); long-poll answers and WebSockets outlive all three.
 * `--http-max-connections` closes the oldest idle keep-alive connection to admit a new one and
 * answers 503 only when none is idle. Bounds are generous: the server checks timeouts every
 * quarter of the shorter one, and the machine is shared.
 */

const SLACK_MS = 5000;

function portOf(p: Pigeonhole): number {
  return Number(new URL(p.httpUrl).port);
}

/** A raw connection and what it received; `closed` resolves with the time from connect to close. */
interface Probe {
  socket: Socket;
  received: () => string;
  closed: Promise<number>;
  /** `performance.now()` at the close. */
  closedAt: Promise<number>;
}

function open(p: Pigeonhole): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const socket = connect(portOf(p), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    const closedAt = new Promise<number>((done) => socket.once('close', () => done(performance.now())));
    const closed = closedAt.then((at) => at - began);
    const received = () => Buffer.concat(chunks).toString('latin1');
    socket.once('connect', () => resolve({ socket, received, closed, closedAt }));
    socket.once('error', reject);
  });
}

/** Writes one byte a second from `text` until the socket closes or the text runs out. */
function drip(socket: Socket, text: string): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text[i++]!);
  }, 1000);
  socket.once('close', () => clearInterval(timer));
}

/** Sends a keep-alive request on a raw socket and resolves once the whole answer is in. */
function keepAliveGet(probe: Probe, path: string): Promise<string> {
  const before = probe.received().length;
  probe.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const text = probe.received().slice(before);
      const end = text.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? NaN);
      if (end >= 0 && text.length >= end + 4 + length) {
        probe.socket.off('data', check);
        resolve(text);
      }
    };
    probe.socket.on('data', check);
    probe.closed.then(() => reject(new Error(`closed before the answer: ${probe.received()}`)));
  });
}

function isOpen(probe: Probe): boolean {
  return !probe.socket.destroyed && probe.socket.readyState === 'open';
}

describe('HTTP timeouts', () => {
  it('closes a silent socket, a header drip and a body drip within the timeouts, and idle keep-alives', async () => {
    const p = await start({
      enableChaos: true,
      httpHeaderTimeout: '2s',
      httpRequestTimeout: '3s',
      httpIdleTimeout: '1s',
    });
    const silent = await open(p);
    const headerDrip = await open(p);
    drip(
      headerDrip.socket,
      'GET /api/v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n',
    );
    const bodyDrip = await open(p);
    bodyDrip.socket.write(
      'PUT /api/v1/chaos HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
    );
    drip(bodyDrip.socket, '"Sender":{"ErrorCode":451,"Probability":1}}'.padEnd(199, ' '));
    const idle = await open(p);
    expect(await keepAliveGet(idle, '/livez')).toMatch(/^HTTP\/1\.1 200/);
    const idleSince = performance.now();

    // Served meanwhile: the held sockets block nobody.
    expect((await fetch(`${p.httpUrl}/api/v1/messages`)).status).toBe(200);

    const [silentMs, headerMs, bodyMs] = await Promise.all([silent.closed, headerDrip.closed, bodyDrip.closed]);
    const idleMs = (await idle.closedAt) - idleSince;
    expect(silentMs).toBeGreaterThanOrEqual(1900);
    expect(silentMs).toBeLessThan(2000 + SLACK_MS);
    expect(headerMs).toBeGreaterThanOrEqual(1900);
    expect(headerMs).toBeLessThan(2000 + SLACK_MS);
    expect(bodyMs).toBeGreaterThanOrEqual(2900);
    expect(bodyMs).toBeLessThan(3000 + SLACK_MS);
    expect(idleMs).toBeLessThan(1000 + SLACK_MS);
    for (const probe of [silent, headerDrip, bodyDrip]) expect(probe.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
    // The dripped body never reached the route.
    expect(p.app.pigeonhole.chaos?.triggers.Sender.Probability).toBe(0);
  });

  it('does not cut a long-poll answer of /api/v1/wait nor an open WebSocket', async () => {
    const p = await start({ httpHeaderTimeout: '500ms', httpRequestTimeout: '1s', httpIdleTimeout: '500ms' });
    const waiting = fetch(`${p.httpUrl}/api/v1/wait?query=${encodeURIComponent('subject:late')}&timeout=20s`);
    const ws = new WebSocket(`${p.httpUrl.replace(/^http/, 'ws')}/api/events`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    // Past every timeout, twice over.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'late', text: 'x' });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { messages: { Subject: string }[] }).messages[0]?.Subject).toBe('late');
    await expect.poll(() => frames.some((f) => f.includes('"Type":"new"')), { timeout: SLACK_MS }).toBe(true);
    ws.close();
  });
});

describe('--http-max-connections', () => {
  it('closes the oldest idle keep-alive connection to admit a new one, and serves it', async () => {
    const p = await start({ httpMaxConnections: 3, httpIdleTimeout: '60s' });
    const probes = [await open(p), await open(p), await open(p)];
    for (const probe of probes) expect(await keepAliveGet(probe, '/livez')).toMatch(/^HTTP\/1\.1 200/);
    const fresh = await open(p);
    expect(await keepAliveGet(fresh, '/api/v1/messages')).toMatch(/^HTTP\/1\.1 200/);
    await probes[0]!.closed;
    expect(isOpen(probes[1]!) && isOpen(probes[2]!) && isOpen(fresh)).toBe(true);
    // The second oldest goes next.
    const another = await open(p);
    expect(await keepAliveGet(another, '/livez')).toMatch(/^HTTP\/1\.1 200/);
    await probes[1]!.closed;
    expect(isOpen(probes[2]!)).toBe(true);
  });

  it('answers 503 naming the flag when every connection is busy (WebSockets count), and serves again once one closes', async () => {
    const p = await start({ httpMaxConnections: 2 });
    const url = `${p.httpUrl.replace(/^http/, 'ws')}/api/events`;
    const sockets = [new WebSocket(url), new WebSocket(url)];
    await Promise.all(sockets.map((ws) => new Promise((resolve) => ws.once('open', resolve))));
    const refused = await open(p);
    refused.socket.write('GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await refused.closed;
    expect(refused.received()).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused.received()).toContain('--http-max-connections 2');
    // The request on the refused connection never reached the app.
    expect(refused.received()).not.toContain('200 OK');
    expect(sockets.every((ws) => ws.readyState === WebSocket.OPEN)).toBe(true);
    sockets[0]!.terminate();
    await expect
      .poll(
        async () => {
          const probe = await open(p);
          const text = await keepAliveGet(probe, '/livez').catch(() => '');
          probe.socket.destroy();
          return text.slice(0, 12);
        },
        { timeout: SLACK_MS },
      )
      .toBe('HTTP/1.1 200');
    sockets[1]!.close();
  });
});

describe('over HTTPS (--ui-tls-cert)', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));

  it('closes a connection that never starts its TLS handshake, and applies the cap to TLS connections', async () => {
    const p = await start({
      uiTlsCert: fixture('localhost.crt'),
      uiTlsKey: fixture('localhost.key'),
      httpHeaderTimeout: '1s',
      httpRequestTimeout: '2s',
      httpIdleTimeout: '60s',
      httpMaxConnections: 1,
    });
    const silent = await open(p);
    const ca = readFileSync(fixture('localhost.crt'), 'utf8');
    const tlsGet = async (): Promise<{ socket: Socket; answer: string; closed: Promise<void> }> => {
      const socket = tlsConnect({ port: portOf(p), host: '127.0.0.1', servername: 'localhost', ca });
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('secureConnect', resolve));
      socket.write('GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const answer = await new Promise<string>((resolve) =>
        socket.once('data', (chunk: Buffer) => resolve(String(chunk))),
      );
      return { socket, answer, closed };
    };
    const first = await tlsGet();
    expect(first.answer).toMatch(/^HTTP\/1\.1 200/);
    // The cap is 1 and the first connection is idle: it is closed to admit the second.
    const second = await tlsGet();
    expect(second.answer).toMatch(/^HTTP\/1\.1 200/);
    await first.closed;
    second.socket.destroy();
    const silentMs = await silent.closed;
    expect(silentMs).toBeGreaterThanOrEqual(900);
    expect(silentMs).toBeLessThan(1000 + SLACK_MS);
  });
});

describe('HTTP timeout and cap flags', () => {
  it('refuses values Node would misread, naming the flag', async () => {
    await expect(start({ httpHeaderTimeout: '30s', httpRequestTimeout: '10s' })).rejects.toThrow(
      /--http-header-timeout/,
    );
    await expect(start({ httpIdleTimeout: 0 })).rejects.toThrow(/--http-idle-timeout: must be more than 0/);
    await expect(start({ httpMaxConnections: 'lots' })).rejects.toThrow(/--http-max-connections/);
    await expect(start({ httpRequestTimeout: 'soon' })).rejects.toThrow(/--http-request-timeout/);
  });
});
