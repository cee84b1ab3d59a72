import { bodyText, mayCarryTags, summarize } from '../mail/summary';
import { BodyIndex, type BodyLookup, type Pacer } from './body-index';
import { nextTurn } from './turns';
import { StoredEntry, type EntryContext, type Summarizer } from './entry';
import { newId } from './id';
import { MessageCache, type CacheKind } from './message-cache';
import type { DurableHolder, RestoredMessage, SnapshotMessage } from './durable-holder';
import type { RawHolder } from './raw-holder';
import type { SummaryOffload } from './summary-data';
import { RawSlabs, type RawRef } from './raw-slabs';
import type { IncomingMessage, StoreEvent, StoredMessage, SummaryFields } from './types';

export type { SummaryFields } from './types';

/** What the store holds in memory, in bytes, by kind (for `/api/v1/info`, stats and the bench). */
export interface StoreMemory {
  /** Raw messages, compressed where compressed. */
  raw: number;
  /** The body-word index. */
  index: number;
  /** Cached parses and decoded bodies. */
  caches: number;
}

/** Decoded bytes of a body that are indexed and searched; the rest of a huge body is not. */
export const BODY_SOURCE = 64 * 1024;

/** Bounds of the store. 0 means unlimited. */
export interface StoreLimits {
  maxMessages: number;
  /** Bytes of messages kept: their raw bytes as received, and what the store keeps for each (see {@link ENTRY_BYTES}). */
  maxBytes: number;
  /** Messages older than this many milliseconds go (`--max-age`); 0 or absent = no age limit. */
  maxAgeMs?: number;
}

/**
 * What the store keeps for each message beside its raw bytes and its words in the body index: the
 * entry with its summary, search record and envelope. Measured on the heap with 50,000 messages of
 * 4 KiB (a subject, one sender and one recipient, a 250-character snippet): about 1,000 bytes.
 * Counted against `maxBytes` with the index's bytes, so that the bound holds for what mail costs.
 */
export const ENTRY_BYTES = 1024;
/** How long after a restore the body index starts to be rebuilt. */
const RESTORE_INDEX_DELAY_MS = 2000;
/** How often messages past `--max-age` are looked for, at most (and a tenth of the age at least). */
const AGE_CHECK_MS = 60_000;

type Listener = (event: StoreEvent) => void;

/** How long no message must have arrived before deferred summaries are made. */
const SUMMARY_QUIET_MS = 100;
/** Summaries made between two yields to the event loop (about 10 ms of work). */
const SUMMARY_SLICE = 256;
/** Queued messages beyond those stored before the queue drops the evicted ones. */
const SUMMARY_QUEUE_SLACK = 1024;
/** Messages indexed between two yields to the event loop (a few ms of work). */
const INDEX_SLICE = 32;
/** Deleted messages tolerated in the body index beyond the live ones before it is compacted. */
const INDEX_STALE_SLACK = 1000;

/**
 * The in-memory message store. Keeps messages in arrival order in one array (oldest first) plus an
 * index by ID, so the newest-first page at any offset is a constant-time slice and eviction takes
 * from the front. Raw bytes live compressed in slabs ({@link RawSlabs}) and each message in a compact
 * {@link StoredEntry}. It knows nothing of HTTP or WebSockets: layers above subscribe to its events.
 */
export class MessageStore {
  readonly #limits: StoreLimits;
  readonly #offload: SummaryOffload | null;
  readonly #byId = new Map<string, StoredEntry>();
  /** Oldest first; entries before `#head` are evicted and wait for compaction. */
  #order: StoredEntry[] = [];
  readonly #raw: RawHolder<unknown>;
  /** The same holder when it keeps messages on disk (`--storage`); null in memory. */
  readonly #disk: DurableHolder<unknown> | null;
  #ageTimer: NodeJS.Timeout | null = null;
  readonly #index = new BodyIndex();
  /** Messages deleted since they were indexed. */
  #indexStale = 0;
  #indexing: Promise<void> | null = null;
  /** Lets compression go on again, while the quiet-time pass holds it back. */
  #resumeRaw: (() => void) | null = null;
  readonly #caches = new Map<CacheKind<never>, MessageCache<unknown>>();
  #head = 0;
  #seq = 0;
  #bytes = 0;
  /** Raw bytes, entries and indexed words of the stored messages: what `maxBytes` bounds. */
  #kept = 0;
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
  readonly #entries: EntryContext;

