import type { AddressInfo, Server, Socket } from 'node:net';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/**
 * The one file that knows smtp-server's internals. Its public API (options, hooks, `listen`,
 * `close`) is used as documented; beyond it Pigeonhole relies on these, none of which smtp-server
 * exposes, all read or replaced here and pinned by smtp-server-adapter.test.ts (checked against the
 * version below, dist/esm/smtp-server.js and smtp-connection.js):
 *
 * - the `logger` field, read at each call (`this._server.logger.debug(...)`), replaced by ours;
 * - its debug lines: `debug({ tnx: 'command', cid }, 'C:', line)` for each command, AUTH secrets
 *   already masked, and `debug({ tnx: 'send', cid }, 'S:', payload)` for each reply, a multi-line
 *   reply as one payload joined by CRLF; the DATA body is never logged. They are the transcript;
 * - the one `connection` listener on `server.server`, taken over so that a socket can be held back
 *   before smtp-server sees it; the session it makes appears in `connections` one `setImmediate`
 *   later (`_handleProxy`), implicit-TLS sockets sit in `_pendingSockets` (raw socket to the TLS
 *   socket on top) until their handshake is done;
 * - each reply written as one `socket.write(string)` of a single argument, on the socket the
 *   `connection` event gave, the greeting first and starting with `220` (what corking patches);
 * - the greeting, `220 <options.name or the host name> ESMTP <options.banner>` (LMTP with `lmtp`),
 *   as `_sendGreeting` writes it, and a session's parser fed from its socket by `pipe`, so that
 *   bytes put back with `socket.unshift` once the greeting is sent are read as the client's next;
 * - per session (`connections` entries): `id`, `_upgrading` (STARTTLS handshake), `_closing`,
 *   `_dataStream` (DATA under way), `session.envelope.mailFrom` (transaction open), `_socket`, and
 *   `send(421, text, false)`, which writes the reply when it can and closes the session.
 */
export const SMTP_SERVER_CHECKED_AGAINST = '3.21.6';

/** Which way a transcript line went. */
export type LineDirection = 'client' | 'server';

/** What the adapter reports of smtp-server's logging. */
export interface SmtpServerTap {
  /**
   * Each command as received (AUTH secrets masked by smtp-server) and each reply as sent (a
   * multi-line reply as one text, its lines joined by CRLF), by session ID. Never the DATA body.
   */
  line(cid: string, direction: LineDirection, text: string): void;
  /** Where the rest of what smtp-server says goes. */
  log: Logger;
  /** Whether smtp-server's debug and info lines are logged (at debug level). */
  verbose: boolean;
}

/** A session as smtp-server holds it, read through the fields named in the file comment. */
export interface SessionView {
  readonly id: string;
  /** The socket the session talks on (the TLS socket once TLS is up). */
  readonly socket: Socket;
  /** The session is closing: it will not read another command. */
  readonly closing: boolean;
  /** In a STARTTLS handshake. */
  readonly upgrading: boolean;
  /** Inside a transaction: after MAIL FROM, or in DATA. */
  readonly inTransaction: boolean;
  /** Sends `421 <text>` when it can (not during a TLS handshake) and closes the session. */
  close421(text: string): void;
}

/** An implicit-TLS socket still in its handshake, which counts against the connection limit. */
export interface PendingHandshake {
  /** The accepted (raw) socket. */
  readonly socket: Socket;
  /** Drops it: nothing can be written before the handshake is done, smtp-server drops these likewise. */
  destroy(): void;
}

/** The session internals read here; see the file comment. */
export interface Connection {
  id: string;
  _upgrading: boolean;
  _closing: boolean;
  _dataStream: unknown;
  _socket: Socket;
  session?: { envelope?: { mailFrom?: unknown } };
  send(code: number, text: string, context: false): void;
}

interface Internals {
  logger: unknown;
  connections: Set<Connection>;
  _pendingSockets: Map<Socket, Socket>;
}

type Handler = (socket: Socket) => void;

/** Options for smtp-server, but its logger: the adapter's is the one that makes the transcript. */
export type SmtpServerAdapterOptions = Omit<SMTPServerOptions, 'logger'>;

/**
 * An SMTPServer with its logging, its connection intake and its reply writes taken over; see the file
 * comment for what that relies on.
 */
