import net from 'node:net';
import fc from 'fast-check';
import { startPigeonhole, type Pigeonhole } from 'pigeonhole';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, socketsOn } from './fixtures/handles';
import { transport } from './helpers/smtp';

/**
 * Property-based fuzzing of the IMAP listener with fast-check: random, mutated and pipelined command
 * streams with literals, lists and sections, in random chunks, before and after login. Whatever a
 * run sends, every line the server writes is a well-formed response (untagged, continuation, or
 * tagged OK/NO/BAD), the connection ends, the stored mail is only ever changed through EXPUNGE, and
 * a well-formed client is served after every run.
 */

const COMMANDS = [
  'CAPABILITY',
  'NOOP',
  'ID NIL',
  'ID ("name" "fuzz")',
  'NAMESPACE',
  'LOGIN dev x',
  'LOGIN "dev" {1}\r\nx',
  'LOGIN {3+}\r\ndev {1+}\r\nx',
  'AUTHENTICATE PLAIN AGRldgB4',
  'AUTHENTICATE PLAIN',
  'AUTHENTICATE CRAM-MD5',
  'SELECT INBOX',
  'EXAMINE inbox',
  'SELECT "Other"',
  'STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)',
  'LIST "" *',
  'LIST "" ""',
  'LSUB "" %',
  'FETCH 1:* (FLAGS UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)',
  'FETCH 1 BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT)]',
  'FETCH * (BODY[1.MIME] BODY[2] BODY.PEEK[TEXT]<0.10> RFC822.HEADER)',
  'FETCH 1,2:3 FAST',
  'UID FETCH 1:* (FLAGS)',
  'UID SEARCH ALL',
  'SEARCH OR SEEN (FROM "a" SUBJECT {1+}\r\nx) NOT DELETED LARGER 10 SINCE 1-Jan-2020',
  'SEARCH CHARSET UTF-8 TEXT "café"',
  'STORE 1 +FLAGS (\\Seen)',
  'STORE 1:* -FLAGS.SILENT (\\Seen \\Flagged)',
  'UID STORE 1 FLAGS (\\Deleted)',
  'COPY 1 Trash',
  'EXPUNGE',
  'CHECK',
  'CLOSE',
  'UNSELECT',
  'IDLE',
  'DONE',
  'STARTTLS',
  'APPEND INBOX {5}\r\nhello',
  'LOGOUT',
];

