import type { ApiEvent } from '@pigeonhole/shared/events';
import type { RawData, WebSocket } from 'ws';
import { toMailHog } from '../mail/mailhog';
import type { MessageStore } from '../store/store';
import type { StoreEvent } from '../store/types';
import { corkForTurn } from './ws-cork';
import { pickEvictee, spend, type Slot } from './ws-fairness';

/**
 * Stats go out at most 4 times a second, as Mailpit rate-limits them: a burst of 500 messages a
 * second would otherwise send 500 stats frames to every tab, each making the UI recount.
 */
const STATS_INTERVAL_MS = 250;
/** A client this far behind (a stalled tab) is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Open sockets per hub; past it, the newcomer takes a slot {@link pickEvictee} frees. */
const MAX_CLIENTS = 500;
/** How long a socket we close gets to answer the close frame before it is cut off. */
const CLOSE_GRACE_MS = 1000;
/** Pings find dead peers (a laptop lid closed) so their sockets are freed. */
const PING_INTERVAL_MS = 30_000;

/** Which feed a socket wants: Mailpit's `{ Type, Data }` events or MailHog's bare messages. */
export type Feed = 'mailpit' | 'mailhog';

/** Bytes of a frame as ws hands it over. */
function sizeOf(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

/** Who holds a socket, for {@link EventHub.add}: the remote address and the Origin it gave. */
export function holderOf(req: { ip: string; headers: { origin?: string | undefined } }): string {
  return `${req.ip} ${req.headers.origin ?? '-'}`;
}

interface Client extends Slot {
  readonly feed: Feed;
}

/** A frame for every client of a feed; `text` is `null` while it is being made. */
interface Frame {
  readonly feed: Feed;
  text: string | null;
}

/** The logger the hub reports evictions and floods to (fastify's or pino's). */
export interface HubLog {
  info(facts: object, message: string): void;
}

/**
 * Turns store events into WebSocket frames for every connected client. The store knows nothing of
 * this: the hub subscribes to it (Mailpit's storage calls its hub directly; we do not).
 */
export class EventHub {
  readonly #clients = new Map<WebSocket, Client>();
  readonly #store: MessageStore;
  readonly #version: string;
  readonly #log: HubLog;
  #order = 0;
  /** Frames that wait for an older one still being made (a summary from the summary thread). */
  #waiting: Frame[] = [];
  readonly #unsubscribe: () => void;
  #statsTimer: ReturnType<typeof setTimeout> | undefined;
  #lastStats = 0;
  readonly #ping: ReturnType<typeof setInterval>;

  constructor(store: MessageStore, version: string, log: HubLog) {
    this.#store = store;
    this.#version = version;
    this.#log = log;
    this.#unsubscribe = store.subscribe((event) => this.#onStore(event));
    this.#ping = setInterval(() => this.#pingAll(), PING_INTERVAL_MS);
    this.#ping.unref();
  }

  /** Clients connected now. */
  get size(): number {
    return this.#clients.size;
  }

  /**
   * Adds a connected socket to a feed. `key` names who holds it (remote address and Origin); when
   * the hub is full, the slot {@link pickEvictee} picks is freed for it.
   */
  add(socket: WebSocket, feed: Feed, key: string): void {
    if (this.#clients.size >= MAX_CLIENTS) {
      const evictee = pickEvictee(this.#clients, Date.now());
      if (evictee) {
        this.#log.info(
          { holder: this.#clients.get(evictee)!.key, newcomer: key },
          'WebSocket slots full: oldest of the busiest holder closed',
        );
        this.#dismiss(evictee, 1013, 'too many clients: the oldest of the busiest holder goes first');
      }
    }
    // An inbox that opens will want every new message's summary: the thread that makes them starts now.
    if (feed === 'mailpit') this.#store.warmSummaries();
    const now = Date.now();
    const client: Client = { feed, key, order: this.#order++, pingedAt: 0, windowStart: now, frames: 0, bytes: 0 };
    this.#clients.set(socket, client);
    socket.on('pong', () => (client.pingedAt = 0));
    socket.on('close', () => this.#clients.delete(socket));
    socket.on('error', () => this.#clients.delete(socket));
    // Clients have nothing to say on these feeds: a few frames are ignored, a flood is cut off.
    const frame = (data: RawData) => {
      if (spend(client, sizeOf(data), Date.now()) || !this.#clients.has(socket)) return;
      this.#log.info(
        { holder: key, frames: client.frames, bytes: client.bytes },
        'WebSocket client flooded frames: closed',
      );
      this.#dismiss(socket, 1008, 'this feed takes no client messages');
    };
    socket.on('message', frame);
    socket.on('ping', frame);
  }

  /** Closes a socket with a code and stops reading it; cut off if it does not answer in time. */
  #dismiss(socket: WebSocket, code: number, reason: string): void {
    this.#clients.delete(socket);
    // Paused, its further frames cost nothing while the close frame goes out.
    socket.pause();
    socket.close(code, reason);
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Closes every socket and stops listening to the store. */
  close(): void {
    this.#unsubscribe();
    clearInterval(this.#ping);
    if (this.#statsTimer) clearTimeout(this.#statsTimer);
    for (const socket of this.#clients.keys()) socket.close(1001, 'server closing');
    this.#clients.clear();
    this.#waiting = [];
  }

  #onStore(event: StoreEvent): void {
    if (this.#clients.size === 0) return;
    switch (event.type) {
      case 'added': {
        const json = this.#store.summaryJson(event.message);
        if (typeof json === 'string') this.#sendText('mailpit', `{"Type":"new","Data":${json}}`);
        else this.#later('mailpit', json.then((text) => `{"Type":"new","Data":${text}}`, this.#summaryFailed(event)));
        if (this.#has('mailhog')) this.#sendText('mailhog', JSON.stringify(toMailHog(event.message)));
        break;
      }
      case 'deleted':
        for (const ID of event.ids) this.#send('mailpit', { Type: 'delete', Data: { ID } });
        break;
      case 'updated':
        for (const m of event.messages) {
          this.#send('mailpit', { Type: 'update', Data: { ID: m.id, Read: m.read, Tags: [...m.tags] } });
        }
        break;
      case 'cleared':
        this.#send('mailpit', { Type: 'truncate', Data: null });
        break;
    }
    this.#scheduleStats();
  }

  #scheduleStats(): void {
    if (this.#statsTimer) return;
    const wait = Math.max(0, this.#lastStats + STATS_INTERVAL_MS - Date.now());
    this.#statsTimer = setTimeout(() => {
      this.#statsTimer = undefined;
      this.#lastStats = Date.now();
      this.#send('mailpit', {
        Type: 'stats',
        Data: { Total: this.#store.count, Unread: this.#store.unread, Version: this.#version },
      });
    }, wait);
    this.#statsTimer.unref();
  }

  #has(feed: Feed): boolean {
    for (const client of this.#clients.values()) if (client.feed === feed) return true;
    return false;
  }

  #send(feed: Feed, event: ApiEvent): void {
    this.#sendText(feed, JSON.stringify(event));
  }

  /** When the summary thread could not make a `new` event's summary: made here, or the event dropped. */
  #summaryFailed(event: Extract<StoreEvent, { type: 'added' }>): (err: unknown) => string {
    return (err) => {
      try {
        return JSON.stringify({ Type: 'new', Data: event.message.summary });
      } catch {
        this.#log.info({ id: event.message.id, err: (err as Error).message }, 'no summary for a new event: not sent');
        return '';
      }
    };
  }

  /** A frame whose text is still being made: it and every frame after it wait for it, in order. */
  #later(feed: Feed, text: Promise<string>): void {
    const frame: Frame = { feed, text: null };
    this.#waiting.push(frame);
    void text.then((made) => {
      frame.text = made;
      this.#flushWaiting();
    });
  }

  /** Sends the waiting frames from the oldest on, up to the first still being made. */
  #flushWaiting(): void {
    const waiting = this.#waiting;
    let sent = 0;
    while (sent < waiting.length && waiting[sent]!.text !== null) {
      const { feed, text } = waiting[sent]!;
      sent++;
      if (text) this.#write(feed, text);
    }
    waiting.splice(0, sent);
  }

  #sendText(feed: Feed, text: string): void {
    if (this.#waiting.length > 0) this.#waiting.push({ feed, text });
    else this.#write(feed, text);
  }

  #write(feed: Feed, text: string): void {
    for (const [socket, client] of this.#clients) {
      if (client.feed !== feed || socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.terminate();
        this.#clients.delete(socket);
        continue;
      }
      corkForTurn(socket);
      socket.send(text);
    }
  }

  #pingAll(): void {
    const now = Date.now();
    for (const [socket, client] of this.#clients) {
      if (client.pingedAt > 0) {
        socket.terminate();
        this.#clients.delete(socket);
        continue;
      }
      client.pingedAt = now;
      socket.ping();
    }
  }
}
