import { BLOCK_BYTES } from './blocks';

/** Bytes of a list kept in a typed array of its own: V8 keeps arrays this small in its heap. */
const SMALL_BYTES = 64;
/** One link of a large list: data, then the number of the next link (4 bytes). */
const LINK_BYTES = 256;
const LINK_DATA = LINK_BYTES - 4;
const LINKS_PER_PAGE = Math.floor(BLOCK_BYTES / LINK_BYTES);

/**
 * Where large postings lists live: links of 256 bytes carved from pages of 33 MiB, never freed one
 * by one, only all together (a new arena replaces the old one on compaction or clear). Lists that
 * grew by doubling in typed arrays of their own left the C heap full of the sizes they grew out of:
 * at 100,000 messages the index held 20 MB and cost about 45 MB of resident memory. A page of
 * 33 MiB is always a mapping of its own (see blocks.ts), resident only as far as it is written.
 */
export class PostingsArena {
  readonly #pages: Uint8Array[] = [];
  #links = 0;

  /** Bytes of the pages' written part. */
  get bytes(): number {
    return this.#links * LINK_BYTES;
  }

  /** A new link's number; its next-link field reads 0 (none). */
  link(): number {
    const n = ++this.#links;
    const page = Math.floor(n / LINKS_PER_PAGE);
    if (page >= this.#pages.length) this.#pages.push(new Uint8Array(BLOCK_BYTES));
    return n;
  }

  page(n: number): Uint8Array {
    return this.#pages[Math.floor(n / LINKS_PER_PAGE)]!;
  }

  static offset(n: number): number {
    return (n % LINKS_PER_PAGE) * LINK_BYTES;
  }
}

/**
 * The messages of one word, as the differences between successive `seq` numbers in LEB128 varints:
 * a word found in every tenth message costs a byte per message, where an array of message objects
 * cost 8 (and with 8,000 different words in 4 KiB bodies, 100,000 messages hold some 40 million
 * word-message pairs). Up to 64 bytes in a typed array of its own (in V8's heap, where the garbage
 * collector compacts what it grew out of), then in a chain of links in the index's arena.
 */
export class Postings {
  /** The bytes while the list is small; null once it lives in the arena. */
  #small: Uint8Array | null = new Uint8Array(8);
  /** Bytes written. */
  used = 0;
  last = 0;
  /** First and last link in the arena, and bytes written in the last. */
  #head = 0;
  #tail = 0;
  #fill = 0;

  /** The arena its links come from: the one of the index when the list was made. */
  readonly arena: PostingsArena;

  constructor(first: number, second: number, arena: PostingsArena) {
    this.arena = arena;
    this.push(first);
    this.push(second);
  }

  /** Bytes this list takes beyond its object. */
  get capacity(): number {
    return this.#small ? this.#small.length : 0;
  }

  /** Appends a `seq` above every one before. */
  push(seq: number): void {
    let delta = seq - this.last;
    this.last = seq;
    while (delta >= 0x80) {
      this.#byte((delta & 0x7f) | 0x80);
      delta >>>= 7;
    }
    this.#byte(delta);
  }

  #byte(value: number): void {
    const arena = this.arena;
    const small = this.#small;
    if (small) {
      if (this.used < small.length) {
        small[this.used++] = value;
        return;
      }
      if (small.length < SMALL_BYTES) {
        const next = new Uint8Array(small.length * 2);
        next.set(small);
        next[this.used++] = value;
        this.#small = next;
        return;
      }
      // Into the arena: the small bytes become the first link's.
      this.#head = this.#tail = arena.link();
      arena.page(this.#head).set(small, PostingsArena.offset(this.#head));
      this.#fill = small.length;
      this.#small = null;
    }
    if (this.#fill === LINK_DATA) {
      const next = arena.link();
      const page = arena.page(this.#tail);
      const at = PostingsArena.offset(this.#tail) + LINK_DATA;
      page[at] = next & 0xff;
      page[at + 1] = (next >>> 8) & 0xff;
      page[at + 2] = (next >>> 16) & 0xff;
      page[at + 3] = next >>> 24;
      this.#tail = next;
      this.#fill = 0;
    }
    arena.page(this.#tail)[PostingsArena.offset(this.#tail) + this.#fill++] = value;
    this.used++;
  }

  /** Calls `visit` with every `seq`, oldest first. */
  each(visit: (seq: number) => void): void {
    const arena = this.arena;
    let seq = 0;
    let delta = 0;
    let shift = 0;
    const take = (byte: number): void => {
      delta |= (byte & 0x7f) << shift;
      shift += 7;
      if (byte & 0x80) return;
      seq += delta;
      visit(seq);
      delta = 0;
      shift = 0;
    };
    if (this.#small) {
      for (let i = 0; i < this.used; i++) take(this.#small[i]!);
      return;
    }
    let link = this.#head;
    for (;;) {
      const page = arena.page(link);
      const at = PostingsArena.offset(link);
      const end = link === this.#tail ? this.#fill : LINK_DATA;
      for (let i = 0; i < end; i++) take(page[at + i]!);
      if (link === this.#tail) return;
      link = page[at + LINK_DATA]! | (page[at + LINK_DATA + 1]! << 8) | (page[at + LINK_DATA + 2]! << 16);
      link += page[at + LINK_DATA + 3]! * 0x1000000;
    }
  }
}
