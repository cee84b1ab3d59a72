import { pathOf, type RouteName, type RouteParams } from './routes';
import type { MessagesList, PageQuery } from './schemas/messages';

/** Options for {@link PigeonholeClient}. */
export interface ClientOptions {
  /** Where Pigeonhole's HTTP API listens, e.g. `http://127.0.0.1:8025`. Empty for same origin. */
  baseUrl?: string;
  /** Extra headers on every request, e.g. basic auth. */
  headers?: Record<string, string>;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
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

/**
 * The typed client of Pigeonhole's HTTP API, for browsers and Node alike. The web UI and the tests
 * use it; it is re-exported by the `pigeonhole` package.
 */
export class PigeonholeClient {
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.#headers = options.headers ?? {};
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** A page of message summaries, newest first. */
  messages(page: PageQuery = {}): Promise<MessagesList> {
    return this.json('GET', 'messages', undefined, page);
  }

  /** The exact bytes of a message as received. */
  async raw(id: string): Promise<Uint8Array> {
    const res = await this.request('GET', 'messageRaw', { id });
    return new Uint8Array(await res.arrayBuffer());
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
