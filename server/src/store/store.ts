import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { StoredEntry, type EntryContext, type Summarizer } from './entry';
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

/** How long no message must have arrived before deferred summaries are made. */
const SUMMARY_QUIET_MS = 100;
/** Summaries made between two yields to the event loop (about 10 ms of work). */
const SUMMARY_SLICE = 256;
/** Queued messages beyond those stored before the queue drops the evicted ones. */
const SUMMARY_QUEUE_SLACK = 1024;

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
  /** Messages stored with their summary deferred, oldest first (some may be summarized or gone since). */
  #unsummarized: StoredEntry[] = [];
  #unsummarizedHead = 0;
  #adds = 0;
  #summaryTimer: NodeJS.Timeout | null = null;
  #summarizing: Promise<void> | null = null;
  readonly #entries: EntryContext = {
    slabs: this.#raw,
    onSummary: (entry) => this.#countTags(entry.summary.Tags, 1),
  };

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
  async settled(): Promise<void> {
    await this.summaries();
    await this.#raw.settled(true);
  }

  /**
   * Resolves once every message has its summary, making the deferred ones a slice at a time between
   * turns of the event loop. Whatever reads the summaries of many messages (search, mailboxes, tags)
   * awaits this first, so that a search right after a load test does not stall SMTP for seconds.
   */
  summaries(): Promise<void> {
    if (this.#unsummarized.length === 0) return Promise.resolve();
    this.#summarizing ??= (async () => {
      try {
        while (this.#summarizeSlice()) await new Promise<void>((resolve) => setImmediate(resolve));
      } finally {
        this.#summarizing = null;
      }
    })();
    return this.#summarizing;
  }

  /** Messages queued for a deferred summary, some perhaps deleted since (for tests). */
  get queuedSummaries(): number {
    return this.#unsummarized.length - this.#unsummarizedHead;
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

  /** Every tag in use, sorted (of summarized messages: await {@link summaries} first for all). */
  get tags(): string[] {
    return [...this.#tags.keys()].sort((a, b) => a.localeCompare(b));
  }

  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Stores a message, evicting the oldest beyond the limits, and emits `added` (and `deleted`).
   *
   * Given a {@link Summarizer} rather than the fields, the summary is deferred: made on first read
   * (a listener of `added` that reads it gets it at once), or once SMTP has been quiet for a moment.
   * During a load test with nobody watching, that keeps a third of Pigeonhole's CPU per message off
   * the SMTP path (test/bench); the work is the same, done after the burst.
   */
  add(incoming: IncomingMessage, fields: SummaryFields | Summarizer): StoredMessage {
    const id = newId();
    const message = new StoredEntry(id, ++this.#seq, incoming, fields, this.#entries);
    this.#order.push(message);
    this.#byId.set(id, message);
    this.#bytes += message.rawLength;
    this.#unread++;
    if (!message.summarized) this.#deferSummary(message);
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
    this.#unsummarized = [];
    this.#unsummarizedHead = 0;
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
    if (!message.read) this.#unread--;
    if (message.summarized) this.#countTags(message.summary.Tags, -1);
  }

  #deferSummary(message: StoredEntry): void {
    this.#unsummarized.push(message);
    this.#adds++;
    // Under a load that never pauses, with eviction (--max), the queue would keep every message
    // ever received: past the live count plus a margin, the gone and the summarized leave it.
    if (this.#unsummarized.length - this.#unsummarizedHead > this.count + SUMMARY_QUEUE_SLACK) {
      this.#unsummarized = this.#unsummarized
        .slice(this.#unsummarizedHead)
        .filter((entry) => entry.ref !== null && !entry.summarized);
      this.#unsummarizedHead = 0;
    }
    // Each message pushes the quiet moment back.
    if (this.#summaryTimer) {
      this.#summaryTimer.refresh();
      return;
    }
    this.#summaryTimer = setTimeout(() => {
      this.#summaryTimer = null;
      this.#summarizeWhileQuiet(this.#adds);
    }, SUMMARY_QUIET_MS);
    this.#summaryTimer.unref();
  }

  /**
   * Makes deferred summaries a slice at a time while no message arrives. A message arriving stops
   * it; the timer that message set resumes it at the next quiet moment.
   */
  #summarizeWhileQuiet(adds: number): void {
    if (this.#adds !== adds) return;
    if (this.#summarizeSlice()) setImmediate(() => this.#summarizeWhileQuiet(adds));
  }

  /** Makes up to a slice of deferred summaries; whether any remain. */
  #summarizeSlice(): boolean {
    const queue = this.#unsummarized;
    const end = Math.min(queue.length, this.#unsummarizedHead + SUMMARY_SLICE);
    for (let i = this.#unsummarizedHead; i < end; i++) {
      const message = queue[i]!;
      // Deleted ones are skipped: their bytes are gone, and nobody lists them.
      if (!message.summarized && message.ref) void message.summary;
    }
    this.#unsummarizedHead = end;
    if (end < queue.length) return true;
    this.#unsummarized = [];
    this.#unsummarizedHead = 0;
    return false;
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
