import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, runCli, until } from './helpers/cli';
import { transport } from './helpers/smtp';

const MB = 1024 * 1024;
const MESSAGES = 10;

/** A figure of /proc/PID/status in bytes (`VmRSS`, `VmHWM`). */
function memory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) * 1024;
}

/** Resets the peak resident size (VmHWM) of a process of ours to its current size. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Reads a whole answer without keeping it: its status, size, first and last bytes. */
function readAnswer(url: string): Promise<{ status: number; bytes: number; head: string; tail: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let bytes = 0;
        let head = '';
        let tail = '';
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (head.length < 200) head += chunk.toString('latin1', 0, 200);
          tail = (tail + chunk.toString('latin1', Math.max(0, chunk.length - 200))).slice(-200);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, head, tail }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

// /proc/PID/status and clear_refs are Linux's; CI and the developers' machines run Linux.
describe.runIf(process.platform === 'linux')('MailHog v2 lists of large mail, against the real CLI', () => {
  it('answers ?limit=5000 over 10 x 20 MB in bounded memory, and drops 5 clients that never read', async () => {
    const [smtpPort, httpPort] = [await freePort(), await freePort()];
    const cli = runCli([
      '--smtp',
      `127.0.0.1:${smtpPort}`,
      '--listen',
      `127.0.0.1:${httpPort}`,
      '--http-write-timeout',
      '2s',
      '--log-level',
      'warn',
    ]);
    const base = `http://127.0.0.1:${httpPort}`;
    const pid = cli.child.pid!;
    try {
      await until(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200);
      const t = transport({ smtpPort } as never);
      // 15 MB of attachment is 20 MB of base64: a multipart item carries it three times over.
      const attachment = randomBytes(15 * MB);
      for (let i = 0; i < MESSAGES; i++) {
        await t.sendMail({
          from: 'a@example.test',
          to: 'b@example.test',
          subject: `large ${i}`,
          text: 'see attached',
          attachments: [{ filename: `${i}.bin`, content: attachment }],
        });
      }
      t.close();
      const rawTotal = MESSAGES * 20 * MB;

      resetPeak(pid);
      const before = memory(pid, 'VmRSS');
      const answer = await readAnswer(`${base}/api/v2/messages?limit=5000`);
      const growth = memory(pid, 'VmHWM') - before;
      console.log(`answer ${(answer.bytes / MB).toFixed(0)} MB, peak RSS growth ${(growth / MB).toFixed(0)} MB`);
      expect(answer.status).toBe(200);
      expect(answer.head).toMatch(/^\{"total":10,"count":10,"start":0,"items":\[\{"ID":"/);
      expect(answer.tail).toMatch(/"Helo":"[^"]*"\}\}\]\}$/);
      // Body, the parts' bodies and Raw.Data: each message is in the answer three times.
      expect(answer.bytes).toBeGreaterThan(3 * rawTotal);
      expect(growth).toBeLessThan(answer.bytes / 10);

      // Five clients ask for the whole list and read none of it.
      resetPeak(pid);
      const idle = memory(pid, 'VmRSS');
      const stalled = Array.from({ length: 5 }, () => {
        const socket = net.connect(httpPort, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write(`GET /api/v2/messages?limit=5000 HTTP/1.1\r\nHost: 127.0.0.1:${httpPort}\r\n\r\n`);
        socket.pause();
        return socket;
      });
      await new Promise((r) => setTimeout(r, 1500));
      const held = memory(pid, 'VmHWM') - idle;
      console.log(`5 stalled clients: peak RSS growth ${(held / MB).toFixed(0)} MB`);
      expect(held).toBeLessThan(answer.bytes / 10);
      // Dropped by the server after --http-write-timeout (2 s), each logged once.
      const drops = () => (cli.stderr().match(/read nothing of a streamed answer/g) ?? []).length;
      await until(() => drops() === 5, 10_000);
      // A paused socket notices the close only once it reads again: what it gets then ends early.
      const received = await Promise.all(
        stalled.map(
          (socket) =>
            new Promise<number>((resolve) => {
              let bytes = 0;
              socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
              socket.on('close', () => resolve(bytes));
              socket.resume();
            }),
        ),
      );
      for (const bytes of received) expect(bytes).toBeLessThan(answer.bytes / 10);
      expect(drops()).toBe(5);
      // And the server still serves.
      expect((await fetch(`${base}/api/v1/messages`)).status).toBe(200);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  }, 120_000);
});
