import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Routes } from '@pigeonhole/shared/routes';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { start } from './helpers/pigeonhole';
import { latencyNote, startProcess } from './helpers/pigeonhole-process';
import { transport } from './helpers/smtp';

const open = (url: string, origin?: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws)).once('error', reject);
  });
const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
const nextMessage = (ws: WebSocket, match: string) =>
  new Promise<string>((resolve) =>
    ws.on('message', (d: Buffer) => {
      if (d.toString().includes(match)) resolve(d.toString());
    }),
  );

describe('WebSocket slots under a local flood', () => {
  it('lets the inbox in while a flooder holds all 500 slots, and keeps it in as the flooder churns', async () => {
    const p = await start();
    const url = `${p.httpUrl.replace(/^http/, 'ws')}${Routes.events}`;
    const flood: WebSocket[] = [];
    for (let batch = 0; batch < 5; batch++)
      flood.push(...(await Promise.all(Array.from({ length: 100 }, () => open(url)))));
    const firstGone = closed(flood[0]!);

    // The inbox: a browser tab of Pigeonhole's own origin.
    const inbox = await open(url, p.httpUrl);
    const inboxClosed = closed(inbox).then((code) => `closed ${code}`);
    // The flooder's oldest socket makes room, not the inbox.
    expect(await Promise.race([firstGone.then((code) => `flooder ${code}`), inboxClosed])).toBe('flooder 1013');
    const seen = nextMessage(inbox, 'for the inbox');
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'for the inbox', text: 'x' });
    expect(JSON.parse(await seen)).toMatchObject({ Type: 'new', Data: { Subject: 'for the inbox' } });

    // The flooder opens 100 more: it displaces its own oldest sockets, never the inbox.
    const more = await Promise.all(Array.from({ length: 100 }, () => open(url)));
    const again = nextMessage(inbox, 'still here');
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'still here', text: 'x' });
    expect(await Promise.race([again.then(() => 'open'), inboxClosed])).toBe('open');
    const open500 = [...flood, ...more].filter((ws) => ws.readyState === WebSocket.OPEN).length;
    expect(open500).toBeLessThanOrEqual(499);
    for (const ws of [...flood, ...more, inbox]) ws.terminate();
  }, 60_000);
});

/**
 * A separate process that opens `count` sockets, then writes ready-made frames straight to each
 * socket as fast as it drains: 64 KiB of masked one-byte text frames at a time, cheap for the
 * flooder and one parse and one event each for the server. Prints each open and close as a line.
 */
const FLOODER = `
import WebSocket from 'ws';
const [url, count] = [process.argv[1], Number(process.argv[2])];
const frame = Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x78 ^ 1]);
const burst = Buffer.concat(Array.from({ length: 9362 }, () => frame));
for (let i = 0; i < count; i++) {
  const ws = new WebSocket(url);
  ws.on('open', () => {
    console.log(JSON.stringify({ open: i }));
    const raw = ws._socket;
    const pump = () => {
      while (!raw.destroyed && raw.write(burst));
      if (!raw.destroyed) raw.once('drain', pump);
    };
    pump();
  });
  ws.on('close', (code) => console.log(JSON.stringify({ closed: code })));
  ws.on('error', () => undefined);
}
`;

/**
 * The SMTP client timed during the flood: EHLO, MAIL, RCPT, RSET over and over with 20 ms between,
 * inside Pigeonhole's own process so that the 250 ms bound is the server's and not this runner's.
 */
const STEADY = { transaction: 'rset', pauseMs: 20 } as const;

describe('WebSocket frame floods', () => {
  it('closes clients that flood frames with 1008, and SMTP keeps answering within 250 ms', async () => {
    const p = await startProcess();
    const url = `${p.httpUrl.replace(/^http/, 'ws')}${Routes.events}`;
    const clients = 10;
    const child = spawn(process.execPath, ['--input-type=module', '-e', FLOODER, url, String(clients)], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: { open?: number; closed?: number }[] = [];
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const parts = out.split('\n');
      out = parts.pop()!;
      for (const line of parts) if (line) lines.push(JSON.parse(line) as { open?: number; closed?: number });
    });
    try {
      while (lines.filter((l) => l.open !== undefined).length < clients) await new Promise((r) => setTimeout(r, 20));
      const probe = await p.probe(STEADY);
      await new Promise((r) => setTimeout(r, 3000));
      const report = await probe.stop();
      console.log(`during the flood: ${latencyNote(report)}`);
      expect(report.unexpected).toEqual([]);
      expect(report.maxMs, latencyNote(report)).toBeLessThan(250);
      const codes = lines.filter((l) => l.closed !== undefined).map((l) => l.closed);
      expect(codes).toEqual(Array.from({ length: clients }, () => 1008));
    } finally {
      child.kill();
    }
  }, 60_000);
});
