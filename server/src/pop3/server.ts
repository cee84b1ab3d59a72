import net, { type Socket } from 'node:net';
import tls, { type SecureContext, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics';
import { CredentialChecker } from '../access/credentials';
import type { Credential, HostPort } from '../config';
import type { TlsMaterial } from '../smtp/tls';
import { Connections } from '../net/connections';
import type { MessageStore } from '../store/store';
import { upgradeInPlace } from '../tls/upgrade';
import { Pop3Session } from './session';

/** Limits of the POP3 server; each has a default. */
export interface Pop3Limits {
  /**
   * Longest command line in bytes, CRLF included. RFC 2449 section 4 raises RFC 1939's limit to 255
   * octets; we allow twice that for long address logins and lenient clients.
   */
  maxLineLength: number;
  /** Concurrent connections; more are greeted with -ERR and closed. */
  maxConnections: number;
  /** Idle connections are closed after this long. RFC 1939 section 3 asks for at least 10 minutes. */
  idleTimeoutMs: number;
  /** Unknown or malformed commands tolerated per connection. */
  maxBadCommands: number;
}

/** Defaults of {@link Pop3Limits}. */
export const POP3_LIMITS: Readonly<Pop3Limits> = {
  maxLineLength: 512,
  maxConnections: 100,
  idleTimeoutMs: 10 * 60_000,
  maxBadCommands: 10,
};

const HANDSHAKE_TIMEOUT_MS = 30_000;

/** What the POP3 server needs to run. */
export interface Pop3Options {
  listen: HostPort;
  store: MessageStore;
  credentials: Credential[] | null;
  hostname: string;
  tls: TlsMaterial;
  logger: Logger;
  limits?: Partial<Pop3Limits>;
  /** Counts sessions (`--metrics`). */
  metrics?: Metrics | null;
}

/** A running POP3 listener. */
export interface Pop3Listener {
  readonly port: number;
  /** Stops accepting, closes every connection (without UPDATE), resolves when done. */
  close(): Promise<void>;
}

/**
 * Starts the POP3 server (RFC 1939 with CAPA and STLS) on node:net, with the SMTP certificate for STLS.
 * Off unless `--pop3` is given; it reads the same store the web UI shows.
 */
export async function startPop3(options: Pop3Options): Promise<Pop3Listener> {
  const limits: Pop3Limits = { ...POP3_LIMITS, ...options.limits };
  const log = options.logger.child({ component: 'pop3' });
  const secureContext = tls.createSecureContext({ cert: options.tls.cert, key: options.tls.key });
  const connections = new Connections(
    'POP3',
    limits.maxConnections,
    '-ERR [SYS/TEMP] too many connections, try again later\r\n',
    log,
  );
  const sessionOptions = {
    store: options.store,
    checker: options.credentials ? new CredentialChecker(options.credentials) : null,
    hostname: options.hostname,
    tls: true,
    maxBadCommands: limits.maxBadCommands,
    log,
  };

  options.metrics?.watchPop3(() => connections.size);
  const server = net.createServer((socket) => {
    options.metrics?.pop3Session();
    if (connections.admit(socket)) serve(socket, sessionOptions, limits, secureContext, log);
  });
  const port = await connections.listen(server, options.listen);
  log.info({ host: options.listen.host, port, auth: options.credentials ? 'required' : 'any' }, 'POP3 listening');

  return { port, close: () => connections.close(server) };
}

/** Reads command lines from a socket (and from its TLS successor after STLS) into a session. */
function serve(
  raw: Socket,
  sessionOptions: ConstructorParameters<typeof Pop3Session>[0],
  limits: Pop3Limits,
  secureContext: SecureContext,
  log: Logger,
): void {
  let socket: Socket | TLSSocket = raw;
  let buffer: Buffer = Buffer.alloc(0);
  let discarding = false;
  let paused = false;
  let awaitingDrain = false;

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
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    drain();
  };

  const drain = (): void => {
    // One command's answer is several writes (status line, message, terminator): send them as one
    // segment, or Nagle's algorithm and the client's delayed ACK cost ~40 ms per RETR.
    const corked = socket;
    corked.cork();
    try {
      handleLines();
    } finally {
      corked.uncork();
    }
  };

  const handleLines = (): void => {
    while (!paused) {
      if (socket.writableNeedDrain) return waitForDrain();
      const lf = buffer.indexOf(0x0a);
      if (lf === -1) {
        if (buffer.length > limits.maxLineLength) {
          // Keep discarding until the end of this line, then answer once.
          buffer = Buffer.alloc(0);
          discarding = true;
        }
        return;
      }
      const line = buffer.subarray(0, lf > 0 && buffer[lf - 1] === 0x0d ? lf - 1 : lf);
      buffer = buffer.subarray(lf + 1);
      if (discarding || line.length + 2 > limits.maxLineLength) {
        discarding = false;
        session.tooLong();
        continue;
      }
      session.handle(line.toString('utf8'));
    }
  };

  const io = {
    write: (data: string | Buffer) => {
      if (!socket.destroyed) socket.write(data);
    },
    close: () => {
      paused = true;
      socket.end();
    },
    startTls: () => {
      // RFC 2595 section 4: whatever the client pipelined after STLS is discarded.
      paused = true;
      buffer = Buffer.alloc(0);
      raw.off('data', onData);
      // The handshake gets the idle limit too, at most 30 seconds.
      socket = upgradeInPlace(raw, {
        secureContext,
        timeoutMs: Math.min(limits.idleTimeoutMs, HANDSHAKE_TIMEOUT_MS),
        protocol: 'POP3',
        log,
        secured: (secure) => {
          session.secured();
          paused = false;
          secure.on('data', onData);
          watchIdle(secure);
        },
      });
    },
  };

  const session = new Pop3Session(sessionOptions, io, false);

  const watchIdle = (s: Socket): void => {
    s.setTimeout(limits.idleTimeoutMs, () => {
      io.write('-ERR autologout: idle for too long\r\n');
      session.abort();
      s.end();
      // A client that never closes its side is cut off shortly after.
      setTimeout(() => s.destroy(), 2000).unref();
    });
  };

  raw.setNoDelay(true);
  raw.on('data', onData);
  raw.on('close', () => session.abort());
  watchIdle(raw);
  session.greet();
}
