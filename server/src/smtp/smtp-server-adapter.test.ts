import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, Socket, type AddressInfo } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import pino from 'pino';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SMTP_SERVER_CHECKED_AGAINST,
  SmtpServerAdapter,
  type Connection,
  type LineDirection,
} from './smtp-server-adapter';
import { selfSignedCertificate } from './tls';

/**
 * The contract smtp-server-adapter.ts relies on, beyond smtp-server's API, checked against the
 * installed smtp-server with real sockets on 127.0.0.1. When an upgrade changes one of these shapes,
 * the test that fails names it; fix the adapter (and only it), then this test.
 */

const require = createRequire(import.meta.url);
const installed = (JSON.parse(readFileSync(require.resolve('smtp-server/package.json'), 'utf8')) as { version: string })
  .version;
/** Prefixed to every assertion message, so that a failure says which upgrade broke what. */
const where = `smtp-server ${installed} (adapter checked against ${SMTP_SERVER_CHECKED_AGAINST})`;

interface Internals {
  logger: unknown;
  connections: Set<Connection>;
  _pendingSockets: Map<Socket, Socket>;
}

type LogCall = [level: string, meta: Record<string, unknown>, ...args: unknown[]];

/** A logger that records every call, in smtp-server's bunyan-style shape. */
function recordingLogger(
  calls: LogCall[],
): Record<string, (meta: Record<string, unknown>, ...args: unknown[]) => void> {
  const out: Record<string, (meta: Record<string, unknown>, ...args: unknown[]) => void> = {};
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) {
    out[level] = (meta, ...args) => void calls.push([level, meta, ...args]);
  }
  return out;
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const baseOptions: SMTPServerOptions = {
  authOptional: true,
  allowInsecureAuth: true,
  disableReverseLookup: true,
  hideENHANCEDSTATUSCODES: false,
  closeTimeout: 500,
  // No built-in test certificate (and its warning) where TLS is not under test.
  hideSTARTTLS: true,
};

async function listen(server: SMTPServer): Promise<number> {
  // A client that leaves mid-handshake is an 'error' event on the server, expected here.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.server.address() as AddressInfo).port;
}

/** A line client: sends raw text, reads whole replies (a multi-line reply as one string). */
class Client {
  readonly #replies: string[] = [];
  readonly #waiters: (() => void)[] = [];
  #buffer = '';
  #current: string[] = [];
  closed: Promise<void>;

  constructor(public socket: Socket | TLSSocket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.#read(text));
    socket.on('error', () => {});
    closers.push(() => void socket.destroy());
  }

  static async connect(port: number): Promise<Client> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    return new Client(socket);
  }

  #read(text: string): void {
    this.#buffer += text;
    let eol: number;
    while ((eol = this.#buffer.indexOf('\r\n')) !== -1) {
      const line = this.#buffer.slice(0, eol);
      this.#buffer = this.#buffer.slice(eol + 2);
      this.#current.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        this.#replies.push(this.#current.join('\r\n'));
        this.#current = [];
        this.#waiters.shift()?.();
      }
    }
  }

  /** The next whole reply. */
  async reply(): Promise<string> {
    while (this.#replies.length === 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.#replies.shift()!;
  }

  /** Sends `text` (CRLF added) and returns the next reply. */
  async command(text: string): Promise<string> {
    this.socket.write(`${text}\r\n`);
    return this.reply();
  }
}

/** smtp-server's only session, once it exists. */
async function onlyConnection(server: SMTPServer): Promise<Connection> {
  const connections = (server as unknown as Internals).connections;
  expect(connections, `${where}: server.connections is a Set of sessions`).toBeInstanceOf(Set);
  await expect.poll(() => connections.size, { message: `${where}: the session is in server.connections` }).toBe(1);
  return [...connections][0]!;
}

const SECRET = Buffer.from('\0alice\0hunter2-secret').toString('base64');
const BODY_MARKER = 'body-line-that-no-log-may-hold';

