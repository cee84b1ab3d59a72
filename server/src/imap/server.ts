import net, { type Socket } from 'node:net';
import tls, { type SecureContext, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { CredentialChecker } from '../access/credentials';
import type { Credential, HostPort } from '../config';
import type { TlsMaterial } from '../smtp/tls';
import { Connections } from '../net/connections';
import type { MessageStore } from '../store/store';
import { CommandReader, type ReaderLimits } from './reader';
import { ImapSession, type ImapSessionOptions } from './session';
import { upgradeInPlace } from '../tls/upgrade';
import { ImapShared } from './view';

/** Limits of the IMAP server; each has a default. */
export interface ImapLimits extends ReaderLimits {
  /** Concurrent connections; more are told BYE and closed. */
  maxConnections: number;
  /** Before login, a silent connection is closed after this long. */
  preAuthTimeoutMs: number;
  /** After login. RFC 3501 section 5.4 asks for at least 30 minutes, which IDLE clients rely on. */
  idleTimeoutMs: number;
  /** Malformed or unknown commands tolerated per connection. */
  maxBadCommands: number;
}

/**
 * Defaults of {@link ImapLimits}. Lines: RFC 7162 section 4 asks clients to keep command lines under
 * 8,192 octets and servers to take at least that. Literals: Pigeonhole takes no APPEND, so a literal
 * is a user name, password or search string; 64 KiB is plenty.
 */
export const IMAP_LIMITS: Readonly<ImapLimits> = {
  maxLineLength: 16 * 1024,
  maxLiteral: 64 * 1024,
  maxCommand: 256 * 1024,
  maxConnections: 100,
  preAuthTimeoutMs: 60_000,
  idleTimeoutMs: 30 * 60_000,
  maxBadCommands: 20,
};

const HANDSHAKE_TIMEOUT_MS = 30_000;

/** What the IMAP server needs to run. */
export interface ImapOptions {
  listen: HostPort;
  store: MessageStore;
  credentials: Credential[] | null;
  tls: TlsMaterial;
  /** Implicit TLS (`--imap-tls`, as on port 993) instead of STARTTLS. */
  implicitTls: boolean;
  logger: Logger;
  limits?: Partial<ImapLimits>;
}

/** A running IMAP listener. */
export interface ImapListener {
  readonly port: number;
  /** Stops accepting, closes every connection, resolves when done. */
  close(): Promise<void>;
}

/**
 * Starts the IMAP server (IMAP4rev1 with IDLE) on node:net: STARTTLS with the SMTP certificate, or
 * implicit TLS. Off unless `--imap` is given; it reads the same store the web UI shows.
 */
export async function startImap(options: ImapOptions): Promise<ImapListener> {
  const limits: ImapLimits = { ...IMAP_LIMITS, ...options.limits };
  const log = options.logger.child({ component: 'imap' });
  const secureContext = tls.createSecureContext({ cert: options.tls.cert, key: options.tls.key });
  const shared = new ImapShared(options.store);
  const connections = new Connections(
    'IMAP',
    limits.maxConnections,
    '* BYE [UNAVAILABLE] too many connections, try again later\r\n',
    log,
  );
  const sessionOptions: ImapSessionOptions = {
    shared,
    checker: options.credentials ? new CredentialChecker(options.credentials) : null,
    starttls: !options.implicitTls,
    maxBadCommands: limits.maxBadCommands,
    log,
  };

  const accept = (socket: Socket, secure: boolean): void => {
    if (connections.admit(socket)) serve(socket, secure, sessionOptions, limits, secureContext, log);
  };
  const server = options.implicitTls
    ? tls.createServer(
        { cert: options.tls.cert, key: options.tls.key, handshakeTimeout: HANDSHAKE_TIMEOUT_MS },
        (socket) => accept(socket, true),
      )
    : net.createServer((socket) => accept(socket, false));
  if (options.implicitTls)
    server.on('tlsClientError', (err) => log.info({ err: err.message }, 'IMAP TLS handshake failed'));

  const port = await connections.listen(server, options.listen);
  const auth = options.credentials ? 'required' : 'any';
  log.info({ host: options.listen.host, port, tls: options.implicitTls, auth }, 'IMAP listening');

  return {
    port,
    close: () => {
      const closed = connections.close(server);
      shared.close();
      return closed;
    },
  };
}

/** Reads commands from a socket (and from its TLS successor after STARTTLS) into a session. */
function serve(
  raw: Socket,
  secure: boolean,
  sessionOptions: ImapSessionOptions,
  limits: ImapLimits,
  secureContext: SecureContext,
  log: Logger,
): void {
  let socket: Socket | TLSSocket = raw;
  /** True while a command waits (a password check) or the connection is being handed to TLS. */
  let paused = false;
  let awaitingDrain = false;
  let idleLimit = limits.preAuthTimeoutMs;

  const reader = new CommandReader(limits, {
    command: (parts) => {
      const pending = session.handle(parts);
      if (pending) {
        paused = true;
        void pending.then(() => {
          paused = false;
          drain();
        });
      }
    },
    continueLiteral: () => io.write('+ go ahead\r\n'),
    tooLarge: (tag, reason) => session.tooLarge(tag, reason),
  });

  // A client that pipelines commands and never reads the answers must not make the answers pile up in
  // memory: stop reading its commands until it has taken what was written (TCP backpressure).
  const waitForDrain = (): void => {
    if (awaitingDrain) return;
    awaitingDrain = true;
    const current = socket;
    current.pause();
    current.once('drain', () => {
      awaitingDrain = false;
      current.resume();
      drain();
    });
  };

  const onData = (chunk: Buffer): void => {
    reader.push(chunk);
    drain();
  };

  const drain = (): void => {
    const corked = socket;
    corked.cork();
    try {
      while (!paused && !socket.destroyed) {
        if (socket.writableNeedDrain) return waitForDrain();
        if (!reader.next()) return;
      }
    } finally {
      corked.uncork();
    }
  };

  const io = {
    write: (data: string | Buffer) => {
      if (!socket.destroyed && socket.writable) socket.write(data);
    },
    backpressure: () => {
      if (!socket.writableNeedDrain || socket.destroyed) return null;
      const current = socket;
      return new Promise<void>((resolve) => {
        const done = (): void => {
          current.off('drain', done);
          current.off('close', done);
          resolve();
        };
        current.on('drain', done);
        current.on('close', done);
      });
    },
    close: () => {
      paused = true;
      socket.end();
      // A client that never closes its side is cut off shortly after.
      setTimeout(() => socket.destroy(), 2000).unref();
    },
    authenticated: () => {
      idleLimit = limits.idleTimeoutMs;
      socket.setTimeout(idleLimit);
    },
    startTls: () => {
      // RFC 3501 section 6.2.1: whatever the client pipelined after STARTTLS is discarded.
      paused = true;
      reader.reset();
      raw.off('data', onData);
      socket = upgradeInPlace(raw, {
        secureContext,
        timeoutMs: Math.min(idleLimit, HANDSHAKE_TIMEOUT_MS),
        protocol: 'IMAP',
        log,
        secured: (tlsSocket) => {
          session.secured();
          paused = false;
          tlsSocket.on('data', onData);
          watchIdle(tlsSocket);
        },
      });
    },
  };

  const session = new ImapSession(sessionOptions, io, secure);

  const watchIdle = (s: Socket): void => {
    s.setTimeout(idleLimit, () => {
      io.write('* BYE autologout: idle for too long\r\n');
      session.abort();
      io.close();
    });
  };

  raw.setNoDelay(true);
  socket.on('data', onData);
  raw.on('close', () => session.abort());
  watchIdle(socket);
  session.greet();
}
