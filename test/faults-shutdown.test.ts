import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { RawSmtp, SmtpClosedError } from './fixtures/raw-smtp';
import { freePort, runCli, until } from './helpers/cli';
import { start } from './helpers/pigeonhole';

/**
 * Shutdown during ingest. The store lives in memory, so "nothing lost" means: once told to stop, the
 * server takes no new connections, every transaction in flight ends with 250 or 421 (never a silent
 * drop), every 250 names a message that is stored whole, and the process exits 0.
 */

interface Outcome {
  accepted: { id: string; n: number }[];
  /** Transactions that got a 4xx/5xx reply (421 at shutdown). */
  refused: number;
  /** Transactions whose connection closed with no reply at all. */
  silent: number;
  /** Connection attempts refused at the TCP level (the listener is closed). */
  unreachable: number;
  /** Transactions begun (MAIL FROM sent) after the stop began that still got 250: must stay 0. */
  acceptedAfterStop: number;
}

const body = (c: number, n: number) => `Subject: shutdown ${c}/${n}\r\n\r\n${'x'.repeat(2000)}\r\nEND ${c}/${n}\r\n`;

/** A client that sends until the server turns it away; `go` is polled between messages. */
async function sender(
  port: number,
  c: number,
  outcome: Outcome,
  go: () => boolean,
  stopped: () => boolean = () => false,
): Promise<void> {
  let n = 0;
  while (go()) {
    let smtp: RawSmtp;
    try {
      const connected = await RawSmtp.connect(port);
      smtp = connected.smtp;
      if (connected.greeting.code !== 220) {
        outcome.refused++;
        smtp.destroy();
        continue;
      }
      // A connection accepted just as the stop begins is greeted, then its EHLO gets 421 and the
      // server closes it: an answer, not a silent drop (unchecked, the next MAIL FROM met a closed
      // socket and counted as silent; seen once under a loaded CI run).
      const ehlo = await smtp.command(`EHLO c${c}.example.test`);
      if (ehlo.code !== 250) {
        outcome.refused++;
        smtp.destroy();
        return;
      }
    } catch {
      outcome.unreachable++;
      return;
    }
    try {
      for (let i = 0; i < 20 && go(); i++, n++) {
        const late = stopped();
        const reply = await smtp.sendMail('s@example.test', ['r@example.test'], body(c, n));
        if (reply.code === 250 && late) outcome.acceptedAfterStop++;
        if (reply.code === 250) outcome.accepted.push({ id: /queued as (\S+)/.exec(reply.text)![1]!, n });
        else {
          outcome.refused++;
          if (reply.code === 421) return;
        }
      }
      await smtp.quit();
    } catch (err) {
      if (err instanceof SmtpClosedError) outcome.silent++;
      else throw err;
      return;
    }
  }
}

const fresh = (): Outcome => ({ accepted: [], refused: 0, silent: 0, unreachable: 0, acceptedAfterStop: 0 });