describe(`${where}: the private shapes smtp-server-adapter.ts relies on`, () => {
  it('reads its `logger` field at every call, so replacing the field redirects all logging', async () => {
    const given: LogCall[] = [];
    const replaced: LogCall[] = [];
    const server = new SMTPServer({ ...baseOptions, logger: recordingLogger(given) as never });
    expect(Object.hasOwn(server, 'logger'), `${where}: SMTPServer has an own "logger" field`).toBe(true);
    (server as unknown as Internals).logger = recordingLogger(replaced);
    const client = await Client.connect(await listen(server));
    await client.reply();
    await client.command('EHLO client.test');
    await client.command('QUIT');
    const lines = (calls: LogCall[]) => calls.filter(([, meta]) => meta.tnx === 'command' || meta.tnx === 'send');
    expect(lines(replaced).length, `${where}: the replaced logger gets the command and reply lines`).toBeGreaterThan(3);
    expect(lines(given), `${where}: the logger given in options no longer gets them`).toEqual([]);
  });

  it("logs each command as debug({tnx:'command', cid}, 'C:', line) and each reply as debug({tnx:'send', cid}, 'S:', payload)", async () => {
    const calls: LogCall[] = [];
    let sessionId = '';
    const server = new SMTPServer({
      ...baseOptions,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'alice' }),
      onData(stream, session, callback) {
        sessionId = session.id;
        stream.resume();
        stream.on('end', () => callback(null, 'Ok'));
      },
    });
    (server as unknown as Internals).logger = recordingLogger(calls);
    const client = await Client.connect(await listen(server));
    await client.reply();
    await client.command('EHLO client.test');
    await client.command(`AUTH PLAIN ${SECRET}`);
    await client.command('MAIL FROM:<a@example.test>');
    await client.command('RCPT TO:<b@example.test>');
    await client.command('DATA');
    await client.command(`Subject: hi\r\n\r\n${BODY_MARKER}\r\n.`);
    await client.command('QUIT');
    await client.closed;

    const commands = calls.filter(([, meta]) => meta.tnx === 'command');
    const sends = calls.filter(([, meta]) => meta.tnx === 'send');
    for (const [level, meta, tag, text] of [...commands, ...sends]) {
      expect(level, `${where}: command and reply lines are logged at debug level`).toBe('debug');
      expect(meta.cid, `${where}: meta.cid is the session's ID`).toBe(sessionId);
      expect(typeof text, `${where}: the line is the second argument, a string`).toBe('string');
      expect(tag, `${where}: the first argument is 'C:' for a command, 'S:' for a reply`).toBe(
        meta.tnx === 'command' ? 'C:' : 'S:',
      );
    }
    expect(
      commands.map(([, , , text]) => text),
      `${where}: each command logged once, as sent, AUTH secret masked, the DATA body never`,
    ).toEqual([
      'EHLO client.test',
      'AUTH PLAIN /* secured */',
      'MAIL FROM:<a@example.test>',
      'RCPT TO:<b@example.test>',
      'DATA',
      'QUIT',
    ]);
    const replies = sends.map(([, , , text]) => String(text));
    expect(
      replies.map((r) => r.slice(0, 3)),
      `${where}: each reply logged once, the greeting first`,
    ).toEqual(['220', '250', '235', '250', '250', '354', '250', '221']);
    expect(replies[1], `${where}: a multi-line reply is one payload, its lines joined by CRLF`).toMatch(
      /^250-.*\r\n250-.*\r\n(.*\r\n)*250 [^\r\n]*$/,
    );
    const everything = JSON.stringify(calls);
    expect(everything, `${where}: no log call holds the AUTH secret`).not.toContain(SECRET);
    expect(everything, `${where}: no log call holds the DATA body`).not.toContain(BODY_MARKER);
  });

  it('has one `connection` listener on server.server, whose socket becomes a session one setImmediate later', async () => {
    const server = new SMTPServer(baseOptions);
    const listeners = server.server.listeners('connection') as ((socket: Socket) => void)[];
    expect(listeners.length, `${where}: server.server has exactly one 'connection' listener`).toBe(1);
    const [serve] = listeners;
    server.server.removeListener('connection', serve!);
    const seen: { before: number; after: number }[] = [];
    const connections = (server as unknown as Internals).connections;
    server.server.on('connection', (socket: Socket) => {
      serve!(socket);
      const before = connections.size;
      setImmediate(() => seen.push({ before, after: connections.size }));
    });
    const client = await Client.connect(await listen(server));
    expect((await client.reply()).slice(0, 4), `${where}: the socket handed on is greeted`).toBe('220 ');
    expect(seen, `${where}: the session is not in connections at once, but one setImmediate later`).toEqual([
      { before: 0, after: 1 },
    ]);
  });

  it('keeps each session: id, _socket, _closing, _upgrading, _dataStream, session.envelope.mailFrom, send(421)', async () => {
    const tls = await selfSignedCertificate();
    let sessionId = '';
    let dataStreamDuringData: unknown;
    const server = new SMTPServer({
      ...baseOptions,
      ...tls,
      hideSTARTTLS: false,
      onConnect: (session, callback) => {
        sessionId = session.id;
        callback();
      },
      onData(stream, _session, callback) {
        dataStreamDuringData = [...(server as unknown as Internals).connections][0]?._dataStream;
        stream.resume();
        stream.on('end', () => callback(null, 'Ok'));
      },
    });
    const client = await Client.connect(await listen(server));
    await client.reply();
    const c = await onlyConnection(server);
    expect(c.id, `${where}: a session's id is session.id`).toBe(sessionId);
    expect(c._socket, `${where}: _socket is the accepted socket`).toBeInstanceOf(Socket);
    expect(c._socket.remotePort, `${where}: _socket is the accepted socket`).toBe(client.socket.localPort);
    expect([c._closing, c._upgrading], `${where}: _closing and _upgrading start false`).toEqual([false, false]);
    expect(c._dataStream, `${where}: _dataStream is falsy outside DATA`).toBeFalsy();
    await client.command('EHLO client.test');
    expect(c.session?.envelope?.mailFrom, `${where}: session.envelope.mailFrom is falsy before MAIL`).toBeFalsy();
    await client.command('MAIL FROM:<a@example.test>');
    expect(c.session?.envelope?.mailFrom, `${where}: session.envelope.mailFrom is set by MAIL`).toMatchObject({
      address: 'a@example.test',
    });
    await client.command('RCPT TO:<b@example.test>');
    await client.command('DATA');
    expect(c._dataStream, `${where}: _dataStream is set while DATA runs`).toBeTruthy();
    await client.command('Subject: x\r\n\r\nx\r\n.');
    expect(dataStreamDuringData, `${where}: _dataStream is set when onData runs`).toBeTruthy();
    expect(c._dataStream, `${where}: _dataStream is falsy after the message`).toBeFalsy();
    expect(c.session?.envelope?.mailFrom, `${where}: the envelope is reset after the message`).toBeFalsy();

    expect(await client.command('STARTTLS'), `${where}: STARTTLS is offered`).toMatch(/^220 /);
    expect(c._upgrading, `${where}: _upgrading is true during the STARTTLS handshake`).toBe(true);
    client.socket.removeAllListeners('data');
    const secure = tlsConnect({ socket: client.socket as Socket, rejectUnauthorized: false });
    await new Promise((resolve) => secure.once('secureConnect', resolve));
    const tlsClient = new Client(secure);
    await expect.poll(() => c._upgrading, { message: `${where}: _upgrading is false once TLS is up` }).toBe(false);
    expect(c._socket, `${where}: _socket is the TLS socket after STARTTLS`).toBeInstanceOf(TLSSocket);

    c.send(421, 'closing for a test', false);
    expect(await tlsClient.reply(), `${where}: send(421, text, false) writes the text, no enhanced code`).toBe(
      '421 closing for a test',
    );
    await tlsClient.closed;
    expect(c._closing, `${where}: a 421 closes the session (_closing)`).toBe(true);
    expect((server as unknown as Internals).connections.has(c), `${where}: a closed session leaves connections`).toBe(
      false,
    );
  });

  it('holds an implicit-TLS socket in its handshake in _pendingSockets, raw socket to the TLS socket', async () => {
    const tls = await selfSignedCertificate();
    const server = new SMTPServer({ ...baseOptions, ...tls, secure: true });
    const pending = (server as unknown as Internals)._pendingSockets;
    expect(pending, `${where}: server._pendingSockets is a Map`).toBeInstanceOf(Map);
    const client = await Client.connect(await listen(server));
    await expect.poll(() => pending.size, { message: `${where}: a handshake under way is in _pendingSockets` }).toBe(1);
    const raw = [...pending.keys()][0]!;
    expect(raw.remotePort, `${where}: its key is the accepted socket`).toBe(client.socket.localPort);
    await expect
      .poll(() => pending.get(raw), { message: `${where}: its value becomes the TLS socket on top` })
      .toBeInstanceOf(TLSSocket);
    expect((server as unknown as Internals).connections.size, `${where}: it is not a session yet`).toBe(0);
    pending.get(raw)!.destroy();
    await client.closed;
  });

  it('writes each reply with one socket.write(string) on the accepted socket, the greeting first', async () => {
    const writes: unknown[][] = [];
    const server = new SMTPServer(baseOptions);
    server.server.prependListener('connection', (socket: Socket) => {
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        writes.push(args);
        return write(...args);
      }) as Socket['write'];
    });
    const client = await Client.connect(await listen(server));
    await client.reply();
    await client.command('EHLO client.test');
    // Pipelined (RFC 2920): three commands in one packet, three replies.
    client.socket.write('MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nRSET\r\n');
    for (let i = 0; i < 3; i++) await client.reply();
    expect(
      writes.map((args) => args.length),
      `${where}: every write has a single argument`,
    ).toEqual([1, 1, 1, 1, 1]);
    for (const [chunk] of writes) {
      expect(typeof chunk, `${where}: every reply is written as a string`).toBe('string');
      expect(chunk, `${where}: one write is one whole reply`).toMatch(/^\d{3}[ -][^]*\r\n$/);
    }
    expect(String(writes[0]![0]).slice(0, 4), `${where}: the greeting is written first`).toBe('220 ');
  });

  it('greets with name, ESMTP and banner, and reads bytes unshifted onto the socket after it as the next command', async () => {
    const greetings: string[] = [];
    const server = new SMTPServer({ ...baseOptions, name: 'mx.example.test', banner: 'hello there' });
    server.server.prependListener('connection', (socket: Socket) => {
      const write = socket.write.bind(socket) as (chunk: string) => boolean;
      socket.write = ((chunk: string) => {
        if (greetings.length === 0) {
          greetings.push(chunk);
          setImmediate(() => socket.unshift(Buffer.from('EHLO said.before\r\n')));
        }
        return write(chunk);
      }) as Socket['write'];
    });
    const client = await Client.connect(await listen(server));
    expect(await client.reply(), `${where}: the greeting`).toBe('220 mx.example.test ESMTP hello there');
    expect(greetings, `${where}: the greeting as written`).toEqual(['220 mx.example.test ESMTP hello there\r\n']);
    // The client itself never sent EHLO: the reply is to the bytes put back on its socket.
    expect(await client.reply(), `${where}: unshifted bytes are parsed as a command`).toMatch(
      /^250-mx\.example\.test /,
    );
  });
});

