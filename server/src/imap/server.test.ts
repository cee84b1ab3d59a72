import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../ingest';
import { createLogger } from '../logger';
import { selfSignedCertificate } from '../smtp/tls';
import { MessageStore } from '../store/store';
import { startImap, type ImapLimits, type ImapListener } from './server';

const running: ImapListener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.close()));
});

function add(store: MessageStore, raw: string | Buffer): void {
  ingest(store, {
    raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw),
    envelope: { mailFrom: 'a@example.test', rcptTo: ['b@example.test'] },
    session: { clientAddress: '127.0.0.1', helo: 'h', secure: false, tls: null, username: '', transcript: [] },
    created: new Date(),
  });
}

async function imap(limits: Partial<ImapLimits> = {}): Promise<{ port: number; store: MessageStore }> {
  const store = new MessageStore({ maxMessages: 0, maxBytes: 0 });
  add(store, 'Subject: hi\r\n\r\nbody\r\n');
  const listener = await startImap({
    listen: { host: '127.0.0.1', port: 0 },
    store,
    credentials: null,
    tls: await selfSignedCertificate(),
    implicitTls: false,
    logger: createLogger('silent'),
    limits,
  });
  running.push(listener);
  return { port: listener.port, store };
}

/** A raw connection that collects what the server says. */
function connect(port: number): { socket: net.Socket; text: () => string; until: (re: RegExp) => Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const until = async (re: RegExp): Promise<string> => {
    while (!re.test(text)) {
      const [ended] = await Promise.race([
        once(socket, 'data').then(() => [false]),
        once(socket, 'close').then(() => [true]),
      ]);
      if (ended && !re.test(text)) throw new Error(`closed before ${re}: ${text.slice(-500)}`);
    }
    return text;
  };
  return { socket, text: () => text, until };
}