describe('shutdown during ingest', () => {
  it('stop(): no new transaction starts, every 250 is stored whole, nothing unacknowledged beyond one per client', async () => {
    const p: Pigeonhole = await start({ max: 0 });
    const outcome = fresh();
    let stopping: Promise<void> | null = null;
    const clients = Array.from({ length: 20 }, (_, c) =>
      sender(
        p.smtpPort,
        c,
        outcome,
        () => {
          if (!stopping && outcome.accepted.length >= 300) stopping = p.stop();
          return true;
        },
        () => stopping !== null,
      ),
    );
    await Promise.all(clients);
    await stopping;
    expect(outcome.silent).toBe(0);
    // In-flight transactions finished; none begun after the stop was accepted: smtp-server answers
    // every command with 421 once its close() has begun.
    expect(outcome.acceptedAfterStop).toBe(0);
    expect(outcome.refused).toBeGreaterThan(0);
    expect(outcome.accepted.length).toBeGreaterThanOrEqual(300);
    for (const { id } of outcome.accepted) {
      const stored = p.store.get(id);
      expect(stored, `message ${id} got 250`).toBeDefined();
      expect(stored!.keepRaw().toString()).toMatch(/\r\nEND \d+\/\d+\r\n$/);
    }
    expect(p.store.count).toBeGreaterThanOrEqual(outcome.accepted.length);
    expect(p.store.count).toBeLessThanOrEqual(outcome.accepted.length + clients.length);
  }, 60_000);

  it('SIGTERM to the CLI: stops accepting, answers every transaction in flight, exits 0', async () => {
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const cli = runCli(['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${httpPort}`, '--max', '0'], {
      PIGEONHOLE_LOG_LEVEL: 'warn',
    });
    await until(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status === 200;
      } catch {
        return false;
      }
    }, 20_000);
    const outcome = fresh();
    let signalled = false;
    let exited = false;
    void cli.exited.then(() => (exited = true));
    const clients = Array.from({ length: 20 }, (_, c) =>
      sender(smtpPort, c, outcome, () => {
        if (!signalled && outcome.accepted.length >= 300) {
          signalled = true;
          cli.child.kill('SIGTERM');
        }
        return !exited;
      }),
    );
    await Promise.all(clients);
    expect(await cli.exited).toBe(0);
    expect(signalled).toBe(true);
    expect(outcome.silent).toBe(0);
    expect(outcome.accepted.length).toBeGreaterThanOrEqual(300);
    expect(cli.stderr()).not.toMatch(/unhandled|uncaught|TypeError|RangeError/i);
    // After exit nothing listens any more.
    await expect(RawSmtp.connect(smtpPort)).rejects.toThrow();
  }, 60_000);
});

describe('shutdown with HTTP and WebSocket clients', () => {
  it('stop() does not wait for a client that never answers the close frame', async () => {
    const p = await start();
    const { host, port } = new URL(p.httpUrl);
    // A raw WebSocket client: it upgrades, then never reads or answers anything (a frozen tab).
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.write(
      `GET /api/events HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${p.httpUrl}\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const [head] = (await once(socket, 'data')) as [Buffer];
    expect(head.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
    // ws waits 30 s for the answer to its close frame; stop() cuts the client off long before that.
    const outcome = await Promise.race([
      p.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting')),
    ]);
    socket.destroy();
    expect(outcome).toBe('stopped');
  });

  /** Resolves 'stopped' if stop() finishes within 10 s (the keep-alive timeout it once waited for is 72 s). */
  const stopsPromptly = (p: Pigeonhole) =>
    Promise.race([
      p.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting')),
    ]);

  it('a long-poll in flight is answered 503 with Connection: close, and stop() does not wait for it', async () => {
    const p = await start();
    const agent = new http.Agent({ keepAlive: true });
    const answer = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      http
        .get(`${p.httpUrl}/api/v1/wait?query=subject:never&timeout=60s`, { agent }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        })
        .on('error', reject);
    });
    // The request is under way on a keep-alive connection when the stop begins.
    await until(async () => (await connections(p)) === 1);
    expect(await stopsPromptly(p)).toBe('stopped');
    expect(await answer).toEqual({ status: 503, connection: 'close', body: 'Pigeonhole is shutting down' });
    agent.destroy();
  });

  it('a request still uploading its body when the stop begins is cut off after a short drain', async () => {
    const p = await start();
    const { port } = new URL(p.httpUrl);
    const socket = net.connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    // Half of a /send body, and then nothing more: a stalled upload.
    socket.write(
      'POST /api/v1/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n{"From": {"Email": "a@example.test"},',
    );
    await until(async () => (await connections(p)) === 1);
    const closed = once(socket.resume(), 'close');
    expect(await stopsPromptly(p)).toBe('stopped');
    await closed;
  });
});

/** The HTTP server's open connections. */
function connections(p: Pigeonhole): Promise<number> {
  return new Promise((resolve, reject) =>
    p.app.server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
  );
}
