#!/usr/bin/env node
/**
 * `npm run soak`: the long runs, against the built CLI in a child process.
 *
 * 1. Load: 100 concurrent SMTP clients send 100,000 messages in total (--max 0); the API count must
 *    equal the number of 250 replies the clients saw, exactly.
 * 2. Soak: with --max 1000, 300,000 messages in a row; the child's resident memory is sampled every
 *    10,000 messages and must stay flat (the last third within 15% of the middle third), its open
 *    file descriptors must come back to where they started, and the API must hold exactly 1,000.
 * Both runs end with SIGTERM and require exit code 0 and no unhandled rejection or uncaught error
 * on stderr. Options: --load N, --soak N, --clients N, --soak-clients N. Exits 1 on any failure.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    load: { type: 'string', default: '100000' },
    soak: { type: 'string', default: '300000' },
    clients: { type: 'string', default: '100' },
    'soak-clients': { type: 'string', default: '16' },
  },
});
const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));
const failures = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startCli(args) {
  const [smtp, http] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [CLI, '--smtp', `127.0.0.1:${smtp}`, '--listen', `127.0.0.1:${http}`, '--log-level', 'warn', ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${http}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    // Up to a minute: on a busy two-core machine the start (TLS key, sharp, the UI files) is slow.
    if (i > 1200 || child.exitCode !== null) throw new Error(`the CLI did not become ready:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, smtp, base, exited, stderr: () => stderr };
}

/** A minimal pipelining SMTP client: MAIL+RCPT+DATA in one write, then the body. */
class Client {
  constructor(port) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.buffer = '';
    this.waiters = [];
    this.replies = [];
    this.socket.on('data', (d) => {
      this.buffer += d.toString('latin1');
      let m;
      while ((m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(this.buffer))) {
        const end = m.index + m[0].length;
        const text = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end);
        const w = this.waiters.shift();
        if (w) w.resolve(text);
        else this.replies.push(text);
      }
    });
    const fail = () => this.waiters.splice(0).forEach((w) => w.reject(new Error('closed')));
    this.socket.on('error', fail);
    this.socket.on('close', fail);
  }
  reply() {
    if (this.replies.length) return Promise.resolve(this.replies.shift());
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
  async open(name) {
    await this.reply();
    this.socket.write(`EHLO ${name}\r\n`);
    await this.reply();
  }
  /** Resolves true on 250. */
  async send(body) {
    this.socket.write('MAIL FROM:<soak@example.test>\r\nRCPT TO:<sink@example.test>\r\nDATA\r\n');
    const [mail, rcpt, data] = [await this.reply(), await this.reply(), await this.reply()];
    if (!mail.startsWith('250') || !rcpt.startsWith('250') || !data.startsWith('354')) return false;
    this.socket.write(`${body}.\r\n`);
    return (await this.reply()).startsWith('250');
  }
  close() {
    this.socket.end('QUIT\r\n');
  }
}

const BODY = (n) =>
  `From: soak@example.test\r\nTo: sink@example.test\r\nSubject: soak ${n}\r\nMessage-ID: <soak-${n}@example.test>\r\n\r\n` +
  `${'A soak test line of about seventy characters, repeated for body bulk.\r\n'.repeat(12)}`;

/** Sends `total` messages over `clients` connections; calls `tick(sent)` after each acceptance. */
async function blast(port, clients, total, tick = () => {}) {
  let next = 0;
  let accepted = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const client = new Client(port);
      await client.open(`soak-${c}.example.test`);
      while (next < total) {
        const n = next++;
        if (await client.send(BODY(n))) {
          accepted++;
          tick(accepted);
        } else refused++;
      }
      client.close();
    }),
  );
  return { accepted, refused };
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}
const fds = (pid) => readdirSync(`/proc/${pid}/fd`).length;

async function stop(server, label) {
  server.child.kill('SIGTERM');
  const code = await server.exited;
  if (code !== 0) failures.push(`${label}: exit code ${code} after SIGTERM`);
  if (/unhandled|uncaught|FATAL|RangeError|TypeError/i.test(server.stderr())) {
    failures.push(`${label}: errors on stderr:\n${server.stderr().slice(0, 2000)}`);
  }
}

async function total(base) {
  return (await (await fetch(`${base}/api/v1/messages?limit=1`)).json()).total;
}

// 1. Load: exact count.
{
  const count = Number(values.load);
  const clients = Number(values.clients);
  const server = await startCli(['--max', '0', '--smtp-max-connections', String(clients + 10)]);
  const t0 = Date.now();
  const { accepted, refused } = await blast(server.smtp, clients, count);
  const seconds = (Date.now() - t0) / 1000;
  const listed = await total(server.base);
  console.log(
    `load: ${clients} clients, ${count} messages: ${accepted} accepted, ${refused} refused, ${listed} listed ` +
      `in ${seconds.toFixed(1)} s (${Math.round(accepted / seconds)}/s), RSS ${rssMb(server.child.pid).toFixed(0)} MB`,
  );
  if (listed !== accepted) failures.push(`load: API lists ${listed}, clients saw ${accepted} accepted`);
  if (accepted !== count) failures.push(`load: ${count - accepted} messages not accepted`);
  await stop(server, 'load');
}

// 2. Soak: flat memory with --max 1000.
{
  const count = Number(values.soak);
  const server = await startCli(['--max', '1000']);
  const pid = server.child.pid;
  const fdStart = fds(pid);
  const curve = [{ sent: 0, rss: rssMb(pid) }];
  const t0 = Date.now();
  const { accepted } = await blast(server.smtp, Number(values['soak-clients']), count, (n) => {
    if (n % 10_000 === 0) curve.push({ sent: n, rss: rssMb(pid) });
  });
  const seconds = (Date.now() - t0) / 1000;
  // Let closing sockets finish before the descriptor count.
  await new Promise((r) => setTimeout(r, 1000));
  const fdEnd = fds(pid);
  const listed = await total(server.base);
  console.log(
    `soak: ${accepted} messages in ${seconds.toFixed(1)} s (${Math.round(accepted / seconds)}/s), ${listed} kept`,
  );
  console.log('soak: resident memory (MB) by messages sent:');
  for (const { sent, rss } of curve) console.log(`  ${String(sent).padStart(7)}  ${rss.toFixed(1)}`);
  console.log(`soak: open file descriptors ${fdStart} at start, ${fdEnd} at end`);
  const third = Math.floor(curve.length / 3);
  const mean = (xs) => xs.reduce((a, b) => a + b.rss, 0) / xs.length;
  const middle = mean(curve.slice(third, 2 * third));
  const last = mean(curve.slice(2 * third));
  console.log(`soak: mean RSS middle third ${middle.toFixed(1)} MB, last third ${last.toFixed(1)} MB`);
  if (accepted !== count) failures.push(`soak: ${count - accepted} messages not accepted`);
  if (listed !== 1000) failures.push(`soak: API lists ${listed}, expected --max 1000`);
  if (last > middle * 1.15) failures.push(`soak: memory grew from ${middle.toFixed(1)} to ${last.toFixed(1)} MB`);
  if (fdEnd > fdStart + 2) failures.push(`soak: file descriptors grew from ${fdStart} to ${fdEnd}`);
  await stop(server, 'soak');
}

if (failures.length) {
  console.error(`\nsoak FAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('\nsoak passed');