describe('SmtpServerAdapter', () => {
  it('taps command and reply lines, corks replies within a turn, gates intake and reads sessions', async () => {
    const lines: [LineDirection, string][] = [];
    const corkedAfter: [string, number][] = [];
    const adapter = new SmtpServerAdapter(baseOptions, {
      log: pino({ level: 'silent' }),
      verbose: false,
      line: (_cid, direction, text) => void lines.push([direction, text]),
    });
    let gated = 0;
    adapter.gateConnections((socket) => {
      gated++;
      adapter.serve(socket);
    });
    // After the adapter's listener: this sees the socket with corking in place.
    adapter.server.server.on('connection', (socket: Socket) => {
      const write = socket.write.bind(socket) as (chunk: string) => boolean;
      socket.write = ((chunk: string) => {
        const ok = write(chunk);
        corkedAfter.push([chunk.slice(0, 3), socket.writableCorked]);
        return ok;
      }) as Socket['write'];
    });
    const port = await adapter.listen(0, '127.0.0.1');
    closers.push(() => adapter.close());
    const client = await Client.connect(port);
    await client.reply();
    await client.command('EHLO client.test');
    client.socket.write('MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n');
    await client.reply();
    await client.reply();
    expect(gated).toBe(1);
    expect(adapter.connectionCount).toBe(1);
    const [session] = [...adapter.sessions()];
    expect(session).toMatchObject({ closing: false, upgrading: false, inTransaction: true });
    expect(lines.slice(0, 4)).toEqual([
      ['server', expect.stringMatching(/^220 /)],
      ['client', 'EHLO client.test'],
      ['server', expect.stringMatching(/^250-[^]*\r\n250 /)],
      ['client', 'MAIL FROM:<a@example.test>'],
    ]);
    // The greeting leaves at once; other replies are corked until the end of the turn.
    expect(corkedAfter[0]).toEqual(['220', 0]);
    expect(corkedAfter.slice(1).every(([, corked]) => corked > 0)).toBe(true);

    adapter.destroySession(session!.id);
    await client.closed;
  });
});
