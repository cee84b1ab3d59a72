import { bodyText } from '../mail/summary';
import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';

/** Decoded bytes of a body that are indexed; words further into a huge body are not found. */
const INDEX_SOURCE = 64 * 1024;
/** Word lengths indexed: shorter ones say little, longer ones are tokens, hashes and base64 junk. */
const MIN_WORD = 2;
const MAX_WORD = 40;
/** Distinct words indexed per message, so that one hostile body cannot swell the dictionary. */
const MAX_WORDS_PER_MESSAGE = 4000;

const WORD = /[\p{L}\p{N}]+/gu;
/** Deleted or queued messages tolerated beyond the live ones before the index is dropped. */
const REBUILD_SLACK = 1000;
/** Messages indexed between two yields to the event loop (about 10-20 ms of work). */
const PREPARE_SLICE = 500;

/** The lower-case word tokens of a text. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * An inverted index of body words, so that a body word over 100,000 messages does not decompress
 * and decode every body (the store keeps raw bytes Brotli-compressed in slabs: a full scan costs
 * seconds). Built on the first body-word search, never on ingest: messages that arrive later are
 * queued and indexed at the next body search, so SMTP never pays for it.
 *
 * It answers "which messages may contain this text": a superset that the caller verifies against the
 * decoded body. Words match by substring within the dictionary, as Mailpit's `LIKE '%word%'` does.
 */
export class BodyIndex {
  readonly #store: MessageStore;
  readonly #postings = new Map<string, StoredMessage[]>();
  #pending: StoredMessage[] = [];
  #built = false;
  /** Postings that point at deleted messages; the index is rebuilt when they outnumber the live ones. */
  #stale = 0;
  #live = 0;
  #preparing: Promise<void> | null = null;

  constructor(store: MessageStore) {
    this.#store = store;
    store.subscribe((event) => {
      if (!this.#built) return;
      if (event.type === 'added') this.#pending.push(event.message);
      else if (event.type === 'deleted') this.#stale += event.ids.length;
      else if (event.type === 'cleared') this.#reset();
      // With --max and a steady stream of mail, postings of evicted messages and a queue nobody
      // drains would keep every message object alive: past this slack the index is dropped and
      // rebuilt at the next body search.
      if (this.#stale > this.#live + REBUILD_SLACK || this.#pending.length > store.count + REBUILD_SLACK) {
        this.#reset();
      }
    });
  }

  /** Messages waiting to be indexed (for tests and stats). */
  get queued(): number {
    return this.#pending.length;
  }

  /**
   * The messages whose body may contain `text`, or null when the text has no word to look up (then
   * every message must be checked). `exact` when the text is one word: every message listed does
   * contain it (in the indexed part of its body) and no check is needed.
   */
  candidates(text: string): { messages: Set<StoredMessage>; exact: boolean } | null {
    const tokens = [...new Set(words(text))];
    // A token the dictionary cannot hold (one letter, or longer than any indexed word): scan instead.
    if (tokens.length === 0 || tokens.some((t) => t.length < MIN_WORD || t.length > MAX_WORD)) return null;
    this.#catchUp();
    let result: Set<StoredMessage> | null = null;
    // Longest token first: it has the fewest dictionary matches.
    for (const token of tokens.sort((a, b) => b.length - a.length)) {
      const matches = new Set<StoredMessage>();
      for (const [word, list] of this.#postings) {
        if (!word.includes(token)) continue;
        for (const message of list) if (!result || result.has(message)) matches.add(message);
      }
      result = matches;
      if (result.size === 0) break;
    }
    return { messages: result ?? new Set(), exact: tokens.length === 1 && tokens[0] === text.toLowerCase() };
  }

  /**
   * Indexes what is waiting in slices, yielding to the event loop between them, so that building
   * the index over 100,000 messages (seconds of CPU) never stalls SMTP or other requests. A search
   * that awaits this first then finds the index complete.
   */
  prepare(): Promise<void> {
    this.#preparing ??= (async () => {
      try {
        if (this.#built && this.#stale > this.#live) this.#reset();
        if (!this.#built) {
          this.#built = true;
          this.#pending = [...this.#store.newestFirst()].reverse();
        }
        while (this.#pending.length > 0) {
          const slice = this.#pending.splice(0, PREPARE_SLICE);
          for (const message of slice) if (this.#store.get(message.id) === message) this.#add(message);
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } finally {
        this.#preparing = null;
      }
    })();
    return this.#preparing;
  }

  #reset(): void {
    this.#postings.clear();
    this.#pending = [];
    this.#built = false;
    this.#stale = 0;
    this.#live = 0;
  }

  #catchUp(): void {
    if (this.#built && this.#stale > this.#live) this.#reset();
    if (!this.#built) {
      this.#built = true;
      // Oldest first, so postings are in arrival order like the pending queue.
      this.#pending = [...this.#store.newestFirst()].reverse();
    }
    const pending = this.#pending;
    this.#pending = [];
    for (const message of pending) {
      if (this.#store.get(message.id) !== message) continue;
      this.#add(message);
    }
  }

  #add(message: StoredMessage): void {
    this.#live++;
    const seen = new Set<string>();
    for (const word of words(bodyText(message.raw, INDEX_SOURCE))) {
      if (word.length < MIN_WORD || word.length > MAX_WORD || seen.has(word)) continue;
      seen.add(word);
      const list = this.#postings.get(word);
      if (list) list.push(message);
      else this.#postings.set(word, [message]);
      if (seen.size >= MAX_WORDS_PER_MESSAGE) break;
    }
  }
}

const indexes = new WeakMap<MessageStore, BodyIndex>();

/** The body index of a store, made on first use. */
export function bodyIndexOf(store: MessageStore): BodyIndex {
  let index = indexes.get(store);
  if (!index) {
    index = new BodyIndex(store);
    indexes.set(store, index);
  }
  return index;
}