describe('IMAP server limits', () => {
  it('says BYE to connections beyond the limit', async () => {
    const { port } = await imap({ maxConnections: 1 });
    const held = connect(port);
    await held.until(/^\* OK/);
    const extra = connect(port);
    await once(extra.socket, 'close');
    expect(extra.text()).toBe('* BYE [UNAVAILABLE] too many connections, try again later\r\n');
    held.socket.destroy();
  });

  it('logs out a silent connection before login after the short limit, not the 30 minutes of IDLE', async () => {
    const { port } = await imap({ preAuthTimeoutMs: 300 });
    const c = connect(port);
    await once(c.socket, 'close');
    expect(c.text()).toMatch(/\* BYE autologout: idle for too long\r\n$/);
  });

  it('refuses a literal beyond the bound without asking for it, and serves the next command', async () => {
    const { port } = await imap();
    const c = connect(port);
    await c.until(/^\* OK/);
    c.socket.write('a LOGIN {100000000}\r\n');
    await c.until(/a BAD literal too large\r\n/);
    expect(c.text()).not.toContain('+ go ahead');
    c.socket.write('b NOOP\r\n');
    await c.until(/b OK NOOP completed\r\n/);
  });

  it('skips a non-synchronising literal (LITERAL+) beyond the bound and answers once', async () => {
    const { port } = await imap({ maxLiteral: 1024 });
    const c = connect(port);
    await c.until(/^\* OK/);
    c.socket.write(`a LOGIN {5000+}\r\n${'x'.repeat(5000)} pass\r\nb NOOP\r\n`);
    await c.until(/b OK NOOP completed\r\n/);
    expect(c.text().match(/BAD/g)).toHaveLength(1);
    expect(c.text()).toContain('a BAD literal too large\r\n');
  });

  it('answers a line beyond the bound once, however long it grows, and keeps the connection', async () => {
    const { port } = await imap({ maxLineLength: 1024 });
    const c = connect(port);
    await c.until(/^\* OK/);
    for (let i = 0; i < 64; i++) c.socket.write(`a NOOP ${'y'.repeat(16 * 1024)}`);
    c.socket.write('\r\nb NOOP\r\n');
    await c.until(/b OK NOOP completed\r\n/);
    expect(c.text()).toContain('a BAD line too long\r\n');
    expect(c.text().match(/BAD/g)).toHaveLength(1);
  });

  it('refuses lists nested deeper than the bound with a tagged BAD', async () => {
    const { port } = await imap();
    const c = connect(port);
    await c.until(/^\* OK/);
    c.socket.write(`a LOGIN u p\r\nb SELECT INBOX\r\nc SEARCH ${'('.repeat(200)}ALL${')'.repeat(200)}\r\nd NOOP\r\n`);
    await c.until(/d OK/);
    expect(c.text()).toContain('c BAD lists nested too deep\r\n');
  });

  it('answers every kind of bad command with a tagged BAD or NO and a reason, and closes after too many', async () => {
    const { port } = await imap({ maxBadCommands: 7 });
    const c = connect(port);
    await c.until(/^\* OK/);
    c.socket.write(
      [
        'a FETCH 1 FLAGS', // not logged in
        'b LOGIN onlyuser',
        'c BOGUS',
        'd LOGIN u p',
        'e FETCH 1 FLAGS', // nothing selected
        'f SELECT Archive',
        'g SELECT INBOX',
        'h FETCH 99 FLAGS',
        'i FETCH 1 BODY[1.HEADER.FIELDS]',
        'j SEARCH SINCE yesterday',
        'k STORE 1 FLAGS.LOUD (\\Seen)',
        'l SEARCH SUBJECT "unterminated',
        '',
      ].join('\r\n'),
    );
    await once(c.socket, 'close');
    const text = c.text();
    expect(text).toContain('a NO log in first (LOGIN or AUTHENTICATE PLAIN)\r\n');
    expect(text).toContain('b BAD LOGIN needs a user name and a password\r\n');
    expect(text).toContain('c BAD unknown command BOGUS\r\n');
    expect(text).toContain('e NO FETCH needs a selected mailbox\r\n');
    expect(text).toContain('f NO [NONEXISTENT] only INBOX exists\r\n');
    expect(text).toContain('h BAD no message 99: the mailbox has 1\r\n');
    expect(text).toContain('i BAD HEADER.FIELDS needs a list\r\n');
    expect(text).toContain('j BAD bad date "yesterday"\r\n');
    expect(text).toContain('k BAD bad STORE item FLAGS.LOUD\r\n');
    expect(text).toMatch(/l BAD unterminated quoted string\r\n\* BYE too many bad commands\r\n$/);
  });

  it('stops reading a client that pipelines FETCHes and never reads the answers (backpressure)', async () => {
    const { port, store } = await imap();
    // 128 KiB a message: 400 answers are 50 MiB, which must not pile up in the server's memory.
    add(store, Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(128 * 1024, 'z')]));
    const c = connect(port);
    await c.until(/^\* OK/);
    c.socket.write('a LOGIN u p\r\nb SELECT INBOX\r\n');
    await c.until(/b OK/);
    c.socket.removeAllListeners('data');
    c.socket.pause();
    const before = process.memoryUsage().arrayBuffers;
    let commands = '';
    for (let i = 0; i < 400; i++) commands += `f${i} FETCH 2 BODY.PEEK[]\r\n`;
    c.socket.write(commands);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    // Nothing is lost: once the client reads, every answer comes.
    let received = 0;
    let tail = '';
    const done = new Promise<void>((resolve) =>
      c.socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        tail = (tail + chunk.toString('latin1')).slice(-200);
        if (tail.endsWith('f399 OK FETCH completed\r\n')) resolve();
      }),
    );
    c.socket.resume();
    await done;
    expect(received).toBeGreaterThan(400 * 128 * 1024);
    c.socket.destroy();
  });

  it('writes one FETCH of the whole mailbox only as fast as the client reads it', async () => {
    const { port, store } = await imap();
    const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(128 * 1024, 'z')]);
    for (let i = 0; i < 300; i++) add(store, big);
    const c = connect(port);
    await c.until(/^\* OK/);
    c.socket.write('a LOGIN u p\r\nb SELECT INBOX\r\n');
    await c.until(/b OK/);
    c.socket.removeAllListeners('data');
    c.socket.pause();
    const before = process.memoryUsage().arrayBuffers;
    c.socket.write('f UID FETCH 1:* (UID BODY.PEEK[])\r\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // 300 answers of 128 KiB are 37.5 MiB; unread, at most a socket buffer's worth waits.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(12 * 1024 * 1024);
    let tail = '';
    const done = new Promise<void>((resolve) =>
      c.socket.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString('latin1')).slice(-200);
        if (tail.endsWith('f OK UID FETCH completed\r\n')) resolve();
      }),
    );
    c.socket.resume();
    await done;
    c.socket.destroy();
  });
});