export class SmtpServerAdapter {
  /** smtp-server itself, for its public API (hooks are given in the options). */
  readonly server: SMTPServer;
  readonly #internals: Internals;
  readonly #serve: Handler;
  #gate: Handler;
  /** Sockets handed to smtp-server, so that one closed before it was can be told apart. */
  readonly #served = new WeakSet<Socket>();

  /** Makes the server; it does not listen until {@link listen}. */
  constructor(options: SmtpServerAdapterOptions, tap: SmtpServerTap) {
    const logger = smtpServerLogger(tap);
    this.server = new SMTPServer({ ...options, logger });
    this.#internals = this.server as unknown as Internals;
    // smtp-server wraps the logger it is given in nodemailer's, which copies each entry's fields into
    // a new object: about 3 % of the CPU per message, for seven log calls. Ours takes the calls as
    // they come; the fields it reads (tnx, cid) are smtp-server's own.
    this.#internals.logger = logger;
    const netServer: Server = this.server.server;
    const [serve, ...others] = netServer.listeners('connection') as Handler[];
    if (!serve || others.length > 0)
      throw new Error("smtp-server adapter: expected smtp-server's connection listener alone");
    netServer.removeListener('connection', serve);
    this.#serve = serve;
    this.#gate = serve;
    netServer.on('connection', (socket: Socket) => {
      // Before smtp-server sees the socket, so that even the first reply is sent through it.
      corkReplies(socket);
      this.#gate(socket);
    });
  }

  /**
   * Routes each accepted connection through `gate` instead of straight to smtp-server; `gate` hands
   * it on with {@link serve} when it may.
   */
  gateConnections(gate: (socket: Socket) => void): void {
    this.#gate = gate;
  }

  /**
   * Hands an accepted socket to smtp-server. Its session is among {@link sessions} one
   * `setImmediate` later (an implicit-TLS socket among {@link pendingHandshakes} at once).
   *
   * `heard`: what the client sent before its session, read off the socket by the caller. On a plain
   * server the client was sent {@link greeting} already: smtp-server's own greeting is not sent again,
   * and `heard` reaches its parser just after that greeting would have gone (sooner, it would be an
   * early talker's). On an implicit-TLS server it is the start of the handshake, read by the TLS
   * socket smtp-server makes.
   */
  serve(socket: Socket, heard?: Buffer): void {
    this.#served.add(socket);
    if (heard) {
      // Whatever else the client sent before its first reply goes with it, in order.
      const rest: Buffer[] = [];
      for (let chunk: Buffer | null; (chunk = socket.read() as Buffer | null) !== null; ) rest.push(chunk);
      const said = Buffer.concat([heard, ...rest]);
      if (this.server.options.secure) socket.unshift(said);
      else replaceGreeting(socket, said);
    }
    this.#serve(socket);
  }

  /** The greeting line smtp-server sends a new session, CRLF included. */
  get greeting(): string {
    const { name, banner, lmtp } = this.server.options;
    return `220 ${name || hostname()} ${lmtp ? 'LMTP' : 'ESMTP'}${banner ? ` ${banner}` : ''}\r\n`;
  }

  /** Whether an accepted socket was handed to smtp-server (a session began), or never was (refused). */
  wasServed(socket: Socket): boolean {
    return this.#served.has(socket);
  }

  /** Sessions plus implicit-TLS handshakes under way: what counts against smtp-server's maxClients. */
  get connectionCount(): number {
    return this.#internals.connections.size + this.#internals._pendingSockets.size;
  }

  /** The sessions smtp-server holds (a session leaves in its `close()`). */
  *sessions(): Generator<SessionView> {
    for (const c of this.#internals.connections) {
      yield {
        id: c.id,
        socket: c._socket,
        closing: c._closing,
        upgrading: c._upgrading,
        inTransaction: Boolean(c._dataStream || c.session?.envelope?.mailFrom),
        close421: (text) => c.send(421, text, false),
      };
    }
  }

  /** Implicit-TLS sockets still in their handshake. */
  *pendingHandshakes(): Generator<PendingHandshake> {
    const pending = this.#internals._pendingSockets;
    for (const [raw, top] of pending) {
      yield {
        socket: raw,
        destroy: () => {
          pending.delete(raw);
          top.destroy();
        },
      };
    }
  }

