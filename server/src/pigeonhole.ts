import { PigeonholeClient } from '@pigeonhole/shared/client';
import type { Logger } from 'pino';
import { buildApp, type App } from './app';
import { DEFAULTS, resolveConfig, type Config, type PigeonholeOptions } from './config';
import { ingest } from './ingest';
import { createLogger } from './logger';
import { startSmtp } from './smtp/server';
import { MessageStore } from './store/store';

/** A running Pigeonhole. */
export interface Pigeonhole {
  /** The SMTP port (the real one when started on port 0). */
  smtpPort: number;
  /** The SMTP host it listens on. */
  smtpHost: string;
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

/**
 * Starts SMTP and HTTP and resolves once both listen. With no options both listen on free ports of
 * 127.0.0.1, so many instances can run in one process (one per test worker).
 */
export async function startPigeonhole(options: StartOptions = {}): Promise<Pigeonhole> {
  const { logger: given, cliDefaults, ...rest } = options;
  const config = resolveConfig(rest, cliDefaults ? DEFAULTS : IN_PROCESS_DEFAULTS);
  const logger = given ?? createLogger(options.logLevel ?? (cliDefaults ? config.logLevel : 'warn'));
  const store = new MessageStore({ maxMessages: config.max, maxBytes: config.maxBytes });
  let ready = false;
  const app = await buildApp({ config, store, ready: () => ready }, logger);
  const smtp = await startSmtp(config, logger, (incoming) => ingest(store, incoming));
  try {
    await app.listen({ host: config.listen.host, port: config.listen.port });
  } catch (err) {
    await smtp.close();
    throw err;
  }
  const address = app.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : config.listen.port;
  const httpUrl = `http://${urlHost(config.listen.host)}:${httpPort}`;
  ready = true;

  let stopping: Promise<void> | undefined;
  return {
    smtpPort: smtp.port,
    smtpHost: config.smtp.host,
    httpUrl,
    client: new PigeonholeClient({ baseUrl: httpUrl }),
    config,
    store,
    app,
    stop() {
      stopping ??= (async () => {
        ready = false;
        await Promise.all([smtp.close(), app.close()]);
      })();
      return stopping;
    },
  };
}
