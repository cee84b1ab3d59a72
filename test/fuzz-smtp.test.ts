import net from 'node:net';
import fc from 'fast-check';
import { startPigeonhole, type Pigeonhole } from 'pigeonhole';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, socketsOn } from './fixtures/handles';
import { queuedId, RawSmtp } from './fixtures/raw-smtp';

/**
 * Property-based fuzzing of the SMTP listener with fast-check: random and mutated command streams,
 * pipelined in random chunks, sometimes before the greeting. Whatever a run sends, the server answers
 * only with well-formed replies, closes the connection, stores a message only when a 250 said so (or
 * the client left before reading it), and keeps serving a well-formed client after every run.
 */

const VERBS = [
  'EHLO',
  'HELO',
  'LHLO',
  'MAIL FROM:',
  'RCPT TO:',
  'DATA',
  'BDAT',
  'RSET',
  'NOOP',
  'VRFY',
  'EXPN',
  'HELP',
  'STARTTLS',
  'AUTH PLAIN',
  'AUTH LOGIN',
  'AUTH CRAM-MD5',
  'AUTH XOAUTH2',
  'QUIT',
  'XCLIENT ADDR=1.2.3.4',
  'XFORWARD',
  '.',
  '..',
  'GET / HTTP/1.1',
  '\x16\x03\x01\x02\x00\x01\x00',
];

const lineEnd = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r', '', '\r\n\r\n');
const argument = fc.oneof(
  fc.constant(''),
  fc.constant(' fuzz.example.test'),
  fc.constant('<a@example.test>'),
  fc.constant('<a@example.test> SIZE=99999999999999 BODY=8BITMIME SMTPUTF8'),
  fc.constant('<>'),
  fc.constant(' AGFsaWNlAHNlY3JldA=='),
  fc.constant(' ='),
  fc.string({ maxLength: 40 }).map((s) => ` ${s}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const command = fc.tuple(fc.constantFrom(...VERBS), argument, lineEnd).map(([v, a, e]) => v + a + e);
const garbage = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'));
/** A command with a byte changed, deleted or inserted. */
const mutated = fc
  .tuple(command, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'insert'))
  .map(([c, at, byte, how]) => {
    const i = c.length === 0 ? 0 : at % c.length;
    const ch = String.fromCharCode(byte);
    if (how === 'drop') return c.slice(0, i) + c.slice(i + 1);
    if (how === 'insert') return c.slice(0, i) + ch + c.slice(i);
    return c.slice(0, i) + ch + c.slice(i + 1);
  });
/** A valid start that takes the session deep (into DATA) before the fuzz begins. */
const prelude = fc.constantFrom(
  '',
  'EHLO fuzz.example.test\r\n',
  'EHLO fuzz.example.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n',
  'EHLO fuzz.example.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n',
  'EHLO fuzz.example.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\nSubject: x\r\n\r\nok\r\n.\r\n',
);

const session = fc.record({
  early: fc.boolean(),
  prelude,
  items: fc.array(fc.oneof(command, command, mutated, garbage), { maxLength: 30 }),
  cuts: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 }),
});

/** Sends `bytes` in chunks of the given sizes, then half-closes; resolves with all output once closed. */
async function hostileSession(port: number, early: boolean, bytes: Buffer, cuts: number[]): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let output = '';
  let greeted!: () => void;
  const greeting = new Promise<void>((resolve) => (greeted = resolve));
  socket.on('data', (d: Buffer) => {
    output += d.toString('latin1');
    if (output.includes('\r\n')) greeted();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (!early) await Promise.race([greeting, closed]);
  let at = 0;
  for (const cut of cuts) {
    if (at >= bytes.length || socket.destroyed) break;
    socket.write(bytes.subarray(at, at + cut));
    at += cut;
    await new Promise((r) => setImmediate(r));
  }
  if (!socket.destroyed) socket.end(bytes.subarray(at));
  await closed;
  return output;
}

/** Reply lines up to a STARTTLS go-ahead (after it the server speaks TLS, not text). */
function replyLines(output: string): string[] {
  const lines = output.split('\r\n');
  const tls = lines.findIndex((l) => /^220 .*TLS/.test(l));
  const text = tls === -1 ? lines : lines.slice(0, tls + 1);
  return text.filter((l, i) => l !== '' || i !== text.length - 1);
}

let p: Pigeonhole;
let healthy = 0;

async function wellFormedClientIsServed(): Promise<void> {
  const { smtp, greeting } = await RawSmtp.connect(p.smtpPort);
  expect(greeting.code).toBe(220);
  expect((await smtp.command('EHLO good.example.test')).code).toBe(250);
  const reply = await smtp.sendMail('good@example.test', ['rcpt@example.test'], 'Subject: good\r\n\r\nstill here\r\n');
  expect(reply.code).toBe(250);
  healthy++;
  await smtp.quit();
}

beforeAll(async () => {
  // A short idle timeout bounds a run that leaves the session waiting (in DATA, in AUTH).
  p = await startPigeonhole({ logLevel: 'silent', smtpIdleTimeout: '2s' });
});

afterAll(async () => {
  await p.stop();
});

describe('SMTP fuzzing (fast-check)', () => {
  it('survives random, mutated and pipelined command streams', async () => {
    const accepted: string[] = [];
    await fc.assert(
      fc.asyncProperty(session, async ({ early, prelude: start, items, cuts }) => {
        const bytes = Buffer.from(start + items.join(''), 'latin1');
        const output = await hostileSession(p.smtpPort, early, bytes, cuts.length ? cuts : [bytes.length || 1]);
        for (const line of replyLines(output)) expect(line).toMatch(/^[2345]\d\d([ -]|$)/);
        for (const match of output.matchAll(/^250 .*queued as (\S+)\r$/gm)) accepted.push(match[1]!);
        await wellFormedClientIsServed();
      }),
      { numRuns: 50, interruptAfterTimeLimit: 30_000 },
    );
    // Every 250 the fuzz saw is a stored message, and nothing else was stored but the health checks
    // and messages whose 250 the hostile client left before reading.
    for (const id of accepted) expect(p.store.get(id), `message ${id} got 250`).toBeDefined();
    const list = await p.client.messages({ limit: 1 });
    expect(list.total).toBeGreaterThanOrEqual(healthy + accepted.length);
    await eventually('every SMTP socket closed', () => socketsOn(p.smtpPort) === 0);
  });

  it('answers a message pipelined after garbage exactly once, with its own ID', async () => {
    const { smtp } = await RawSmtp.connect(p.smtpPort);
    smtp.send('\x00\xff garbage\r\nEHLO x\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await smtp.reply()).code);
    expect(codes).toEqual([500, 250, 250, 250, 354]);
    smtp.send('Subject: pipelined\r\n\r\nbody\r\n.\r\nNOOP\r\n');
    const stored = await smtp.reply();
    expect(stored.code).toBe(250);
    expect((await smtp.reply()).code).toBe(250);
    expect(p.store.get(queuedId(stored))?.keepRaw().toString()).toBe('Subject: pipelined\r\n\r\nbody\r\n');
    await smtp.quit();
  });
});
