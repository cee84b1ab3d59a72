import type { Socket } from 'node:net';
import tls, { type SecureContext, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';

/** What {@link upgradeInPlace} needs beyond the socket. */
export interface UpgradeOptions {
  secureContext: SecureContext;
  /** How long the handshake may take before the connection is cut. */
  timeoutMs: number;
  /** The protocol, for the log line of a failed handshake (`IMAP`, `POP3`). */
  protocol: string;
  log: Logger;
  /** Called once the handshake is done, with the socket to read and write from then on. */
  secured(socket: TLSSocket): void;
}

/**
 * Turns a plain connection into TLS in place, for IMAP's STARTTLS and POP3's STLS. The caller has
 * already stopped reading the plain socket and dropped whatever the client pipelined after the
 * command (those bytes must never be read as commands inside TLS). A client that sends the
 * command and then nothing does not hold the connection: the handshake has `timeoutMs`.
 */
export function upgradeInPlace(raw: Socket, options: UpgradeOptions): TLSSocket {
  raw.removeAllListeners('timeout');
  raw.setTimeout(options.timeoutMs, () => raw.destroy());
  const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: options.secureContext });
  secure.on('error', (err) => {
    options.log.info({ err: err.message }, `${options.protocol} TLS handshake failed`);
    raw.destroy();
  });
  secure.once('secure', () => {
    raw.removeAllListeners('timeout');
    raw.setTimeout(0);
    options.secured(secure);
  });
  return secure;
}
