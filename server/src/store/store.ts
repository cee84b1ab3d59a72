import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { StoredEntry } from './entry';
import { newId } from './id';
import { RawSlabs } from './raw-slabs';
import type { IncomingMessage, StoreEvent, StoredMessage } from './types';

/** The summary fields the ingest path computes from the message; the store adds ID, Read, Created. */
export type SummaryFields = Omit<MessageSummary, 'ID' | 'Read' | 'Created'>;

/** Bounds of the store. 0 means unlimited. */
export interface StoreLimits {
  maxMessages: number;
  maxBytes: number;
}

type Listener = (event: StoreEvent) => void;

/**
 * The in-memory message store. Keeps messages in arrival order in one array (oldest first) plus an
 * index by ID, so the newest-first page at any offset is a constant-time slice and eviction takes
 * from the front. Raw bytes live compressed in slabs ({@link RawSlabs}) and each message in a compact
 * {@link StoredEntry}. It knows nothing of HTTP or WebSockets: layers above subscribe to its events.
 */
export class MessageStore {
  readonly #limits: StoreLimits;
  readonly #byId = new Map<string, StoredEntry>();
  /** Oldest first; entries before `#head` are evicted and wait for compaction. */
  #order: StoredEntry[] = [];
  readonly #raw = new RawSlabs();
  #head = 0;
  #seq = 0;
  #bytes = 0;
  #unread = 0;
  /** Tag name to the number of messages carrying it. */
  readonly #tags = new Map<string, number>();
  readonly #listeners = new Set<Listener>();

  constructor(limits: StoreLimits) {
    this.#limits = limits;
  }

  /** Bytes of memory the raw messages take (compressed where compressed), for `/api/v1/info`. */
  get heldBytes(): number {
    return this.#raw.heldBytes;
  }

  /**
   * Resolves once the raw bytes of every message so far are in their compact form. Compression
   * otherwise waits for a quiet moment of SMTP (see RawSlabs); tests and the bench call this.
   */
  settled(): Promise<void> {
    return this.#raw.settled(true);
  }

  /** Messages stored. */
  get count(): number {
    return this.#order.length - this.#head;
  }

  /** Unread messages stored. */
  get unread(): number {
    return this.#unread;
  }

  /** Raw bytes stored. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Every tag in use, sorted. */
  get tags(): string[] {
    return [...this.#tags.keys()].sort((a, b) => a.localeCompare(b));
  }

  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stores a message, evicting the oldest beyond the limits, and emits `added` (and `deleted`). */
  add(incoming: IncomingMessage, fields: SummaryFields): StoredMessage {
    const id = newId();
    const message = new StoredEntry(id, ++this.#seq, incoming, fields, this.#raw);
    this.#order.push(message);
    this.#byId.set(id, message);
    this.#bytes += message.rawLength;
    this.#unread++;
    this.#countTags(message.summary.Tags, 1);
    const evicted = this.#evict();
    this.#emit({ type: 'added', message });
    if (evicted.length > 0) this.#emit({ type: 'deleted', ids: evicted });
    return message;
  }

  /** The message with this ID, if stored. */
  get(id: string): StoredMessage | undefined {
    return this.#byId.get(id);
  }

  /** The newest message, if any. */
  latest(): StoredMessage | undefined {
    return this.count > 0 ? this.#order[this.#order.length - 1] : undefined;
  }

  /** A page of messages, newest first. */
  page(start: number, limit: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    const newest = this.#order.length - 1;
    for (let i = newest - start; i >= this.#head && out.length < limit; i--) {
      out.push(this.#order[i]!);
    }
    return out;
  }

  /** Every message, newest first. */
  *newestFirst(): IterableIterator<StoredMessage> {
    for (let i = this.#order.length - 1; i >= this.#head; i--) yield this.#order[i]!;
  }

  /** Deletes these messages; unknown IDs are ignored. Returns the IDs deleted. */
  delete(ids: Iterable<string>): string[] {
    const gone = new Set<string>();
    for (const id of ids) {
      const message = this.#byId.get(id);
      if (message && !gone.has(id)) {
        gone.add(id);
        this.#forget(message);
      }
    }
    if (gone.size === 0) return [];
    this.#order = this.#order.slice(this.#head).filter((m) => !gone.has(m.id));
    this.#head = 0;
    const deleted = [...gone];
    this.#emit({ type: 'deleted', ids: deleted });
    return deleted;
  }

  /** Deletes every message and emits `cleared`. */
  clear(): void {
    this.#byId.clear();
    this.#raw.clear();
    this.#order = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#unread = 0;
    this.#tags.clear();
    this.#emit({ type: 'cleared' });
  }

  /** Marks messages read or unread; emits `updated` with those that changed. */
  setRead(ids: Iterable<string>, read: boolean): StoredMessage[] {
    const changed: StoredMessage[] = [];
    for (const id of ids) {
      const message = this.#byId.get(id);
      if (!message || message.summary.Read === read) continue;
      message.summary.Read = read;
      this.#unread += read ? -1 : 1;
      changed.push(message);
    }
    if (changed.length > 0) this.#emit({ type: 'updated', messages: changed });
    return changed;
  }

  /** Replaces the tags of a message; emits `updated` when they changed. */
  setTags(id: string, tags: string[]): boolean {
    const message = this.#byId.get(id);
    if (!message) return false;
    const next = [...new Set(tags)].sort((a, b) => a.localeCompare(b));
    const prev = message.summary.Tags;
    if (prev.length === next.length && prev.every((t, i) => t === next[i])) return false;
    this.#countTags(prev, -1);
    this.#countTags(next, 1);
    message.summary.Tags = next;
    this.#emit({ type: 'updated', messages: [message] });
    return true;
  }

  #evict(): string[] {
    const { maxMessages, maxBytes } = this.#limits;
    const evicted: string[] = [];
    // Keep at least the newest message even when it alone is larger than maxBytes.
    while (
      this.count > 1 &&
      ((maxMessages > 0 && this.count > maxMessages) || (maxBytes > 0 && this.#bytes > maxBytes))
    ) {
      const oldest = this.#order[this.#head]!;
      this.#head++;
      this.#forget(oldest);
      evicted.push(oldest.id);
    }
    // Compact lazily: slicing on every eviction would make each add O(n).
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
    return evicted;
  }

  #forget(message: StoredEntry): void {
    this.#byId.delete(message.id);
    this.#bytes -= message.rawLength;
    message.release();
    if (!message.summary.Read) this.#unread--;
    this.#countTags(message.summary.Tags, -1);
  }

  #countTags(tags: readonly string[], delta: 1 | -1): void {
    for (const tag of tags) {
      const n = (this.#tags.get(tag) ?? 0) + delta;
      if (n > 0) this.#tags.set(tag, n);
      else this.#tags.delete(tag);
    }
  }

  #emit(event: StoreEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
