import {
  subscribeEvents,
  webSocketUrl,
  type SubscribeOptions,
  type Subscription,
  type WebSocketConstructor,
} from './client-events';
import { waitQuery, WaitTimeoutError, type WaitFilter } from './client-wait';
import type { ApiEvent } from './events';
import { pathOf, type RouteName, type RouteParams } from './routes';
import type { AuthCheck, DnsRecords } from './schemas/auth';
import type { ChaosTriggers, ChaosTriggersBody } from './schemas/chaos';
import type { HtmlCheck, LinkCheck, SpamCheck } from './schemas/checks';
import type { Info, WebUiConfig } from './schemas/info';
import type { Headers, Mailboxes, Message, Session } from './schemas/message';
import type { MessageSummary, MessagesList, PageQuery } from './schemas/messages';
import type { ReleaseBody } from './schemas/relay';
import type { SendBody, SendResponse } from './schemas/send';
import { WAIT_DEFAULT_MS, WAIT_MAX_MS } from './schemas/wait';

export { WaitTimeoutError, waitQuery, type WaitFilter } from './client-wait';
export type {
  EventsStatus,
  SubscribeOptions,
  Subscription,
  WebSocketConstructor,
  WebSocketLike,
} from './client-events';

/** Options for {@link PigeonholeClient}. */
export interface ClientOptions {
  /** Where Pigeonhole's HTTP API listens, e.g. `http://127.0.0.1:8025`. Empty for same origin. */
  baseUrl?: string;
  /** Extra headers on every request, e.g. basic auth. */
  headers?: Record<string, string>;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
  /** A WebSocket constructor for {@link PigeonholeClient.subscribe}; Node 20 has none, pass `ws`. */
  WebSocket?: WebSocketConstructor;
}

/** An HTTP answer outside 2xx, with the server's message. */
export class PigeonholeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly url: string,
  ) {
    super(`${status} from ${url}: ${body}`);
    this.name = 'PigeonholeHttpError';
  }
}

type Query = Record<string, string | number | boolean | undefined>;

/** Paging and time zone of a search. */
export interface SearchOptions extends PageQuery {
  /** IANA time zone for `before:` and `after:`. */
  tz?: string;
}

/** Options of {@link PigeonholeClient.wait}. */
export interface WaitOptions {
  query?: string;
  /** Messages that must match; default 1. */
  count?: number;
  /** Milliseconds; default 10,000, at most 5 minutes. */
  timeout?: number;
  tz?: string;
}

/** The bytes of a MIME part with what the server said about them. */
export interface PartContent {
  bytes: Uint8Array;
  contentType: string;
  /** The Content-Disposition header (`attachment; filename="..."`). */
  disposition: string;
}

/**
 * The typed client of Pigeonhole's HTTP API, for browsers and Node alike. The web UI and the tests
 * use it; it is re-exported by the `pigeonhole` package. Every route of `Routes` has a method.
 */