  /** Cuts session `id`'s connection with no reply (a dropped line, as chaos plays it). */
  destroySession(id: string): void {
    for (const c of this.#internals.connections) if (c.id === id) c._socket.destroy();
  }

  /** Listens; resolves with the bound port (useful with port 0), rejects if it cannot bind. */
  listen(port: number, host: string): Promise<number> {
    const netServer = this.server.server;
    return new Promise<number>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      netServer.once('error', onError);
      this.server.listen(port, host, () => {
        netServer.off('error', onError);
        resolve((netServer.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting, ends sessions, resolves when every socket is closed. */
  close(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The fields of smtp-server's log entries read here. */
interface LogMeta {
  tnx?: string;
  cid?: string;
  err?: NodeJS.ErrnoException;
}

/** One of smtp-server's bunyan-style log calls: fields, then printf-like arguments. */
type LogCall = (meta: LogMeta, ...args: unknown[]) => void;

/**
 * smtp-server logs every command ('C:') and reply ('S:') at debug level, with AUTH secrets already
 * masked; that stream is the transcript. Everything else it says goes to our logger.
 */
function smtpServerLogger(
  tap: SmtpServerTap,
): Record<'debug' | 'info' | 'warn' | 'error' | 'trace' | 'fatal', LogCall> {
  const { log, verbose } = tap;
  return {
    debug(meta: LogMeta, ...args: unknown[]): void {
      if (meta.cid && (meta.tnx === 'command' || meta.tnx === 'send')) {
        tap.line(meta.cid, meta.tnx === 'command' ? 'client' : 'server', String(args[1] ?? ''));
      }
      if (verbose) log.debug({ cid: meta.cid }, args.map(String).join(' '));
    },
    info(meta: LogMeta, ...args: unknown[]): void {
      if (verbose) log.debug({ cid: meta.cid }, formatLog(args));
    },
    error(meta: LogMeta, ...args: unknown[]): void {
      // A client that drops its connection is no fault of ours, and after STARTTLS smtp-server hears
      // it twice (the TLS socket and the one beneath): a debug line, not two warnings.
      const quiet = meta.err?.code === 'ECONNRESET' || meta.err?.code === 'EPIPE';
      if (!quiet) log.warn({ cid: meta.cid }, formatLog(args));
      else if (verbose) log.debug({ cid: meta.cid }, formatLog(args));
    },
    warn(meta: LogMeta, ...args: unknown[]): void {
      log.warn({ cid: meta.cid }, formatLog(args));
    },
    trace(): void {},
    fatal(meta: LogMeta, ...args: unknown[]): void {
      log.error({ cid: meta.cid }, formatLog(args));
    },
  };
}

/** smtp-server's log calls are printf-like: `('%s pending connection%s', n, 's')`. */
function formatLog(args: unknown[]): string {
  const [format, ...rest] = args;
  let i = 0;
  return String(format ?? '').replace(/%[sdj]/g, () => String(rest[i++] ?? ''));
}

/**
 * Drops smtp-server's greeting on a socket that was greeted already, and gives its parser what the
 * client said then, once the session is ready for it. Any other first reply (a refusal) goes out
 * as it is, and what was said goes unanswered: the session is closing.
 */
function replaceGreeting(socket: Socket, said: Buffer): void {
  const write = socket.write;
  socket.write = ((chunk: unknown, ...rest: unknown[]) => {
    socket.write = write;
    if (typeof chunk === 'string' && chunk.startsWith('220 ')) {
      // After the write that sets the session ready returns: the client "speaks" on the next turn.
      setImmediate(() => {
        if (!socket.destroyed) socket.unshift(said);
      });
      return true;
    }
    return (write as (...args: unknown[]) => boolean).call(socket, chunk, ...rest);
  }) as Socket['write'];
}

/**
 * Gathers the replies written to a socket in one turn of the event loop into one write. A client
 * that pipelines (RFC 2920) sends MAIL FROM, RCPT TO and DATA, or a message's final dot and the next
 * MAIL FROM, in one packet; smtp-server answers each command with a write of its own, and those
 * system calls were a third of the CPU spent per message. Corked until the end of the turn, the
 * replies to one packet leave in one segment, in the same order and as soon as they are all known.
 *
 * A 220 reply goes out at once: after the greeting the client speaks first, and after 220 to
 * STARTTLS the TLS handshake must find nothing else queued on the plain socket.
 */
function corkReplies(socket: Socket): void {
  const write = socket.write.bind(socket) as (chunk: string) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk !== 'string' || rest.length > 0 || chunk.startsWith('220')) {
      if (corked) uncork();
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write(chunk);
  }) as Socket['write'];
}
