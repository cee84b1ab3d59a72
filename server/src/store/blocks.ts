/**
 * Bump allocation of long-lived byte ranges from large blocks, so that memory freed by the store
 * goes back to the system.
 *
 * Why: glibc serves a `malloc` under its mmap threshold from the heap, and raises that threshold
 * (up to 32 MiB) each time it frees an mmapped chunk. Slabs of 256 KiB and their compressed copies
 * then landed in the heap between each other; once the plain slabs were compressed and freed the
 * holes stayed resident, and a store of 10,000 bench messages kept 46 MB of freed memory (measured
 * with /proc/PID/smaps: `[heap]` grew from 6 to 62 MiB). A block larger than 32 MiB is always
 * mmapped: only the pages written are resident, and when the block is garbage collected its whole
 * mapping is returned.
 */

/** Larger than glibc's largest mmap threshold (32 MiB on 64-bit), so always a mapping of its own. */
export const BLOCK_BYTES = 33 * 1024 * 1024;

/** One block: the ranges handed out from it, and how many of them are still in use. */
export class Block {
  readonly bytes: Buffer;
  used = 0;
  live = 0;

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafeSlow(size);
  }
}

/** A range of a block; hand it back with {@link BlockAllocator.free} when done. */
export interface Allocation {
  block: Block;
  bytes: Buffer;
}

/**
 * Hands out ranges from the current block until it is full, then starts another. A block is dropped
 * (for the garbage collector, which unmaps it) when every range in it was freed and no more will be
 * taken from it. Space freed in the middle of a block is not reused: the store frees in roughly the
 * order it allocates (oldest messages first, slabs compressed in turn), so blocks empty as a whole.
 */
export class BlockAllocator {
  #current: Block | null = null;
  /** Freed ranges kept for reuse (with `recycle`), with their pages already in memory. */
  #spare: Allocation[] = [];
  readonly #recycle: boolean;

  /**
   * With `recycle`, freed ranges are kept for the next allocation of the same size until
   * {@link releaseSpare}: writing into fresh pages costs a page fault each; in sustained rounds of
   * 4 KiB messages reusing them took CPU per message from about 390 to 300 µs (test/bench).
   */
  constructor({ recycle = false }: { recycle?: boolean } = {}) {
    this.#recycle = recycle;
  }

  /** A range of `size` bytes (at most a block), uninitialised. */
  allocate(size: number): Allocation {
    const spare = this.#spare.at(-1);
    if (spare && spare.bytes.length === size) return this.#spare.pop()!;
    let block = this.#current;
    if (!block || block.used + size > block.bytes.length) {
      block = new Block(Math.max(BLOCK_BYTES, size));
      this.#current = block;
    }
    const bytes = block.bytes.subarray(block.used, block.used + size);
    block.used += size;
    block.live++;
    return { block, bytes };
  }

  /** Gives a range back; its block goes once all its ranges have. */
  free(allocation: Allocation): void {
    if (this.#recycle) {
      this.#spare.push(allocation);
      return;
    }
    this.#release(allocation);
  }

  /**
   * Gives a range back without keeping it for reuse: for memory someone may still be reading (a view
   * handed out, a compression under way), which must not be written again. Its block stays mapped
   * for as long as such a view keeps it alive.
   */
  discard(allocation: Allocation): void {
    this.#release(allocation);
  }

  /** Bytes in ranges kept for reuse. */
  get spareBytes(): number {
    return this.#spare.reduce((n, a) => n + a.bytes.length, 0);
  }

  /** Lets go of the ranges kept for reuse, so that their blocks can go back to the system. */
  releaseSpare(): void {
    const spare = this.#spare;
    this.#spare = [];
    for (const allocation of spare) this.#release(allocation);
  }

  #release(allocation: Allocation): void {
    const block = allocation.block;
    // An empty current block goes too: its written pages would stay resident holding nothing.
    if (--block.live === 0 && block === this.#current) this.#current = null;
  }

  /**
   * Forgets every block (their ranges must no longer be used). Spare ranges stay: nothing uses them,
   * and the next allocations can.
   */
  clear(): void {
    this.#current = null;
  }
}
