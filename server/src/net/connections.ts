import type { AddressInfo, Server, Socket } from 'node:net';
import type { Logger } from 'pino';
import type { HostPort } from '../config';

/**
 * The connections of a line-protocol listener of our own (IMAP, POP3): each tracked until it closes,
 * those past `max` refused with the protocol's own line, and every one closed when the listener is.
 */
export class Connections {
  readonly #sockets = new Set<Socket>();

  constructor(
    /** The protocol's name in log lines. */
    readonly name: string,
    readonly max: number,
    /** What a refused connection is told before it is closed. */
    readonly refusal: string,
    readonly log: Logger,
  ) {}

  /** Connections open now. */
  get size(): number {
    return this.#sockets.size;
  }

  /** Tracks a new connection; false (and the connection refused) past the limit. */
  admit(socket: Socket): boolean {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', (err) => this.log.debug({ err: err.message }, `${this.name} connection error`));
    if (this.#sockets.size <= this.max) return true;
    this.log.warn({ max: this.max }, `${this.name} connection refused: too many connections`);
    socket.end(this.refusal);
    return false;
  }

  /**
   * Listens at `at` and resolves with the port. The kernel's own cap is twice the limit, so that
   * connections past the limit still get the refusal line rather than a reset.
   */
  async listen(server: Server, at: HostPort): Promise<number> {
    server.maxConnections = this.max * 2;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at.port, at.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.warn({ err: err.message }, `${this.name} server error`));
    return (server.address() as AddressInfo).port;
  }

  /** Stops `server` accepting and closes every connection; resolves once the server is closed. */
  close(server: Server): Promise<void> {
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
  }
}
