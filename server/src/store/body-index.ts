import { flat } from './intern';
import { Postings, PostingsArena } from './postings';

/** Word lengths indexed: shorter ones say little, longer ones are tokens, hashes and base64 junk. */
const MIN_WORD = 2;
const MAX_WORD = 40;
/** Distinct words indexed per message, so that one hostile body cannot swell the dictionary. */
const MAX_WORDS_PER_MESSAGE = 4000;

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The lower-case word tokens of a text: runs of letters and digits. ASCII text (most mail) is cut
 * by a loop over character codes, about twice as fast as the Unicode-aware expression, which
 * takes the rest; both give the same words.
 */
export function words(text: string): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    if (c > 127) return lower.match(WORD) ?? [];
    const wordChar = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (wordChar) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(lower.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/** Something that paces a long loop: a promise to await every so often (a search's budget). */
export interface Pacer {
  step(weight: number): Promise<void> | null;
}

/** What the index says of a query's tokens; see {@link BodyIndex.lookup}. */
export interface BodyLookup {
  /** Token to the `seq` of every message whose indexed body has a word containing it. */
  postings: ReadonlyMap<string, ReadonlySet<number>>;
  /** Messages after this `seq` were not indexed yet: their bodies must be decoded to be sure. */
  coveredSeq: number;
  /** Messages (by `seq`) with more distinct words than were indexed: absent from a list proves nothing. */
  partial: ReadonlySet<number>;
}

/** Bytes of bookkeeping per dictionary word beyond its letters (a Map entry, the key string). */
const WORD_OVERHEAD = 48;

/**
 * An inverted index of body words, owned by the store: messages are added in arrival order (`seq`),
 * by the store, when SMTP is quiet, so that the first body-word search finds it built. It answers
 * "which messages have a body word containing this text": words match by substring within the
 * dictionary, as Mailpit's `LIKE '%word%'` does. Deleted messages stay in the lists until
 * {@link compact} drops them; the store calls it when they outnumber the live ones.
 */
export class BodyIndex {
  readonly #postings = new Map<string, Postings | number>();
  #arena = new PostingsArena();
  /** Bytes of the small lists (those not in the arena) and of the dictionary. */
  #ownBytes = 0;
  /** Messages with more distinct words than were indexed. */
  readonly #partial = new Set<number>();
  #coveredSeq = 0;

  /** The `seq` of the last message indexed. */
  get coveredSeq(): number {
    return this.#coveredSeq;
  }

  /** Approximate bytes the index holds. */
  get bytes(): number {
    return this.#ownBytes + this.#arena.bytes;
  }

  /** Whether a token can be looked up here: the dictionary holds words of 2 to 40 letters only. */
  static indexable(token: string): boolean {
    return token.length >= MIN_WORD && token.length <= MAX_WORD;
  }

  /**
   * Indexes the words of a message's decoded body; `seq` must be above every one indexed before.
   * Returns the bytes this took: its postings, and the dictionary words it brought (which stay, as
   * its postings do, until {@link compact}).
   */
  add(seq: number, body: string): number {
    this.#coveredSeq = seq;
    const ownBefore = this.#ownBytes;
    let written = 0;
    let distinct = 0;
    for (const word of words(body)) {
      if (word.length < MIN_WORD || word.length > MAX_WORD) continue;
      const known = this.#postings.get(word);
      // A word already seen in this message ends with this seq: no set of the message's words needed.
      if (known === seq || (typeof known === 'object' && known.last === seq)) continue;
      if (++distinct > MAX_WORDS_PER_MESSAGE) {
        this.#partial.add(seq);
        break;
      }
      if (known === undefined) {
        // Flat: a slice of the body text would keep the whole body alive as long as the word.
        this.#postings.set(flat(word), seq);
        this.#ownBytes += WORD_OVERHEAD + word.length;
      } else if (typeof known === 'number') {
        const list = new Postings(known, seq, this.#arena);
        this.#postings.set(word, list);
        this.#ownBytes += list.capacity + 32;
        written += list.used;
      } else {
        const before = known.capacity;
        const used = known.used;
        known.push(seq);
        this.#ownBytes += known.capacity - before;
        written += known.used - used;
      }
    }
    return this.#ownBytes - ownBefore + written;
  }

  /**
   * The messages whose indexed body has a word containing each token, from one pass over the
   * dictionary for all tokens of a query (a query of 50 words once scanned it 50 times), paced by
   * `pacer` between words.
   */
  async lookup(tokens: readonly string[], pacer: Pacer): Promise<BodyLookup> {
    const wanted = [...new Set(tokens)].filter((t) => BodyIndex.indexable(t));
    const sets = wanted.map(() => new Set<number>());
    const coveredSeq = this.#coveredSeq;
    // One test per word for all tokens: tokens are letters and digits only, so the alternation
    // needs no escaping, and it runs in time linear in the word for each token at most.
    const any = wanted.length > 1 ? new RegExp(wanted.join('|'), 'u') : null;
    // A Map iterated while it changes (mail indexed between slices) visits new words and skips deleted ones.
    const base = 1 + (wanted.length >> 3);
    for (const [word, list] of this.#postings) {
      let weight = base;
      if (any === null ? wanted.length === 1 && word.includes(wanted[0]!) : any.test(word)) {
        weight += wanted.length;
        for (let t = 0; t < wanted.length; t++) {
          if (!word.includes(wanted[t]!)) continue;
          const set = sets[t]!;
          if (typeof list === 'number') set.add(list);
          else {
            list.each((seq) => set.add(seq));
            weight += list.used;
          }
        }
      }
      const pause = pacer.step(weight);
      if (pause) await pause;
    }
    return { postings: new Map(wanted.map((t, i) => [t, sets[i]!])), coveredSeq, partial: this.#partial };
  }

  /**
   * Drops the messages `live` refuses from every list, a slice of words between turns of the event
   * loop (`pause`), and trims the lists. Messages indexed meanwhile are kept.
   */
  async compact(live: (seq: number) => boolean, pause: () => Promise<void>): Promise<void> {
    // Into a new arena: links are not freed one by one. A list keeps the arena it was made in, so
    // one grown during the pauses is read where it is; the old arena goes with its last list.
    const arena = new PostingsArena();
    this.#arena = arena;
    let own = 0;
    let n = 0;
    for (const word of [...this.#postings.keys()]) {
      const current = this.#postings.get(word);
      if (current === undefined) continue;
      const seqs: number[] = [];
      if (typeof current === 'number') seqs.push(current);
      else current.each((seq) => seqs.push(seq));
      const alive = seqs.filter(live);
      if (alive.length === 0) this.#postings.delete(word);
      else if (alive.length === 1) this.#postings.set(word, alive[0]!);
      else {
        const list = new Postings(alive[0]!, alive[1]!, arena);
        for (let i = 2; i < alive.length; i++) list.push(alive[i]!);
        this.#postings.set(word, list);
        own += list.capacity + 32;
      }
      own += WORD_OVERHEAD + word.length;
      if (++n % 2000 === 0) await pause();
    }
    for (const seq of this.#partial) if (!live(seq)) this.#partial.delete(seq);
    this.#ownBytes = own;
  }

  /** Forgets everything. */
  clear(): void {
    this.#postings.clear();
    this.#partial.clear();
    this.#arena = new PostingsArena();
    this.#coveredSeq = 0;
    this.#ownBytes = 0;
  }
}
