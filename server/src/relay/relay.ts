import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics';
import type { RelayConfig } from '../config';
import type { StoredMessage } from '../store/types';
import { receivedHeader } from './received';

/** A relay that did not take the message; `message` carries the remote server's reply when there is one. */
export class RelayError extends Error {
  constructor(
    message: string,
    /** The remote SMTP reply code, when the server answered. */
    readonly responseCode: number | null,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

/** What the relay answered to a message it took. */
export interface RelayResult {
  /** The remote reply to the end of DATA, e.g. `250 Ok: queued as abc`. */
  response: string;
  accepted: string[];
}

/** Connection waits; a relay that does not answer must not hold an HTTP request for minutes. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

/** Extracts the address from `a@b.test` or `Name <a@b.test>`; null when it is not one. */
export function parseAddress(text: string): string | null {
  const trimmed = text.trim();
  const angle = /<([^<>\s]+)>\s*$/.exec(trimmed);
  const address = angle ? angle[1]! : trimmed;
  return /^[^\s@<>,;]+@[^\s@<>,;]+$/.test(address) ? address : null;
}

/**
 * Sends caught messages on to a real SMTP server through nodemailer: the raw bytes unchanged, with a
 * `Received` trace header in front. One connection per send: releases are rare and a broken
 * connection must not poison the next one.
 */
export class Relay {
  readonly #config: RelayConfig;
  readonly #hostname: string;
  readonly #log: Logger;
  /** Made on the first send: nodemailer is loaded only when something is relayed. */
  #transport: Promise<Transporter> | null = null;
  /** Names this process in the Received headers it writes. */
  readonly #instance = randomBytes(4).toString('hex');

  readonly #metrics: Metrics | null;

  constructor(config: RelayConfig, hostname: string, logger: Logger, metrics: Metrics | null = null) {
    this.#metrics = metrics;
    this.#config = config;
    this.#hostname = hostname;
    this.#log = logger.child({ component: 'relay' });
  }

  async #createTransport(): Promise<Transporter> {
    const { default: nodemailer } = await import('nodemailer');
    const config = this.#config;
    return nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.tls,
      requireTLS: config.starttls,
      // Without --smtp-relay-starttls the connection stays plain, as Mailpit's relay does by default:
      // upgrading on a whim would fail against test servers with self-signed certificates.
      ignoreTLS: !config.starttls && !config.tls,
      name: this.#hostname,
      ...(config.username ? { auth: { user: config.username, pass: config.password } } : {}),
      tls: { rejectUnauthorized: !config.insecureTls },
      ...TIMEOUTS,
    });
  }

  /** The relay's `host:port`, for messages. */
  get address(): string {
    return `${this.#config.host}:${this.#config.port}`;
  }

  /** The relay settings. */
  get config(): RelayConfig {
    return this.#config;
  }

  /**
   * True when this very Pigeonhole relayed the message before: its header block carries our
   * Received line. A relay pointed back at Pigeonhole itself would otherwise loop for ever.
   */
  relayedByMe(message: StoredMessage): boolean {
    return message.withRaw((raw) => {
      const headerEnd = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, headerEnd === -1 ? Math.min(raw.length, 65_536) : headerEnd);
      return head.includes(`, instance ${this.#instance})`);
    });
  }

  /** The addresses `--smtp-relay-allowed-recipients` refuses (all allowed when it is not set). */
  notAllowed(addresses: readonly string[]): string[] {
    const allowed = this.#config.allowedRecipients;
    return allowed ? addresses.filter((a) => !allowed.test(a)) : [];
  }

  /**
   * Sends the message to `to` (bare addresses). Resolves with the relay's reply; rejects with a
   * {@link RelayError} carrying the relay's reply or the connection failure. Never retries.
   */
  async send(message: StoredMessage, to: string[], how: 'release' | 'auto-relay'): Promise<RelayResult> {
    const from = message.envelope.mailFrom || message.summary.From?.Address || '';
    const received = Buffer.from(receivedHeader(message, this.#hostname, how, this.#instance), 'latin1');
    const raw = message.withRaw((bytes) => Buffer.concat([received, bytes]));
    try {
      this.#transport ??= this.#createTransport();
      const info = await (await this.#transport).sendMail({ envelope: { from, to }, raw });
      const accepted = (info.accepted ?? []).map((a: string | { address: string }) =>
        typeof a === 'string' ? a : a.address,
      );
      this.#log.info({ id: message.id, to, relay: this.address, response: info.response }, `${how}: sent`);
      this.#metrics?.relay(how, 'sent');
      return { response: info.response ?? '', accepted };
    } catch (err) {
      const failure = err as Error & { response?: string; responseCode?: number; rejectedErrors?: unknown[] };
      const reply = failure.response ?? failure.message;
      this.#log.warn({ id: message.id, to, relay: this.address, reply }, `${how}: the relay refused the message`);
      this.#metrics?.relay(how, 'failed');
      throw new RelayError(reply, failure.responseCode ?? null);
    }
  }

  /** Closes the transport. */
  close(): void {
    void this.#transport?.then(
      (transport) => transport.close(),
      () => undefined,
    );
    this.#transport = null;
  }
}
