import { isApiEvent, type ApiEvent } from './events';

/** The part of a WebSocket that {@link subscribeEvents} uses: the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** A WebSocket constructor: `globalThis.WebSocket` in browsers, `ws`'s default export in Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Connection states reported to {@link SubscribeOptions.onStatus}. */
export type EventsStatus = 'connecting' | 'open' | 'closed';

/** Options of {@link subscribeEvents}. */
export interface SubscribeOptions {
  /** The WebSocket constructor; the global one by default (Node 20 has none: pass `ws`). */
  WebSocket?: WebSocketConstructor;
  /** Reconnect after a lost connection, with back-off up to 10 s. Default true. */
  reconnect?: boolean;
  /** Told when the connection opens or drops; after a reconnect, refetch what you show. */
  onStatus?: (status: EventsStatus) => void;
}

/** A live subscription; `close()` ends it for good. */
export interface Subscription {
  close(): void;
  /** Resolves once the first connection is open (rejects if it closes before opening). */
  readonly opened: Promise<void>;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * Turns an HTTP base URL into the WebSocket URL of `path`. An empty base means the page's own origin
 * (browsers only).
 */
export function webSocketUrl(baseUrl: string, path: string): string {
  const origin = baseUrl || (typeof location === 'undefined' ? '' : location.origin);
  if (!origin) throw new Error('a baseUrl is needed outside a browser');
  return `${origin.replace(/^http/, 'ws')}${path}`;
}

function decode(data: unknown): string | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return null;
}

/**
 * Subscribes to `/api/events`: calls `onEvent` with each `{ Type, Data }` event, reconnecting after a
 * drop unless told not to. Frames that are not events are ignored.
 */
export function subscribeEvents(
  url: string,
  onEvent: (event: ApiEvent) => void,
  options: SubscribeOptions = {},
): Subscription {
  const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Ctor) throw new Error('no global WebSocket (Node 20): pass the `ws` package as options.WebSocket');
  const reconnect = options.reconnect ?? true;
  let socket: WebSocketLike | null = null;
  let closed = false;
  let backoff = 250;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resolveOpened!: () => void;
  let rejectOpened!: (err: Error) => void;
  let everOpened = false;
  const opened = new Promise<void>((resolve, reject) => {
    resolveOpened = resolve;
    rejectOpened = reject;
  });
  // A caller that never awaits `opened` must not see an unhandled rejection.
  opened.catch(() => undefined);

  const connect = (): void => {
    options.onStatus?.('connecting');
    const ws = new Ctor(url);
    socket = ws;
    ws.addEventListener('open', () => {
      backoff = 250;
      everOpened = true;
      resolveOpened();
      options.onStatus?.('open');
    });
    ws.addEventListener('message', (event) => {
      const text = decode(event.data);
      if (text === null) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return;
      }
      if (isApiEvent(parsed)) onEvent(parsed);
    });
    // Browsers fire `error` then `close`; reconnecting on `close` alone covers both.
    ws.addEventListener('error', () => undefined);
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      options.onStatus?.('closed');
      if (!everOpened && (!reconnect || closed)) rejectOpened(new Error(`WebSocket ${url} closed before opening`));
      if (closed || !reconnect) return;
      timer = setTimeout(connect, backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    });
  };
  connect();

  return {
    opened,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const ws = socket;
      socket = null;
      ws?.close(1000, 'bye');
      if (!everOpened) rejectOpened(new Error('subscription closed'));
    },
  };
}
