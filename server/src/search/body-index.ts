import { bodyText } from '../mail/summary';
import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import { nextTurn, type SearchBudget } from './budget';

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
/** Messages indexed between two turns of the event loop (a few ms of work). */
const PREPARE_SLICE = 200;

/** The lower-case word tokens of a text. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** What the index says of a query's tokens; see {@link BodyIndex.lookup}. */
export interface BodyLookup {
  /** Token to the messages whose indexed body has a word containing it. */
  postings: ReadonlyMap<string, ReadonlySet<StoredMessage>>;
  /** Messages after this `seq` were not indexed yet when the lookup began. */
  coveredSeq: number;
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
  /** Bumped when the postings are dropped, so that a pass in progress knows to start again. */
  #generation = 0;
  /** The `seq` of the last message indexed: messages are indexed in arrival order. */
  #indexedSeq = 0;

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

  /** Whether a token can be looked up here: the dictionary holds words of 2 to 40 letters only. */
  static indexable(token: string): boolean {
    return token.length >= MIN_WORD && token.length <= MAX_WORD;
  }

  /**
   * The messages whose indexed body has a word containing each token, from one pass over the
   * dictionary for all tokens of a query: a query of 50 words used to scan it 50 times (300 negated
   * words over 400 messages with a large vocabulary blocked the event loop for 16 s). The pass runs
   * in slices within `budget`. Messages with `seq` above `coveredSeq` were not indexed when the
   * pass began (they arrived since) and must be decoded to be sure.
   */
  async lookup(tokens: readonly string[], budget: SearchBudget): Promise<BodyLookup> {
    const wanted = [...new Set(tokens)].filter((t) => BodyIndex.indexable(t));
    for (;;) {
      await budget.outside(this.prepare());
      const generation = this.#generation;
      const coveredSeq = this.#indexedSeq;
      const sets = wanted.map(() => new Set<StoredMessage>());
      let changed = false;
      for (const [word, list] of this.#postings) {
        let weight = wanted.length;
        for (let t = 0; t < wanted.length; t++) {
          if (!word.includes(wanted[t]!)) continue;
          const set = sets[t]!;
          for (const message of list) set.add(message);
          weight += list.length;
        }
        const pause = budget.step(weight);
        if (pause) {
          await pause;
          // Dropped and rebuilt meanwhile (a clear, or too many deletes): the pass saw a part only.
          if (this.#generation !== generation) {
            changed = true;
            break;
          }
        }
      }
      if (changed) continue;
      return { postings: new Map(wanted.map((t, i) => [t, sets[i]!])), coveredSeq };
    }
  }

  /**
   * Indexes what is waiting in slices, yielding to the event loop between them, so that building
   * the index over 100,000 messages (seconds of CPU) never stalls SMTP or other requests. A search
   * that awaits this first then finds the index complete. Not charged to a search's budget: it is
   * done once, and every later search profits.
   */
  prepare(): Promise<void> {
    if (this.#built && this.#pending.length === 0 && this.#stale <= this.#live) return Promise.resolve();
    // Cleared in `finally`, which always runs after this assignment (never synchronously inside it).
    this.#preparing ??= this.#build().finally(() => {
      this.#preparing = null;
    });
    return this.#preparing;
  }

  async #build(): Promise<void> {
    if (this.#built && this.#stale > this.#live) this.#reset();
    if (!this.#built) {
      this.#built = true;
      // Oldest first, so postings are in arrival order like the pending queue.
      this.#pending = [...this.#store.newestFirst()].reverse();
    }
    while (this.#pending.length > 0) {
      const slice = this.#pending.splice(0, PREPARE_SLICE);
      for (const message of slice) if (this.#store.get(message.id) === message) this.#add(message);
      if (this.#pending.length > 0) await nextTurn();
    }
  }

  #reset(): void {
    this.#generation++;
    this.#indexedSeq = 0;
    this.#postings.clear();
    this.#pending = [];
    this.#built = false;
    this.#stale = 0;
    this.#live = 0;
  }

  #add(message: StoredMessage): void {
    this.#live++;
    this.#indexedSeq = message.seq;
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
