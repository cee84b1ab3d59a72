import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import packageJson from '../../package.json' with { type: 'json' };
import type { Logger } from 'pino';
import type { WebhookConfig } from '../config';
import type { Metrics } from '../metrics/metrics';
import type { MessageStore } from '../store/store';
import { TokenBucket } from './token-bucket';

/** Summaries waiting for their POST; beyond this the oldest waiting one is dropped. */
const MAX_QUEUE = 1000;
/** A webhook receiver that hangs must not hold the queue for long. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A running webhook sender. */
export interface Webhook {
  /** Unsubscribes and aborts the request in flight. */
  stop(): void;
}

/**
 * `--webhook-url`: POSTs the MessageSummary JSON (the very object `GET /api/v1/messages` lists) of each
 * new message to one configured http(s) URL, as Mailpit's webhook does. It subscribes to store events,
 * so ingest never waits for it. Rate limited by a token bucket (`--webhook-limit` a second, saving up
 * `--webhook-burst`); summaries wait in a bounded queue, oldest dropped when it is full. Redirects are
 * not followed: it posts only to the configured URL. A failure is logged once, then not again until a
 * POST succeeds; nothing is retried.
 */
export function startWebhook(
  store: MessageStore,
  config: WebhookConfig,
  logger: Logger,
  metrics: Metrics | null = null,
): Webhook {
  const log = logger.child({ component: 'webhook' });
  const { url, authorization } = splitCredentials(config.url);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `Pigeonhole/${packageJson.version}`,
    ...(authorization ? { authorization } : {}),
  };
  const bucket = new TokenBucket(config.limit, config.burst);
  log.info({ url: url.href, limit: config.limit, burst: config.burst }, 'webhook on: POSTing each new message');
  const queue: MessageSummary[] = [];
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let sending = false;
  let failures = 0;
  let dropped = 0;

  const fail = (id: string, reason: string): void => {
    metrics?.webhook('failed');
    if (failures++ === 0)
      log.warn(
        { url: url.href, id, reason },
        'webhook POST failed (further failures are not logged until one succeeds)',
      );
  };

  const post = async (summary: MessageSummary): Promise<void> => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(summary),
        redirect: 'manual',
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) return fail(summary.ID, `HTTP ${response.status}`);
      metrics?.webhook('sent');
      if (failures > 0) log.info({ url: url.href, failures }, 'webhook POSTs succeed again');
      failures = 0;
    } catch (err) {
      if (!abort.signal.aborted)
        fail(summary.ID, (err as Error).cause ? String((err as Error).cause) : (err as Error).message);
    }
  };

  const pump = async (): Promise<void> => {
    if (sending || abort.signal.aborted) return;
    sending = true;
    while (queue.length > 0 && !abort.signal.aborted) {
      if (!bucket.take()) {
        timer = setTimeout(() => {
          timer = undefined;
          void pump();
        }, bucket.wait());
        break;
      }
      await post(queue.shift()!);
    }
    sending = false;
  };

  const unsubscribe = store.subscribe((event) => {
    if (event.type !== 'added') return;
    if (queue.length >= MAX_QUEUE) {
      queue.shift();
      metrics?.webhook('dropped');
      if (dropped++ === 0) log.warn({ max: MAX_QUEUE }, 'webhook queue full: the oldest waiting messages are skipped');
    } else if (dropped > 0 && queue.length === 0) {
      dropped = 0;
    }
    // A copy: Read and Tags change later, the POST tells what arrived.
    queue.push(structuredClone(event.message.summary));
    if (!sending && timer === undefined) setImmediate(() => void pump());
  });

  return {
    stop() {
      unsubscribe();
      abort.abort();
      clearTimeout(timer);
      queue.length = 0;
    },
  };
}

/**
 * `https://user:pass@host/path` as the URL without credentials (fetch refuses URLs that carry them, and
 * logs must not show them) plus the Basic `Authorization` header they stand for.
 */
function splitCredentials(given: URL): { url: URL; authorization: string | null } {
  if (!given.username && !given.password) return { url: given, authorization: null };
  const url = new URL(given.href);
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url, authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}