  /**
   * `offload`, when given, makes the summaries a `new` event needs at once on another thread (see
   * {@link summaryJson}). `disk`, when given, holds the raw bytes instead of memory and makes each
   * message durable (`--storage`; see {@link durable}).
   */
  constructor(limits: StoreLimits, offload: SummaryOffload | null = null, disk: DurableHolder<unknown> | null = null) {
    this.#limits = limits;
    this.#offload = offload;
    this.#disk = disk;
    this.#raw = disk ?? (new RawSlabs() as RawHolder<RawRef> as RawHolder<unknown>);
    this.#entries = {
      slabs: this.#raw,
      onSummary: (entry) => this.#countTags(entry.tags, 1),
      summarize,
      ...(disk ? { storedFields: (ref: unknown) => disk.storedFields(ref) } : {}),
    };
    disk?.attach(
      () => this.#snapshot(),
      () => this.#refs(),
      () => this.#leaveOnDisk(),
    );
    const maxAge = limits.maxAgeMs ?? 0;
    if (maxAge > 0) {
      this.#ageTimer = setInterval(() => this.#evictAged(), Math.max(1000, Math.min(AGE_CHECK_MS, maxAge / 10)));
      this.#ageTimer.unref();
    }
  }

  /** Whether messages are kept on disk (`--storage`), so that {@link durable} has something to wait for. */
  get persistent(): boolean {
    return this.#disk !== null;
  }

  /**
   * Resolves once a message just added is durable (its bytes in the folder's journal, fsynced, many
   * messages sharing one fsync); null in memory, so that the in-memory path makes no promise.
   * `session` is the one given to {@link add} (the transcript still packed), when the caller has it.
   */
  durable(message: StoredMessage, session?: IncomingMessage['session']): Promise<void> | null {
    if (!this.#disk) return null;
    const entry = this.#byId.get(message.id);
    if (!entry?.ref) return null;
    return this.#disk.journal(entry.ref, {
      id: entry.id,
      created: entry.created,
      envelope: entry.envelope,
      session: session ?? entry.packedSession(),
    });
  }

  /**
   * Puts back the messages a holder on disk found at start, oldest first, with their IDs, read state
   * and tags; limits apply (the oldest beyond them go, files too). Emits nothing: nobody listens yet.
   */
  restore(messages: Iterable<RestoredMessage<unknown>>): void {
    for (const found of messages) {
      const incoming: IncomingMessage = {
        raw: Buffer.alloc(0),
        envelope: found.envelope,
        session: found.session,
        created: new Date(found.created),
      };
      const entry = new StoredEntry(found.id, ++this.#seq, incoming, found.fields ?? summarize, this.#entries, found.ref);
      this.#order.push(entry);
      this.#byId.set(entry.id, entry);
      this.#bytes += entry.rawLength;
      this.#kept += entry.rawLength + ENTRY_BYTES;
      entry.setRead(found.read);
      if (found.tags) {
        // Tagged: the tags from the headers are replaced, so the summary is made now (from the bytes if need be).
        this.#countTags(entry.tags, -1);
        entry.setTags([...new Set(found.tags)].sort((a, b) => a.localeCompare(b)));
        this.#countTags(entry.tags, 1);
      } else if (!entry.summarized) this.#deferSummary(entry);
      if (!found.read) this.#unread++;
    }
    this.#evict();
    this.#evictAged(false);
    // The body index is rebuilt from the files once start-up is over and SMTP has been quiet:
    // begun at once, its slices (a file read and a word split per message) slowed the start itself.
    setTimeout(() => this.#indexLater(), RESTORE_INDEX_DELAY_MS).unref();
  }

  /** What a holder on disk writes into a snapshot: every stored message, oldest first. */
  *#snapshot(): IterableIterator<SnapshotMessage<unknown>> {
    for (let i = this.#head; i < this.#order.length; i++) {
      const entry = this.#order[i]!;
      if (!entry.ref) continue;
      yield {
        ref: entry.ref,
        id: entry.id,
        created: entry.created,
        envelope: entry.envelope,
        session: entry.packedSession(),
        read: entry.read,
        tags: entry.summarized ? entry.tags : null,
        // Null for a summary left on disk too: the holder copies its fields from there.
        fields: entry.keptFields(),
      };
    }
  }

  /** Every stored message's ref, oldest first. */
  *#refs(): IterableIterator<unknown> {
    for (let i = this.#head; i < this.#order.length; i++) {
      const ref = this.#order[i]!.ref;
      if (ref) yield ref;
    }
  }

  /** Lets go of the summaries a holder on disk now keeps the fields of (after each snapshot). */
  #leaveOnDisk(): void {
    const disk = this.#disk;
    if (!disk) return;
    for (let i = this.#head; i < this.#order.length; i++) {
      const entry = this.#order[i]!;
      if (entry.ref && disk.fieldsOnDisk(entry.ref)) entry.leaveOnDisk();
    }
  }

  /**
   * The JSON text of a message's summary, for an event that carries it. A summary not made yet is
   * made on the offload's thread when the store has one: an open inbox wants every summary at once,
   * and making them on the event loop's thread during a burst of mail cost a third of the SMTP
   * rate (test/bench). The JSON is kept and parsed when the summary is first read. Rejects when the
   * summarizer throws on the message's bytes.
   */
  summaryJson(message: StoredMessage): string | Promise<string> {
    const entry = this.#byId.get(message.id);
    const offloaded = this.#offload && entry ? entry.offloadSummary(this.#offload) : null;
    return offloaded ?? JSON.stringify(message.summary);
  }

  /**
   * Readies what makes the summaries of {@link summaryJson} (the offload's thread) ahead of the
   * first: an inbox that just opened will want them. Starting a thread takes tens of milliseconds
   * of a core, better spent before mail comes than while it does.
   */
  warmSummaries(): void {
    this.#offload?.warm();
  }

  /** Stops the store's helpers (the summary thread). The messages stay. */
  close(): void {
    this.#offload?.close();
    if (this.#ageTimer) clearInterval(this.#ageTimer);
    this.#ageTimer = null;
  }

  /** Bytes of memory the raw messages take (compressed where compressed), for `/api/v1/info`. */
  get heldBytes(): number {
    return this.#raw.heldBytes;
  }

  /** What the store holds, by kind: everything kept per message is counted here. */
  get memory(): StoreMemory {
    let caches = 0;
    for (const cache of this.#caches.values()) caches += cache.bytes;
    return { raw: this.#raw.heldBytes, index: this.#index.bytes, caches };
  }

  /**
   * Resolves once the work deferred past a burst is done: every summary made, every body indexed,
   * the raw bytes in their compact form. It happens anyway at the next quiet moment of SMTP (see
   * {@link add} and RawSlabs); tests and the bench call this to wait for it.
   */
  async settled(): Promise<void> {
    await this.indexed();
    await this.#raw.settled(true);
  }

  /**
   * With a holder on disk, does now what it does on its own once mail has stopped for a moment:
   * every file written and fsynced, a snapshot of the sidecar, the journals it makes unnecessary
   * removed (a backup taken right after finds the folder complete). Resolves at once in memory.
   */
  async checkpoint(): Promise<void> {
    await this.settled();
    await this.#disk?.checkpoint();
  }

  /**
   * The cache of one kind of value worked out from messages (a parse, a decoded body), made on first
   * use. The store drops a message's values when the message goes and counts their bytes.
   */
  cache<T>(kind: CacheKind<T>): MessageCache<T> {
    let cache = this.#caches.get(kind as CacheKind<never>) as MessageCache<T> | undefined;
    if (!cache) {
      cache = new MessageCache<T>(kind.limits, kind.size);
      this.#caches.set(kind as CacheKind<never>, cache as MessageCache<unknown>);
    }
    return cache;
  }

  /**
   * Resolves once every message has its summary, making the deferred ones a slice at a time between
   * turns of the event loop. Whatever reads the summaries of many messages (search, mailboxes) awaits
   * this first, so that a search right after a load test does not stall SMTP for seconds. Counts and
   * tags never need it: they are right at every moment (see {@link add}).
   */
  summaries(): Promise<void> {
    if (this.#unsummarized.length === 0) return Promise.resolve();
    this.#summarizing ??= (async () => {
      try {
        while (this.#summarizeSlice()) await nextTurn();
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

  /**
   * Bytes that `maxBytes` bounds: the raw bytes, plus {@link ENTRY_BYTES} a message, plus what the
   * body index took for the messages indexed so far.
   */
  get keptBytes(): number {
    return this.#kept;
  }

  /** Every tag in use, sorted. */
  get tags(): string[] {
    return [...this.#tags.keys()].sort((a, b) => a.localeCompare(b));
  }

  /** Each tag in use with the number of messages carrying it. */
  get tagCounts(): ReadonlyMap<string, number> {
    return this.#tags;
  }

  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Stores a message, evicting the oldest beyond the limits, and emits `added` (and `deleted`).
   *
   * Given a {@link Summarizer} rather than the fields, the summary is deferred: made on
   * first read (a listener of `added` that reads it gets it at once), or once SMTP has been quiet for
   * a moment, and the body indexed for search after it. During a load test with nobody watching,
   * that keeps a third of Pigeonhole's CPU per message off the SMTP path (test/bench); the work is
   * the same, done after the burst. A message whose headers may carry tags (`X-Tags`, `user+tag@`)
   * is summarized at once, a byte scan decides: so the tag counts are right at every moment, and a
   * load test's untagged mail pays nothing.
   */
  add(incoming: IncomingMessage, fields: SummaryFields | Summarizer): StoredMessage {
    const id = newId();
    const message = new StoredEntry(id, ++this.#seq, incoming, fields, this.#entries);
    this.#order.push(message);
    this.#byId.set(id, message);
    this.#bytes += message.rawLength;
    this.#kept += message.rawLength + ENTRY_BYTES;
    this.#unread++;
    if (!message.summarized) {
      if (mayCarryTags(incoming.raw, incoming.envelope)) void message.summary;
      else this.#deferSummary(message);
    }
    this.#indexLater();
    const evicted = this.#evict();
    const maxAge = this.#limits.maxAgeMs ?? 0;
    if (maxAge > 0 && this.#order[this.#head]!.created < Date.now() - maxAge) this.#evictAged();
    this.#emit({ type: 'added', message });
    if (evicted.length > 0) this.#emit({ type: 'deleted', ids: evicted, evicted: true });
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
    this.#forgetCached(deleted);
    this.#emit({ type: 'deleted', ids: deleted });
    return deleted;
  }

  /** Deletes every message and emits `cleared`. */
  clear(): void {
    // The holder lets go of what the list still names.
    this.#raw.clear();
    this.#byId.clear();
    this.#unsummarized = [];
    this.#unsummarizedHead = 0;
    this.#index.clear();
    this.#indexStale = 0;
    for (const cache of this.#caches.values()) cache.clear();
    this.#order = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#kept = 0;
    this.#unread = 0;
    this.#tags.clear();
    this.#emit({ type: 'cleared' });
  }

  /** Marks messages read or unread; emits `updated` with those that changed. */
  setRead(ids: Iterable<string>, read: boolean): StoredMessage[] {
    const changed: StoredMessage[] = [];
    for (const id of ids) {
      const message = this.#byId.get(id);
      if (!message || message.read === read) continue;
      message.setRead(read);
      this.#unread += read ? -1 : 1;
      if (this.#disk && message.ref) this.#disk.changed(message.ref, read, message.tags);
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
    const prev = message.tags;
    if (prev.length === next.length && prev.every((t, i) => t === next[i])) return false;
    this.#countTags(prev, -1);
    this.#countTags(next, 1);
    message.setTags(next);
    if (this.#disk && message.ref) this.#disk.changed(message.ref, message.read, next);
    this.#emit({ type: 'updated', messages: [message] });
    return true;
  }

  #evict(): string[] {
    const { maxMessages, maxBytes } = this.#limits;
    const evicted: string[] = [];
    // Keep at least the newest message even when it alone is larger than maxBytes.
    while (
      this.count > 1 &&
      ((maxMessages > 0 && this.count > maxMessages) || (maxBytes > 0 && this.#kept > maxBytes))
    ) {
      const oldest = this.#order[this.#head]!;
      this.#head++;
      this.#forget(oldest);
      evicted.push(oldest.id);
    }
    if (evicted.length > 0) this.#forgetCached(evicted);
    // Compact lazily: slicing on every eviction would make each add O(n).
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
    return evicted;
  }

  /** Evicts the messages older than `--max-age` (oldest first: arrival order); emits `deleted` when asked. */
  #evictAged(emit = true): void {
    const maxAge = this.#limits.maxAgeMs ?? 0;
    if (maxAge <= 0) return;
    const cutoff = Date.now() - maxAge;
    const evicted: string[] = [];
    while (this.count > 0 && this.#order[this.#head]!.created < cutoff) {
      const oldest = this.#order[this.#head]!;
      this.#head++;
      this.#forget(oldest);
      evicted.push(oldest.id);
    }
    if (evicted.length === 0) return;
    this.#forgetCached(evicted);
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
    if (emit) this.#emit({ type: 'deleted', ids: evicted, evicted: true });
  }

  #forgetCached(ids: string[]): void {
    for (const cache of this.#caches.values()) cache.forget(ids);
  }

  #forget(message: StoredEntry): void {
    if (message.seq <= this.#index.coveredSeq) this.#indexStale++;
    this.#byId.delete(message.id);
    this.#bytes -= message.rawLength;
    this.#kept -= message.rawLength + ENTRY_BYTES + message.indexBytes;
    message.release();
    if (!message.read) this.#unread--;
    if (message.summarized) this.#countTags(message.tags, -1);
  }

  #deferSummary(message: StoredEntry): void {
    this.#unsummarized.push(message);
    // Under a load that never pauses, with eviction (--max), the queue would keep every message
    // ever received: past the live count plus a margin, the gone and the summarized leave it.
    if (this.#unsummarized.length - this.#unsummarizedHead > this.count + SUMMARY_QUEUE_SLACK) {
      this.#unsummarized = this.#unsummarized
        .slice(this.#unsummarizedHead)
        .filter((entry) => entry.ref !== null && !entry.summarized);
      this.#unsummarizedHead = 0;
    }
  }

  /** Schedules the deferred work (summaries, search records, the body index) for the next quiet moment. */
  #indexLater(): void {
    this.#adds++;
    // Each message pushes the quiet moment back.
    if (this.#summaryTimer) {
      this.#summaryTimer.refresh();
      return;
    }
    this.#summaryTimer = setTimeout(() => {
      this.#summaryTimer = null;
      this.#workWhileQuiet(this.#adds);
    }, SUMMARY_QUIET_MS);
    this.#summaryTimer.unref();
  }

  /**
   * Indexes bodies in arrival order, making each message's summary and search record from the same
   * read, then whatever summaries are left, a slice at a time while no message arrives. A message
   * arriving stops it; the timer that message set resumes it at the next quiet moment.
   */
  #workWhileQuiet(adds: number): void {
    this.#resumeRaw ??= this.#raw.pause();
    // Index first: it makes each message's summary as it goes, from the same read of its slab.
    if (this.#adds === adds && (this.#indexSlice() || this.#summarizeSlice())) {
      setImmediate(() => this.#workWhileQuiet(adds));
      return;
    }
    // Done, or mail arrived: compression may go on (the next quiet moment resumes this).
    this.#resumeRaw();
    this.#resumeRaw = null;
    if (this.#adds !== adds) return;
    if (this.#indexStale > this.count + INDEX_STALE_SLACK) void this.indexed();
  }

  /**
   * Resolves once every message has its summary and its body in the index, doing what is left a
   * slice at a time between turns of the event loop (and dropping deleted messages from the index
   * when they outnumber the live ones). A body-word search awaits this first.
   */
  indexed(): Promise<void> {
    this.#indexing ??= (async () => {
      try {
        await this.summaries();
        while (this.#indexSlice()) await nextTurn();
        if (this.#indexStale > this.count + INDEX_STALE_SLACK) {
          const stale = this.#indexStale;
          await this.#index.compact((seq) => this.#bySeq(seq) !== undefined, nextTurn);
          this.#indexStale -= stale;
        }
      } finally {
        this.#indexing = null;
      }
    })();
    return this.#indexing;
  }

  /**
   * The messages whose indexed body has a word containing each token (by `seq`), paced by `pacer`.
   * Messages after `coveredSeq` were not indexed yet; await {@link indexed} first to have none.
   */
  bodyLookup(tokens: readonly string[], pacer: Pacer): Promise<BodyLookup> {
    return this.#index.lookup(tokens, pacer);
  }

  /** The stored message with this `seq`, by binary search of the arrival order. */
  #bySeq(seq: number): StoredEntry | undefined {
    const order = this.#order;
    let lo = this.#head;
    let hi = order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = order[mid]!.seq;
      if (at === seq) return order[mid];
      if (at < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Indexes the bodies of up to a slice of messages not yet indexed; whether any remain. */
  #indexSlice(): boolean {
    const order = this.#order;
    const covered = this.#index.coveredSeq;
    // The first message after the last one indexed.
    let lo = this.#head;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order[mid]!.seq <= covered) lo = mid + 1;
      else hi = mid;
    }
    const end = Math.min(order.length, lo + INDEX_SLICE);
    for (let i = lo; i < end; i++) {
      const message = order[i]!;
      // Read right after it, the slab is still in RawSlabs' cache of decompressed ones.
      void message.record;
      message.indexBytes = this.#index.add(
        message.seq,
        message.withRaw((raw) => bodyText(raw, BODY_SOURCE)),
      );
      this.#kept += message.indexBytes;
      // Restored from a snapshot that holds its fields: the summary made at start can go.
      if (this.#disk && message.ref && this.#disk.fieldsOnDisk(message.ref)) message.leaveOnDisk();
    }
    const more = end < order.length;
    // The words just indexed count against maxBytes too.
    const evicted = this.#evict();
    if (evicted.length > 0) this.#emit({ type: 'deleted', ids: evicted, evicted: true });
    return more;
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
