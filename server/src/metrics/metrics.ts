// Prometheus metrics (`--metrics`, docs/metrics.md) with prom-client, the maintained Node client.
//
// What happens per message or per SMTP reply is a plain number bumped in a field or a typed array:
// prom-client's labelled `inc()` hashes its label object into a string on every call, and the SMTP
// path must not allocate for metrics. The counts are handed to prom-client only when Prometheus
// scrapes (each series' `collect`), and gauges such as messages stored are read live at that moment.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MessageStore } from '../store/store';

/** How a relayed message fared: the relay took it, or refused it or could not be reached. */
export type RelayOutcome = 'sent' | 'failed';
/** How a webhook POST fared; `dropped` is a summary skipped because the queue was full. */
export type WebhookOutcome = 'sent' | 'failed' | 'dropped';

/** SMTP reply codes are three digits; anything else is not counted. */
const CODES = 600;

/** Latency buckets of the HTTP histogram, in seconds: a list page takes under a millisecond. */
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The label of HTTP requests no route matched: their raw URLs would make a series each. */

/** Counts kept under a key of labels joined by a space (`PLUS ok`), for a labelled counter's collect. */
function setFromKeys<T extends string>(counter: Counter<T>, names: readonly T[], counts: Map<string, number>): void {
  counter.reset();
  for (const [key, n] of counts) {
    const values = key.split(' ');
    const labels: Partial<Record<T, string>> = {};
    names.forEach((name, i) => (labels[name] = values[i] ?? ''));
    counter.inc(labels, n);
  }
}

/**
 * Pigeonhole's metrics in a registry of its own (so that several instances in one process, one per
 * test worker, keep theirs apart), with Node's process metrics (prom-client's defaults). The methods
 * are what the SMTP, POP3, HTTP, relay and webhook code call as things happen.
 */
