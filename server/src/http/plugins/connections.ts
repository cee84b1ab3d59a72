import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** What is known of one open connection. */
interface Tracked {
  /** Requests received whose answer is not finished yet. */
  busy: number;
  /** True once a request has been answered: between requests the connection is keep-alive idle. */
  answered: boolean;
  /** Upgraded to a WebSocket: never idle. */
  upgraded: boolean;
}

/** The answer to a connection over the cap with nothing idle to close. */
function refusal(max: number): string {
  const body = `Too many HTTP connections (--http-max-connections ${max}); try again shortly.\n`;
  return (
    'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n' +
    `Retry-After: 1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** How long a refused client gets to read the 503 before its socket is destroyed. */
const REFUSAL_GRACE_MS = 2000;

/**
 * Open connections, oldest first, with their state; enforces the cap. Over the cap, the oldest idle
 * keep-alive connection is closed to make room (a browser or a client pool keeps such connections
 * open for reuse, and reopens one when it needs it); only when none is idle is the new connection
 * refused, with a 503. Connections that have sent nothing yet are not idle: the header timeout
 * closes those.
 */
export class ConnectionCap {
  readonly #open = new Map<Socket, Tracked>();
  #atCap = false;

  constructor(
    readonly max: number,
    private readonly log: (message: string, fields: Record<string, unknown>) => void,
  ) {}

  /** Open connections, WebSockets included. */
  get size(): number {
    return this.#open.size;
  }

  /** A new connection: admitted (an idle one closed if need be) or refused. */
  connected(socket: Socket): void {
    if (this.max > 0 && this.#open.size >= this.max && !this.#closeOldestIdle()) {
      this.#refuse(socket);
      return;
    }
    this.#open.set(socket, { busy: 0, answered: false, upgraded: false });
    socket.once('close', () => {
      this.#open.delete(socket);
      // Hysteresis: the next episode at the cap is logged again once the count has come down.
      if (this.#atCap && this.#open.size < this.max * 0.9) this.#atCap = false;
    });
  }

  /** A request arrived on `socket`; `finished` is called when its answer is done. */
  request(socket: Socket): () => void {
    const state = this.#open.get(socket);
    if (!state) return () => undefined;
    state.busy += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      state.busy -= 1;
      state.answered = true;
    };
  }

  /** The connection became a WebSocket. */
  upgraded(socket: Socket): void {
    const state = this.#open.get(socket);
    if (state) state.upgraded = true;
  }

  #closeOldestIdle(): boolean {
    for (const [socket, state] of this.#open) {
      if (state.upgraded || state.busy > 0 || !state.answered) continue;
      this.#open.delete(socket);
      socket.destroy();
      this.#note('closing idle keep-alive HTTP connections, oldest first, to admit new ones');
      return true;
    }
    return false;
  }

  #refuse(socket: Socket): void {
    this.#note('refusing new HTTP connections with 503: none is idle');
    // Not read: no request on it reaches the app. Destroyed once the client had time to read the 503.
    socket.pause();
    socket.end(refusal(this.max));
    setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
  }

  #note(what: string): void {
    if (this.#atCap) return;
    this.#atCap = true;
    this.log(`HTTP connections at --http-max-connections: ${what} (logged once until the count falls)`, {
      max: this.max,
    });
  }
}

/**
 * `--http-max-connections` (default 1,000, WebSockets included): without a cap, clients that open
 * sockets and keep them exhaust the process's file descriptors, which shuts out SMTP as well. The
 * timeouts (http-server.ts) bound how long a socket that sends nothing or drips holds its slot.
 * With HTTPS the cap counts connections once their TLS handshake is done; the handshake itself is
 * bounded by the header timeout.
 */
export const connectionsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const max = app.pigeonhole.config.httpMaxConnections;
    if (max === 0) return;
    const cap = new ConnectionCap(max, (message, fields) => app.log.warn(fields, message));
    const server = app.server;
    server.on(server instanceof TlsServer ? 'secureConnection' : 'connection', (socket: Socket) =>
      cap.connected(socket),
    );
    server.on('request', (req, res) => {
      const finished = cap.request(req.socket);
      res.once('finish', finished);
      res.once('close', finished);
    });
    server.on('upgrade', (req) => cap.upgraded(req.socket));
  },
  { name: 'pigeonhole-connections' },
);