export class PigeonholeClient {
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;
  readonly #WebSocket: WebSocketConstructor | undefined;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.#headers = options.headers ?? {};
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#WebSocket = options.WebSocket;
  }

  /** A page of message summaries, newest first. */
  messages(page: PageQuery = {}): Promise<MessagesList> {
    return this.json('GET', 'messages', undefined, { ...page });
  }

  /** Messages matching a query in Mailpit's search syntax, newest first. */
  search(query: string, options: SearchOptions = {}): Promise<MessagesList> {
    return this.json('GET', 'search', undefined, { query, ...options });
  }

  /** The full message (text, HTML, attachments). Marks it read, as Mailpit does. `latest` works. */
  get(id: string, options: { query?: string } = {}): Promise<Message> {
    return this.json('GET', 'message', { id }, { query: options.query });
  }

  /** Every header of a message by name, values in order. */
  headers(id: string): Promise<Headers> {
    return this.json('GET', 'messageHeaders', { id });
  }

  /** The exact bytes of a message as received. */
  async raw(id: string): Promise<Uint8Array> {
    const res = await this.request('GET', 'messageRaw', { id });
    return new Uint8Array(await res.arrayBuffer());
  }

  /** The decoded bytes of an attachment or inline part. */
  async attachment(id: string, partId: string): Promise<Uint8Array> {
    return (await this.part(id, partId)).bytes;
  }

  /** The decoded bytes of a MIME part with its content type and disposition. */
  async part(id: string, partId: string): Promise<PartContent> {
    const res = await this.request('GET', 'messagePart', { id, partId });
    return {
      bytes: new Uint8Array(await res.arrayBuffer()),
      contentType: res.headers.get('content-type') ?? '',
      disposition: res.headers.get('content-disposition') ?? '',
    };
  }

  /** A 180x120 JPEG thumbnail of an image part. */
  async thumbnail(id: string, partId: string): Promise<Uint8Array> {
    const res = await this.request('GET', 'messagePartThumb', { id, partId });
    return new Uint8Array(await res.arrayBuffer());
  }

  /** The HTML part as a page, `cid:` references pointing at part URLs (404 when there is none). */
  async html(id: string): Promise<string> {
    return (await this.request('GET', 'viewHtml', { id })).text();
  }

  /** The plain-text part. */
  async text(id: string): Promise<string> {
    return (await this.request('GET', 'viewText', { id })).text();
  }

  /** Ours: the SMTP session that delivered a message, transcript included. */
  session(id: string): Promise<Session> {
    return this.json('GET', 'messageSession', { id });
  }

  /**
   * Marks messages read (or unread): those `ids`, or every match of `search`, or with neither all.
   */
  async setRead(read: boolean, target: { ids?: string[]; search?: string } = {}): Promise<void> {
    const body: Record<string, unknown> = { Read: read };
    if (target.ids) body.IDs = target.ids;
    if (target.search) body.Search = target.search;
    await this.request('PUT', 'messages', undefined, undefined, body);
  }

  /** Deletes these messages. */
  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.request('DELETE', 'messages', undefined, undefined, { IDs: ids });
  }

  /** Deletes every message matching a query. */
  async deleteSearch(query: string, options: { tz?: string } = {}): Promise<void> {
    await this.request('DELETE', 'search', undefined, { query, tz: options.tz });
  }

  /** Deletes every message. */
  async clear(): Promise<void> {
    await this.request('DELETE', 'messages');
  }

  /** Every tag in use, sorted. */
  tags(): Promise<string[]> {
    return this.json('GET', 'tags');
  }

  /** Replaces the tags of these messages (an empty list removes them). */
  async setTags(ids: string[], tags: string[]): Promise<void> {
    await this.request('PUT', 'tags', undefined, undefined, { IDs: ids, Tags: tags });
  }

  /** Renames a tag on every message carrying it. */
  async renameTag(tag: string, name: string): Promise<void> {
    await this.request('PUT', 'tag', { tag }, undefined, { Name: name });
  }

  /** Removes a tag from every message. */
  async deleteTag(tag: string): Promise<void> {
    await this.request('DELETE', 'tag', { tag });
  }

  /** Version, totals, tags and runtime figures. */
  info(): Promise<Info> {
    return this.json('GET', 'info');
  }

  /** What the web UI should offer (Mailpit's `/api/v1/webui`). */
  webui(): Promise<WebUiConfig> {
    return this.json('GET', 'webui');
  }

  /** Stores a message as if received over SMTP (Mailpit's `/api/v1/send`). */
  send(body: SendBody): Promise<SendResponse> {
    return this.json('POST', 'send', undefined, undefined, body);
  }

  /**
   * Sends a stored message on to `body.To` through the relay Pigeonhole was started with (Mailpit's
   * `POST /api/v1/message/{ID}/release`). Throws {@link PigeonholeHttpError} when no relay is set.
   */
  async releaseMessage(id: string, body: ReleaseBody): Promise<void> {
    await this.request('POST', 'messageRelease', { id }, undefined, body);
  }

  /** The chaos triggers in force (Mailpit's `GET /api/v1/chaos`); a 400 while chaos is not enabled. */
  getChaos(): Promise<ChaosTriggers> {
    return this.json('GET', 'chaos');
  }

  /** Sets the chaos triggers and answers those now in force; an omitted trigger is reset, as in Mailpit. */
  setChaos(body: ChaosTriggersBody): Promise<ChaosTriggers> {
    return this.json('PUT', 'chaos', undefined, undefined, body);
  }

  /**
   * Ours: DKIM (each signature), SPF, DMARC, ARC and BIMI of a message, with the reasons of what did
   * not pass and the Authentication-Results text. `latest` works.
   */
  authCheck(id: string): Promise<AuthCheck> {
    return this.json('GET', 'messageAuthCheck', { id });
  }

  /**
   * Mailpit's HTML check: which mail clients support what the message's HTML uses (caniemail's
   * data), with a score. `latest` works; a message without HTML is a 404.
   */
  htmlCheck(id: string): Promise<HtmlCheck> {
    return this.json('GET', 'messageHtmlCheck', { id });
  }

  /** Mailpit's link check: the HTTP status of every link and image; `follow` follows redirects. */
  linkCheck(id: string, options: { follow?: boolean } = {}): Promise<LinkCheck> {
    return this.json('GET', 'messageLinkCheck', { id }, options.follow ? { follow: 'true' } : undefined);
  }

  /** Mailpit's spam check, by SpamAssassin or rspamd (`Filter` says which); 400 when neither is set up. */
  spamCheck(id: string): Promise<SpamCheck> {
    return this.json('GET', 'messageSpamCheck', { id });
  }

  /** Ours: publishes DNS TXT records for the checks (adds or replaces these names) and answers them all. */
  setDns(records: DnsRecords): Promise<DnsRecords> {
    return this.json('PUT', 'dns', undefined, undefined, records);
  }

  /** Ours: the DNS records set through {@link setDns}. */
  getDns(): Promise<DnsRecords> {
    return this.json('GET', 'dns');
  }

  /** Ours: removes every DNS record set through {@link setDns}. */
  async clearDns(): Promise<void> {
    await this.request('DELETE', 'dns');
  }

  /** Ours: every recipient address seen, with message and unread counts. */
  mailboxes(): Promise<Mailboxes> {
    return this.json('GET', 'mailboxes');
  }

  /**
   * Ours: long-polls until `count` messages match `query` and resolves with the search result.
   * Throws {@link PigeonholeHttpError} with status 408 at the timeout.
   */
  wait(options: WaitOptions = {}): Promise<MessagesList> {
    const timeout = Math.min(WAIT_MAX_MS, Math.max(0, options.timeout ?? WAIT_DEFAULT_MS));
    return this.json('GET', 'wait', undefined, {
      query: options.query || undefined,
      count: options.count,
      timeout: `${Math.round(timeout)}ms`,
      tz: options.tz,
    });
  }

  /**
   * Resolves with the full message as soon as one matches (server-side long-poll, no polling). At
   * the timeout throws {@link WaitTimeoutError} naming the query and listing what did arrive.
   */
  async waitForMessage(filter: WaitFilter = {}): Promise<Message> {
    const [first] = await this.waitForMessages({ ...filter, count: 1 });
    return this.get(first!.ID);
  }

  /** Resolves with the summaries (newest first) once `count` messages match. */
  async waitForMessages(filter: WaitFilter & { count: number }): Promise<MessageSummary[]> {
    const query = waitQuery(filter);
    const timeout = filter.timeout ?? WAIT_DEFAULT_MS;
    try {
      const list = await this.wait({ query, count: filter.count, timeout });
      return list.messages.slice(0, filter.count);
    } catch (err) {
      if (!(err instanceof PigeonholeHttpError) || err.status !== 408) throw err;
      const arrived = await this.messages({ limit: 10 }).then(
        (l) => l.messages,
        () => [],
      );
      // How many did match, so "only 1 of 3 arrived" can be told from "none arrived".
      const matched =
        filter.count > 1 && query
          ? await this.search(query, { limit: 1 }).then(
              (l) => l.messages_count,
              () => 0,
            )
          : Math.min(filter.count - 1, arrived.length);
      throw new WaitTimeoutError(query, timeout, arrived, filter.count, matched);
    }
  }

  /**
   * Subscribes to the live events of `/api/events` (`new`, `stats`, `update`, `delete`,
   * `truncate`). In Node 20 pass `WebSocket` (the `ws` package) here or to the constructor.
   */
  subscribe(onEvent: (event: ApiEvent) => void, options: SubscribeOptions = {}): Subscription {
    const WebSocket = options.WebSocket ?? this.#WebSocket;
    return subscribeEvents(webSocketUrl(this.baseUrl, pathOf('events')), onEvent, {
      ...options,
      ...(WebSocket ? { WebSocket } : {}),
    });
  }

  /** Builds the absolute URL of a route. */
  url<N extends RouteName>(name: N, params?: RouteParams<N>, query?: Query): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) search.set(key, String(value));
    }
    const qs = search.toString();
    return `${this.baseUrl}${pathOf(name, params)}${qs ? `?${qs}` : ''}`;
  }

  /** Sends a request and throws {@link PigeonholeHttpError} outside 2xx. */
  async request<N extends RouteName>(
    method: string,
    name: N,
    params?: RouteParams<N>,
    query?: Query,
    body?: unknown,
  ): Promise<Response> {
    const url = this.url(name, params, query);
    const headers: Record<string, string> = { ...this.#headers };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await this.#fetch(url, init);
    if (!res.ok) throw new PigeonholeHttpError(res.status, await res.text(), url);
    return res;
  }

  /** Sends a request and decodes the JSON answer. */
  async json<T, N extends RouteName = RouteName>(
    method: string,
    name: N,
    params?: RouteParams<N>,
    query?: Query,
    body?: unknown,
  ): Promise<T> {
    const res = await this.request(method, name, params, query, body);
    return (await res.json()) as T;
  }
}