export class Metrics {
  /** The registry `/metrics` answers from. */
  readonly registry = new Registry();
  #received = 0;
  #receivedBytes = 0;
  #evicted = 0;
  #deleted = 0;
  #smtpConnections = 0;
  #smtpRefused = 0;
  #smtpTls = 0;
  readonly #replies = new Float64Array(CODES);
  /** AUTH attempts by `method result`, e.g. `PLAIN ok`: a handful of keys, per login not per message. */
  readonly #auth = new Map<string, number>();
  #pop3Sessions = 0;
  readonly #relay = new Map<string, number>();
  readonly #webhook = new Map<string, number>();
  #store: MessageStore | null = null;
  #openSmtp: () => number = () => 0;
  #openPop3: () => number = () => 0;
  #webSockets: () => number = () => 0;
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #latency: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const counter = (name: string, help: string, value: () => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(value());
        },
      });
    };
    const gauge = (name: string, help: string, value: () => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(value());
        },
      });
    };
    counter(
      'pigeonhole_messages_received_total',
      'Messages received (SMTP, send API, provider APIs)',
      () => this.#received,
    );
    counter(
      'pigeonhole_messages_received_bytes_total',
      'Raw bytes of the messages received',
      () => this.#receivedBytes,
    );
    counter(
      'pigeonhole_messages_evicted_total',
      'Messages dropped to stay within --max and --max-bytes',
      () => this.#evicted,
    );
    counter('pigeonhole_messages_deleted_total', 'Messages deleted (API, UI, POP3)', () => this.#deleted);
    counter('pigeonhole_smtp_connections_total', 'SMTP connections accepted', () => this.#smtpConnections);
    counter(
      'pigeonhole_smtp_connections_refused_total',
      'SMTP connections closed before a session began (over --smtp-max-connections)',
      () => this.#smtpRefused,
    );
    counter(
      'pigeonhole_smtp_tls_total',
      'SMTP sessions that completed a TLS handshake (STARTTLS or SMTPS)',
      () => this.#smtpTls,
    );
    counter('pigeonhole_pop3_sessions_total', 'POP3 connections accepted', () => this.#pop3Sessions);
    gauge('pigeonhole_smtp_connections_open', 'SMTP connections open now', () => this.#openSmtp());
    gauge('pigeonhole_pop3_sessions_open', 'POP3 connections open now', () => this.#openPop3());
    gauge('pigeonhole_websocket_clients', 'WebSocket clients of /api/events and /api/v2/websocket', () =>
      this.#webSockets(),
    );
    const replies = this.#replies;
    new Counter({
      name: 'pigeonhole_smtp_replies_total',
      help: 'SMTP replies sent, by reply code',
      labelNames: ['code'],
      registers,
      collect() {
        this.reset();
        for (let code = 200; code < CODES; code++)
          if (replies[code]! > 0) this.inc({ code: String(code) }, replies[code]);
      },
    });
    const labelled = (name: string, help: string, labelNames: string[], counts: Map<string, number>): void => {
      new Counter({
        name,
        help,
        labelNames,
        registers,
        collect() {
          setFromKeys(this, labelNames, counts);
        },
      });
    };
    labelled(
      'pigeonhole_smtp_auth_total',
      'SMTP AUTH attempts, by method and result (ok or refused)',
      ['method', 'result'],
      this.#auth,
    );
    labelled(
      'pigeonhole_relay_total',
      'Messages sent on through --smtp-relay-host, by how (release or auto-relay) and outcome (sent or failed)',
      ['how', 'outcome'],
      this.#relay,
    );
    labelled(
      'pigeonhole_webhook_total',
      'Webhook POSTs, by outcome (sent, failed, dropped)',
      ['outcome'],
      this.#webhook,
    );
    gauge('pigeonhole_store_messages', 'Messages stored now', () => this.#store?.count ?? 0);
    gauge('pigeonhole_store_unread', 'Unread messages stored now', () => this.#store?.unread ?? 0);
    gauge('pigeonhole_store_bytes', 'Raw bytes of the messages stored now', () => this.#store?.bytes ?? 0);
    gauge('pigeonhole_store_memory_bytes', 'Memory the store holds for them (compressed raw, index, caches)', () => {
      const memory = this.#store?.memory;
      return memory ? memory.raw + memory.index + memory.caches : 0;
    });
    this.#requests = new Counter({
      name: 'pigeonhole_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'pigeonhole_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
  }

  /**
   * Counts the store's arrivals, evictions and deletes from its events, and reads its size at each
   * scrape. Returns the unsubscribe function.
   */
  watchStore(store: MessageStore): () => void {
    this.#store = store;
    let count = store.count;
    return store.subscribe((event) => {
      switch (event.type) {
        case 'added':
          this.#received++;
          this.#receivedBytes += event.message.rawLength;
          break;
        case 'deleted':
          if (event.evicted) this.#evicted += event.ids.length;
          else this.#deleted += event.ids.length;
          break;
        case 'cleared':
          this.#deleted += count;
          break;
        default:
          break;
      }
      count = store.count;
    });
  }

  /** Reads the open SMTP connections at each scrape. */
  watchSmtp(open: () => number): void {
    this.#openSmtp = open;
  }

  /** Reads the open POP3 connections at each scrape. */
  watchPop3(open: () => number): void {
    this.#openPop3 = open;
  }

  /** Reads the WebSocket clients at each scrape. */
  watchWebSockets(clients: () => number): void {
    this.#webSockets = clients;
  }

  /** An SMTP connection was accepted. */
  smtpConnection(): void {
    this.#smtpConnections++;
  }

  /** An SMTP connection closed before smtp-server ever had it (refused at the connection limit). */
  smtpRefused(): void {
    this.#smtpRefused++;
  }

  /** An SMTP session finished a TLS handshake. */
  smtpTls(): void {
    this.#smtpTls++;
  }

  /** An SMTP reply went out; `text` starts with its code (`250 Ok`). No allocation. */
  smtpReply(text: string): void {
    const a = text.charCodeAt(0) - 48;
    const b = text.charCodeAt(1) - 48;
    const c = text.charCodeAt(2) - 48;
    if (a >= 2 && a <= 5 && b >= 0 && b <= 9 && c >= 0 && c <= 9) this.#replies[a * 100 + b * 10 + c]!++;
  }

  /** An SMTP AUTH attempt with this method (PLAIN, LOGIN, CRAM-MD5) succeeded or was refused. */
  smtpAuth(method: string, ok: boolean): void {
    const key = `${/^[A-Z0-9-]{1,20}$/.test(method) ? method : 'other'} ${ok ? 'ok' : 'refused'}`;
    this.#auth.set(key, (this.#auth.get(key) ?? 0) + 1);
  }

  /** A POP3 connection was accepted. */
  pop3Session(): void {
    this.#pop3Sessions++;
  }

  /** A release or auto-relay send ended. */
  relay(how: 'release' | 'auto-relay', outcome: RelayOutcome): void {
    const key = `${how} ${outcome}`;
    this.#relay.set(key, (this.#relay.get(key) ?? 0) + 1);
  }

  /** A webhook POST ended, or a summary was dropped. */
  webhook(outcome: WebhookOutcome): void {
    this.#webhook.set(outcome, (this.#webhook.get(outcome) ?? 0) + 1);
  }

  /** An HTTP request was answered: `route` is the route's template (`/api/v1/message/:id`), never the URL. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#requests.inc(labels);
    this.#latency.observe(labels, seconds);
  }

  /** The text exposition format, as Prometheus scrapes it. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The Content-Type of {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