const lineEnd = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r', '');
const tag = fc.constantFrom('a1', 'A2', 'x', '*', '', '+', 'tag(');
const argument = fc.oneof(
  fc.constant(''),
  fc.constant(' {10}'),
  fc.constant(' {99999999999}'),
  fc.constant(' {4+}\r\nabcd'),
  fc.constant(' ((((((((((((((((((((('),
  fc.constant(' "\\'),
  fc.constant(' BODY[1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21]<4294967295.1>'),
  fc.constant(' 4294967296:*'),
  fc.string({ maxLength: 40 }).map((s) => ` ${s}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const command = fc
  .tuple(tag, fc.constantFrom(...COMMANDS), argument, lineEnd)
  .map(([t, c, a, e]) => `${t} ${c}${a}${e}`);
const garbage = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'));
const mutated = fc
  .tuple(command, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'insert'))
  .map(([c, at, byte, how]) => {
    const i = c.length === 0 ? 0 : at % c.length;
    const ch = String.fromCharCode(byte);
    if (how === 'drop') return c.slice(0, i) + c.slice(i + 1);
    if (how === 'insert') return c.slice(0, i) + ch + c.slice(i);
    return c.slice(0, i) + ch + c.slice(i + 1);
  });
const prelude = fc.constantFrom('', 'p1 LOGIN dev x\r\n', 'p1 LOGIN dev x\r\np2 SELECT INBOX\r\n');

const session = fc.record({
  prelude,
  items: fc.array(fc.oneof(command, command, mutated, garbage), { maxLength: 30 }),
  cuts: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 }),
});

/** Sends `bytes` in chunks, then half-closes; resolves with all output once the connection closed. */
async function hostileSession(port: number, bytes: Buffer, cuts: number[]): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const output: Buffer[] = [];
  socket.on('data', (d: Buffer) => output.push(d));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let at = 0;
  for (const cut of cuts) {
    if (at >= bytes.length || socket.destroyed) break;
    socket.write(bytes.subarray(at, at + cut));
    at += cut;
    await new Promise((r) => setImmediate(r));
  }
  if (!socket.destroyed) socket.end(bytes.subarray(at));
  await closed;
  return Buffer.concat(output);
}

/** Response lines, literals skipped, up to a STARTTLS go-ahead (after which the server speaks TLS). */
function responseLines(output: Buffer): string[] {
  const lines: string[] = [];
  let at = 0;
  while (at < output.length) {
    const lf = output.indexOf(0x0a, at);
    if (lf === -1) {
      lines.push(output.toString('latin1', at));
      break;
    }
    const line = output.toString('latin1', at, lf + 1);
    lines.push(line);
    at = lf + 1;
    const literal = /\{(\d+)\}\r\n$/.exec(line);
    if (literal) at += Number(literal[1]);
    if (/ OK Begin TLS negotiation now\r\n$/.test(line)) break;
  }
  return lines;
}

/** A whole response line (or the start of one that a literal continues). */
const WELL_FORMED =
  /^(\* (OK|NO|BAD|BYE|PREAUTH|CAPABILITY|FLAGS|LIST|LSUB|STATUS|SEARCH|NAMESPACE|ID|\d+ (EXISTS|RECENT|EXPUNGE|FETCH))|\+ |[\x21-\x7e]+ (OK|NO|BAD) ).*\r\n$|^[ )].*\r\n$/;

let p: Pigeonhole;

async function wellFormedClientIsServed(): Promise<void> {
  const output = await hostileSession(
    p.imapPort!,
    Buffer.from('h1 LOGIN dev x\r\nh2 SELECT INBOX\r\nh3 UID SEARCH ALL\r\nh4 LOGOUT\r\n'),
    [1000],
  );
  const text = output.toString('latin1');
  expect(text).toMatch(/h2 OK \[READ-WRITE\] SELECT completed\r\n/);
  expect(text).toMatch(/h4 OK LOGOUT completed\r\n$/);
}

beforeAll(async () => {
  p = await startPigeonhole({ logLevel: 'silent', imap: '127.0.0.1:0' });
  for (let i = 0; i < 3; i++) {
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: `fuzz ${i}`,
      text: 'text',
      html: '<p>html</p>',
      attachments: [{ filename: 'a.txt', content: 'attached' }],
    });
  }
});

afterAll(async () => {
  await p.stop();
});

describe('IMAP fuzzing (fast-check)', () => {
  it('survives random, mutated and pipelined command streams', async () => {
    const before = new Set([...p.store.newestFirst()].map((m) => m.id));
    let couldDelete = false;
    await fc.assert(
      fc.asyncProperty(session, async ({ prelude: start, items, cuts }) => {
        const bytes = Buffer.from(start + items.join(''), 'latin1');
        const output = await hostileSession(p.imapPort!, bytes, cuts.length ? cuts : [bytes.length || 1]);
        for (const line of responseLines(output)) expect(line).toMatch(WELL_FORMED);
        const sent = bytes.toString('latin1');
        if (/\\Deleted/i.test(sent) && /EXPUNGE|CLOSE/i.test(sent)) couldDelete = true;
        await wellFormedClientIsServed();
      }),
      { numRuns: 60, interruptAfterTimeLimit: 30_000 },
    );
    // Mail leaves the store only through an EXPUNGE (or CLOSE) the fuzz sent after a \Deleted.
    const after = [...p.store.newestFirst()].map((m) => m.id);
    for (const id of after) expect(before.has(id)).toBe(true);
    if (after.length < before.size) expect(couldDelete).toBe(true);
    await eventually('every IMAP socket closed', () => socketsOn(p.imapPort!) === 0);
  });
});
