import type { ApiEvent } from '@pigeonhole/shared/events';
import type { WebSocket } from 'ws';
import { toMailHog } from '../mail/mailhog';
import type { MessageStore } from '../store/store';
import type { StoreEvent } from '../store/types';

/**
 * Stats go out at most 4 times a second, as Mailpit rate-limits them: a burst of 500 messages a
 * second would otherwise send 500 stats frames to every tab, each making the UI recount.
 */
const STATS_INTERVAL_MS = 250;
/** A client this far behind (a stalled tab) is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Open sockets per hub; more are refused with 1013 (try again later). */
const MAX_CLIENTS = 500;
/** Pings find dead peers (a laptop lid closed) so their sockets are freed. */
const PING_INTERVAL_MS = 30_000;

/** Which feed a socket wants: Mailpit's `{ Type, Data }` events or MailHog's bare messages. */
export type Feed = 'mailpit' | 'mailhog';

/**
 * Turns store events into WebSocket frames for every connected client. The store knows nothing of
 * this: the hub subscribes to it (Mailpit's storage calls its hub directly; we do not).
 */
export class EventHub {
  readonly #clients = new Map<WebSocket, Feed>();
  readonly #store: MessageStore;
  readonly #version: string;
  readonly #unsubscribe: () => void;
  #statsTimer: ReturnType<typeof setTimeout> | undefined;
  #lastStats = 0;
  readonly #ping: ReturnType<typeof setInterval>;

  constructor(store: MessageStore, version: string) {
    this.#store = store;
    this.#version = version;
    this.#unsubscribe = store.subscribe((event) => this.#onStore(event));
    this.#ping = setInterval(() => this.#pingAll(), PING_INTERVAL_MS);
    this.#ping.unref();
  }

  /** Clients connected now. */
  get size(): number {
    return this.#clients.size;
  }

  /** Adds a connected socket to a feed; refuses it when the hub is full. */
  add(socket: WebSocket, feed: Feed): void {
    if (this.#clients.size >= MAX_CLIENTS) {
      socket.close(1013, 'too many clients');
      return;
    }
    this.#clients.set(socket, feed);
    (socket as WebSocket & { alive?: boolean }).alive = true;
    socket.on('pong', () => ((socket as WebSocket & { alive?: boolean }).alive = true));
    socket.on('close', () => this.#clients.delete(socket));
    socket.on('error', () => this.#clients.delete(socket));
    // Clients have nothing to say on these feeds; whatever they send is ignored.
    socket.on('message', () => undefined);
  }

  /** Closes every socket and stops listening to the store. */
  close(): void {
    this.#unsubscribe();
    clearInterval(this.#ping);
    if (this.#statsTimer) clearTimeout(this.#statsTimer);
    for (const socket of this.#clients.keys()) socket.close(1001, 'server closing');
    this.#clients.clear();
  }

  #onStore(event: StoreEvent): void {
    if (this.#clients.size === 0) return;
    switch (event.type) {
      case 'added':
        this.#send('mailpit', { Type: 'new', Data: event.message.summary });
        if (this.#has('mailhog')) this.#sendText('mailhog', JSON.stringify(toMailHog(event.message)));
        break;
      case 'deleted':
        for (const ID of event.ids) this.#send('mailpit', { Type: 'delete', Data: { ID } });
        break;
      case 'updated':
        for (const m of event.messages) {
          this.#send('mailpit', { Type: 'update', Data: { ID: m.id, Read: m.summary.Read, Tags: m.summary.Tags } });
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
    for (const f of this.#clients.values()) if (f === feed) return true;
    return false;
  }

  #send(feed: Feed, event: ApiEvent): void {
    this.#sendText(feed, JSON.stringify(event));
  }

  #sendText(feed: Feed, text: string): void {
    for (const [socket, f] of this.#clients) {
      if (f !== feed || socket.readyState !== socket.OPEN) continue;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.terminate();
        this.#clients.delete(socket);
        continue;
      }
      socket.send(text);
    }
  }

  #pingAll(): void {
    for (const socket of this.#clients.keys()) {
      const s = socket as WebSocket & { alive?: boolean };
      if (s.alive === false) {
        socket.terminate();
        this.#clients.delete(socket);
        continue;
      }
      s.alive = false;
      socket.ping();
    }
  }
}
