import { PigeonholeClient } from '@pigeonhole/shared/client';
import type { Logger } from 'pino';
import { buildApp, type App } from './app';
import { ChaosEngine } from './chaos/engine';
import { DEFAULTS, resolveConfig, type Config, type PigeonholeOptions } from './config';
import { clientAuthHeaders } from './http/plugins/auth';
import { ingest } from './ingest';
import { createLogger } from './logger';
import { SummaryThread } from './mail/summary-thread';
import { startMetricsListener } from './metrics/listener';
import { startImap, type ImapListener } from './imap/server';
import { startPop3, type Pop3Listener } from './pop3/server';
import { startAutoRelay } from './relay/auto-relay';
import { Relay } from './relay/relay';
import { startSmtp } from './smtp/server';
import { selfSignedCertificate } from './smtp/tls';
import { MaildirHolder } from './store/maildir/maildir-holder';
import { MessageStore } from './store/store';
import { startWebhook } from './webhook/webhook';

/** A running Pigeonhole. */
export interface Pigeonhole {
  /** The SMTP port (the real one when started on port 0). */
  smtpPort: number;
  /** The SMTP host it listens on. */
  smtpHost: string;
  /** The POP3 port, or null when POP3 is off (no `--pop3`). */
  pop3Port: number | null;
  /** The IMAP port, or null when IMAP is off (no `--imap`). */
  imapPort: number | null;
  /** Base URL of UI and API, e.g. `http://127.0.0.1:8025`. */
  httpUrl: string;
  /** A typed client of the API. */
  client: PigeonholeClient;
  /** The validated configuration in force. */
  config: Config;
  /** The message store (in-process use only). */
  store: MessageStore;
  /** The fastify app. */
  app: App;
  /**
   * The `--metrics HOST:PORT` listener's base URL (`http://127.0.0.1:9464`); null when metrics are off
   * or served on the web listener (`--metrics on`).
   */
  metricsUrl: string | null;
  /** Closes every socket; resolves when done. */
  stop(): Promise<void>;
}

/** Extra knobs for embedding: a logger of the caller's, and the CLI's fixed-port defaults. */
export interface StartOptions extends PigeonholeOptions {
  logger?: Logger;
  /** Use the CLI defaults (ports 1025 and 8025) instead of free ports. */
  cliDefaults?: boolean;
}

const IN_PROCESS_DEFAULTS = { ...DEFAULTS, smtp: '127.0.0.1:0', listen: '127.0.0.1:0' };

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** The base URL of a listening fastify app. */
function listenerUrl(app: App, scheme: 'http' | 'https'): string {
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('not listening');
  return `${scheme}://${urlHost(address.address)}:${address.port}`;
}

/**
 * Starts SMTP and HTTP and resolves once both listen. With no options both listen on free ports of
 * 127.0.0.1, so many instances can run in one process (one per test worker).
 */
export async function startPigeonhole(options: StartOptions = {}): Promise<Pigeonhole> {
  const { logger: given, cliDefaults, ...rest } = options;
  const config = resolveConfig(rest, cliDefaults ? DEFAULTS : IN_PROCESS_DEFAULTS);
  const logger = given ?? createLogger(options.logLevel ?? (cliDefaults ? config.logLevel : 'warn'));
  const limits = { maxMessages: config.max, maxBytes: config.maxBytes, maxAgeMs: config.maxAgeMs };
  // --storage: a Maildir folder holds the bytes; what it held at start is back in the store at once.
  const disk = config.storage ? await MaildirHolder.open(config.storage, logger.child({ component: 'storage' })) : null;
  const store = new MessageStore(limits, new SummaryThread(), disk);
  if (disk) {
    const restored = disk.takeRestored();
    store.restore(restored);
    logger.info({ dir: config.storage, messages: store.count }, 'storage: Maildir folder opened');
  }
  let ready = false;
  const chaos = config.enableChaos ? new ChaosEngine() : null;
  // Off by default, and then nothing of it runs: no hooks, no store listener, no registry.
  // prom-client (some 90 modules) is loaded only when metrics are on.
  const metrics = config.metrics ? new (await import('./metrics/metrics')).Metrics() : null;
  const unwatchStore = metrics?.watchStore(store);
  const relay = config.smtpRelay ? new Relay(config.smtpRelay, config.smtpHostname, logger, metrics) : null;
  const context = { config, store, ready: () => ready, chaos, relay, metrics };
  const app = await buildApp(context, logger);
  const { tagRules } = config;
  const smtp = await startSmtp(config, logger, (incoming) => ingest(store, incoming, tagRules), chaos, metrics);
  let pop3: Pop3Listener | null = null;
  let metricsApp: App | null = null;
  let imap: ImapListener | null = null;
  try {
    await app.listen({ host: config.listen.host, port: config.listen.port });
    if (metrics && config.metrics && config.metrics !== 'http') {
      metricsApp = await startMetricsListener(context, metrics, logger);
    }
    if (config.pop3) {
      const tls = config.smtpTls ?? (await selfSignedCertificate());
      // One credential rule for every way in that reads mail: --ui-auth covers POP3 too, unless
      // POP3 has credentials of its own.
      const credentials = config.pop3Auth ?? config.uiAuth;
      const hostname = config.smtpHostname;
      pop3 = await startPop3({ listen: config.pop3, store, credentials, hostname, tls, logger, metrics });
    }
    if (config.imap) {
      const tls = config.smtpTls ?? (await selfSignedCertificate());
      // The same credential rule as POP3: --imap-auth, else --ui-auth, else any login.
      const credentials = config.imapAuth ?? config.uiAuth;
      imap = await startImap({ listen: config.imap, store, credentials, tls, implicitTls: config.imapTls, logger });
    }
  } catch (err) {
    unwatchStore?.();
    await Promise.all([smtp.close(), app.close(), pop3?.close(), metricsApp?.close()]);
    store.close();
    await disk?.close();
    throw err;
  }
  const autoRelay = relay && (relay.config.all || relay.config.matching) ? startAutoRelay(store, relay, logger) : null;
  const webhook = config.webhook ? startWebhook(store, config.webhook, logger, metrics) : null;
  const address = app.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : config.listen.port;
  const httpUrl = `${config.uiTls ? 'https' : 'http'}://${urlHost(config.listen.host)}:${httpPort}`;
  ready = true;

  let stopping: Promise<void> | undefined;
  return {
    smtpPort: smtp.port,
    smtpHost: config.smtp.host,
    pop3Port: pop3?.port ?? null,
    imapPort: imap?.port ?? null,
    httpUrl,
    client: new PigeonholeClient({ baseUrl: httpUrl, headers: clientAuthHeaders(config.uiAuth) }),
    config,
    store,
    app,
    metricsUrl: metricsApp ? listenerUrl(metricsApp, config.uiTls ? 'https' : 'http') : null,
    stop() {
      stopping ??= (async () => {
        ready = false;
        webhook?.stop();
        autoRelay?.stop();
        relay?.close();
        unwatchStore?.();
        await Promise.all([smtp.close(), app.close(), pop3?.close(), imap?.close(), metricsApp?.close()]);
        store.close();
        // Last: what is pending goes to disk, and a snapshot makes the next start quick.
        await disk?.close();
      })();
      return stopping;
    },
  };
}
