import { LRUCache } from 'lru-cache';

/** Bounds of one cache: entries and bytes. */
export interface CacheLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * Names one kind of cached value and its bounds; a module makes one at load time and asks each store
 * for its cache with {@link MessageStore.cache}.
 */
export class CacheKind<T> {
  constructor(
    readonly name: string,
    readonly limits: CacheLimits,
    readonly size: (value: T) => number,
  ) {}
}

/**
 * Values worked out from a message and kept for the next reader (a MIME parse, a decoded body),
 * bounded by entries and bytes. Made by the store ({@link MessageStore.cache}), which drops a
 * message's values when the message goes and counts their bytes in its memory figures, so that what
 * other layers keep per message has one owner.
 */
export class MessageCache<T> {
  readonly #lru: LRUCache<string, { value: T }>;

  constructor(limits: CacheLimits, size: (value: T) => number) {
    this.#lru = new LRUCache<string, { value: T }>({
      max: limits.maxEntries,
      maxSize: limits.maxBytes,
      // An entry larger than the whole budget is still returned by `remember`, just not kept.
      sizeCalculation: (entry) => Math.max(1, Math.min(size(entry.value), limits.maxBytes)),
    });
  }

  /** The value kept for this message, if any. */
  get(id: string): T | undefined {
    return this.#lru.get(id)?.value;
  }

  /** Keeps a value for this message and returns it. */
  remember(id: string, value: T): T {
    this.#lru.set(id, { value });
    return value;
  }

  /** Bytes kept. */
  get bytes(): number {
    return this.#lru.calculatedSize;
  }

  /** Entries kept. */
  get entries(): number {
    return this.#lru.size;
  }

  /** Drops these messages' values. */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.#lru.delete(id);
  }

  /** Drops every value. */
  clear(): void {
    this.#lru.clear();
  }
}
