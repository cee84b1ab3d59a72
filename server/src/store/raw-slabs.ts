import { brotliCompress, brotliDecompressSync, constants } from 'node:zlib';
import { BlockAllocator, type Allocation } from './blocks';
import type { NotPromise, RawHolder } from './raw-holder';

/**
 * Slab storage for raw message bytes. One Buffer per message costs a malloc block, an ArrayBuffer and
 * a backing-store record each, and keeps mail at full size. Here small messages are copied one after
 * another into 256 KiB slabs; a full slab is compressed in one piece with Brotli, so messages share
 * one compression window: bench mail of 4 KiB shrinks about 3 x this way, against 2.1 x compressed
 * one by one (measured, test/bench). Reading a message from a compressed slab decompresses the slab
 * (about 1 ms) into a small cache of recent slabs. Messages of 32 KiB and more keep a Buffer of their
 * own: they gain little from a shared window and a 10 MB message should not pass through a slab.
 *
 * Compression costs about 40 µs of CPU per 4 KiB message, a quarter of what smtp-server itself spends
 * on one, and the machines this runs on during a load test are busy. So full slabs wait until SMTP
 * has been quiet for a moment and are then compressed one at a time in zlib's thread pool; only when
 * more than {@link MAX_PLAIN_BACKLOG} bytes wait does compression run during the load.
 *
 * Slabs and their compressed copies are carved from large blocks ({@link BlockAllocator}), so that
 * what the store frees is returned to the system rather than left as holes in the C heap.
 */

/** Target size of one slab. */
const SLAB_BYTES = 256 * 1024;
/**
 * Messages at least this large get a Buffer of their own and stay uncompressed: mostly attachments in
 * base64, which Brotli shrinks by a quarter at most; copied into slabs and compressed, 64 KiB
 * messages cost about 2.5 x the sink's CPU per message in the bench.
 */
const OWN_BUFFER_BYTES = 32 * 1024;
/** Decompressed slabs kept for reads that follow one another (a page of messages, a search scan). */
const CACHED_SLABS = 4;
/** Plain bytes in full slabs allowed to wait for a quiet moment before compression runs anyway. */
const MAX_PLAIN_BACKLOG = 64 * 1024 * 1024;
/** How long no slab must have filled before the waiting ones are compressed. */
const QUIET_MS = 200;
/**
 * How long no message must have arrived before the slab being filled is sealed and compressed too.
 * Until then its block stays in memory (see {@link BlockAllocator}); after a load test that block
 * held up to 33 MiB of plain slabs already compressed.
 */
const OPEN_IDLE_MS = 1000;
/**
 * How long plain slabs freed by compression are kept for reuse after the last one was: while mail
 * keeps coming, new slabs are written into pages already in memory; once it stops, the memory goes
 * back to the system (as V8 shrinks its own heap after about 20 s of quiet).
 */
const SPARE_IDLE_MS = 10_000;
/**
 * Brotli quality 2: about 50 µs of a pool thread per 4 KiB message, and 5 % smaller than quality 1
 * (3.07 against 2.92 x on bench mail of realistic text, 3.33 against 3.15 on filler); quality 4 and
 * above cost two to five times the CPU for 2 to 5 % more. A window of 256 KiB (a slab) rather than
 * the default 4 MiB: the same ratio on slabs, a smaller ring buffer for the encoder.
 */
const BROTLI_OPTIONS = {
  chunkSize: SLAB_BYTES,
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 2,
    [constants.BROTLI_PARAM_LGWIN]: 18,
    [constants.BROTLI_PARAM_SIZE_HINT]: SLAB_BYTES,
  },
};

/** One slab: plain bytes while it fills and until its compressed copy is ready, then those. */
class Slab {
  plain: Buffer | null;
  packed: Buffer | null = null;
  /** The block ranges behind `plain` and `packed`. */
  plainRange: Allocation | null;
  packedRange: Allocation | null = null;
  used = 0;
  /** Messages in this slab not yet released. */
  live = 0;
  sealed = false;

  constructor(range: Allocation) {
    this.plainRange = range;
    this.plain = range.bytes;
  }
}

/**
 * Where a message's bytes are in a slab, followed there by the UTF-8 bytes of a short text kept with
 * them (the transcript's own lines). A class, so that every reference has one compact shape.
 */
class SlabRef {
  constructor(
    readonly slab: Slab,
    readonly offset: number,
    readonly length: number,
    readonly textLength: number,
  ) {}
}

/** A message's bytes in a Buffer of their own, and the text kept with them. */
class OwnRef {
  constructor(
    readonly own: Buffer,
    readonly text: string,
  ) {}
}

/** Where a message's bytes (and the text kept with them) are. */
export type RawRef = SlabRef | OwnRef;

/** The raw bytes of every stored message, compactly. */
export class RawSlabs implements RawHolder<RawRef> {
  #open: Slab | null = null;
  /** Messages added so far; the idle check of the open slab compares it between ticks. */
  #adds = 0;
  #openIdleTimer: NodeJS.Timeout | null = null;
  readonly #plainBlocks = new BlockAllocator({ recycle: true });
  #spareTimer: NodeJS.Timeout | null = null;
  readonly #packedBlocks = new BlockAllocator();
  readonly #cache = new Map<Slab, Buffer>();
  /** Full slabs waiting for compression, oldest first. */
  #backlog: Slab[] = [];
  #backlogBytes = 0;
  #quietTimer: NodeJS.Timeout | null = null;
  /** The compression running now, if any: one at a time, so it never takes both cores. */
  #running: Promise<void> | null = null;
  /** The slab whose plain bytes zlib is reading now. */
  #compressing: Slab | null = null;
  #compressed = 0;
  /** Bumped by clear(), so that a compression finishing afterwards changes nothing. */
  #generation = 0;
  /** Holders of {@link pause}: while any, full slabs wait (unless the backlog passes its bound). */
  #paused = 0;
  /** {@link settled} is compressing everything, paused or not. */
  #draining = false;
  #held = 0;

  /** Bytes held in memory for raw messages (compressed where compressed). */
  get heldBytes(): number {
    return this.#held;
  }

  /** Slabs compressed so far (for tests and the bench). */
  get compressedSlabs(): number {
    return this.#compressed;
  }

  /**
   * Copies a message in, with a text to keep beside it (read back with {@link text}), and returns
   * where they are.
   */
  add(raw: Buffer, text = ''): RawRef {
    const textLength = text ? Buffer.byteLength(text, 'utf8') : 0;
    if (raw.length >= OWN_BUFFER_BYTES || raw.length + textLength > SLAB_BYTES) {
      // A view into a larger buffer (a socket read, a concatenation) would keep all of it alive.
      const own = raw.byteOffset === 0 && raw.buffer.byteLength === raw.length ? raw : Buffer.from(raw);
      this.#held += own.length;
      return new OwnRef(own, text);
    }
    const slab = this.#slabFor(raw.length + textLength);
    const plain = slab.plain!;
    const offset = slab.used;
    raw.copy(plain, offset);
    if (textLength > 0) plain.write(text, offset + raw.length, textLength, 'utf8');
    slab.used += raw.length + textLength;
    slab.live++;
    return new SlabRef(slab, offset, raw.length, textLength);
  }

  /** The text kept with a message. */
  text(ref: RawRef): string {
    if (ref instanceof OwnRef) return ref.text;
    if (ref.textLength === 0) return '';
    const start = ref.offset + ref.length;
    return (ref.slab.plain ?? this.#inflate(ref.slab)).toString('utf8', start, start + ref.textLength);
  }

  /** Length of a message's bytes. */
  length(ref: RawRef): number {
    return ref instanceof OwnRef ? ref.own.length : ref.length;
  }

  /** The open slab, with room for `length` more bytes. */
  #slabFor(length: number): Slab {
    let slab = this.#open;
    if (!slab || slab.used + length > SLAB_BYTES) {
      if (slab) this.#seal(slab);
      slab = new Slab(this.#plainBlocks.allocate(SLAB_BYTES));
      this.#held += SLAB_BYTES;
      this.#open = slab;
      this.#watchOpenSlab();
    }
    this.#adds++;
    return slab;
  }

  /**
   * Calls `fn` with the exact bytes of a message, as a view into its (decompressed) slab, and returns
   * what it returns: a copy per read cost 20 µs, which a search over 100,000 messages pays 100,000
   * times. The view is valid only while `fn` runs: slabs are compressed and reused between turns of
   * the event loop, never during a synchronous call, so `fn` must not keep it (nor be async).
   */
  read<T>(ref: RawRef, fn: (raw: Buffer) => NotPromise<T>): T {
    if (ref instanceof OwnRef) return fn(ref.own);
    const plain = ref.slab.plain ?? this.#inflate(ref.slab);
    return fn(plain.subarray(ref.offset, ref.offset + ref.length));
  }

  /**
   * A message's bytes for a caller to keep: a copy of bytes in a slab (which is reused), the
   * message's own Buffer as it is (never written again, so a 10 MB message is not copied).
   */
  keep(ref: RawRef): Buffer {
    if (ref instanceof OwnRef) return ref.own;
    return this.read(ref, (raw) => Buffer.from(raw));
  }

  /** Releases a message; a slab whose messages are all released is dropped. */
  release(ref: RawRef): void {
    if (ref instanceof OwnRef) {
      this.#held -= ref.own.length;
      return;
    }
    const slab = ref.slab;
    if (--slab.live > 0 || slab === this.#open) return;
    this.#drop(slab);
  }

  /** Drops everything. */
  clear(): void {
    this.#generation++;
    this.#stopWatchingOpenSlab();
    // Their plain memory can take the next mail (the one being compressed excepted).
    for (const slab of this.#open ? [this.#open, ...this.#backlog] : this.#backlog) this.#freePlain(slab);
    this.#open = null;
    this.#backlog = [];
    this.#backlogBytes = 0;
    this.#cache.clear();
    this.#plainBlocks.clear();
    this.#packedBlocks.clear();
    this.#held = 0;
  }

  /**
   * Compresses every full slab now, without waiting for a quiet moment, and resolves when done
   * (tests, bench). With `sealOpen` the slab being filled is sealed first.
   */
  async settled(sealOpen = false): Promise<void> {
    if (sealOpen && this.#open && this.#open.used > 0) {
      this.#seal(this.#open);
      this.#open = null;
    }
    this.#draining = true;
    try {
      this.#compressBacklog();
      while (this.#running) await this.#running;
    } finally {
      this.#draining = false;
    }
  }

  /**
   * Holds compression back until the returned function is called: the store reads every message
   * once after a burst (summaries, the body index), and reading a slab before it is compressed
   * saves decompressing it again, with the short-lived 512 KiB buffers that leaves in the C heap.
   */
  pause(): () => void {
    this.#paused++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#paused > 0) return;
      // The pass read every slab in turn: the last few decompressed are of no use to anyone now.
      this.#cache.clear();
      if (this.#backlog.length > 0) setImmediate(() => this.#compressBacklog());
    };
  }

  /** Seals and compresses the open slab once no message arrived for {@link OPEN_IDLE_MS}. */
  #watchOpenSlab(): void {
    if (this.#openIdleTimer) clearInterval(this.#openIdleTimer);
    let seen = -1;
    this.#openIdleTimer = setInterval(() => {
      if (this.#adds !== seen) {
        seen = this.#adds;
        return;
      }
      this.#stopWatchingOpenSlab();
      if (this.#open) {
        this.#seal(this.#open);
        this.#open = null;
      }
      this.#compressBacklog();
    }, OPEN_IDLE_MS);
    this.#openIdleTimer.unref();
  }

  #stopWatchingOpenSlab(): void {
    if (this.#openIdleTimer) clearInterval(this.#openIdleTimer);
    this.#openIdleTimer = null;
  }

  #seal(slab: Slab): void {
    if (slab === this.#open) this.#stopWatchingOpenSlab();
    slab.sealed = true;
    if (slab.live === 0) {
      this.#drop(slab);
      return;
    }
    this.#backlog.push(slab);
    this.#backlogBytes += slab.used;
    if (this.#backlogBytes > MAX_PLAIN_BACKLOG) {
      this.#compressBacklog();
      return;
    }
    // Wait for a quiet moment: each new full slab pushes the moment back.
    if (this.#quietTimer) this.#quietTimer.refresh();
    else {
      this.#quietTimer = setTimeout(() => {
        this.#quietTimer = null;
        this.#compressBacklog();
      }, QUIET_MS);
      this.#quietTimer.unref();
    }
  }

  /** Starts compressing the backlog, one slab after another, unless that is already under way. */
  #compressBacklog(): void {
    if (this.#running) return;
    if (this.#paused > 0 && !this.#draining && this.#backlogBytes <= MAX_PLAIN_BACKLOG) return;
    const slab = this.#backlog.shift();
    if (!slab) return;
    this.#backlogBytes -= slab.used;
    if (slab.live === 0 || !slab.plain) {
      this.#compressBacklog();
      return;
    }
    const input = slab.plain.subarray(0, slab.used);
    const generation = this.#generation;
    this.#compressing = slab;
    this.#running = new Promise<void>((resolve) => {
      brotliCompress(input, BROTLI_OPTIONS, (err, packed) => {
        this.#compressing = null;
        const current = generation === this.#generation && slab.live > 0 && slab.plain;
        // Kept plain when compression fails or gains little; either way the bytes stay exact.
        if (!err && current && packed.length < slab.used * 0.9) {
          this.#held += packed.length - SLAB_BYTES;
          slab.packedRange = this.#packedBlocks.allocate(packed.length);
          packed.copy(slab.packedRange.bytes);
          slab.packed = slab.packedRange.bytes;
          this.#freePlain(slab);
          this.#compressed++;
        }
        this.#running = null;
        resolve();
        this.#compressBacklog();
      });
    });
  }

  #inflate(slab: Slab): Buffer {
    const cached = this.#cache.get(slab);
    if (cached) {
      // Most recently used last.
      this.#cache.delete(slab);
      this.#cache.set(slab, cached);
      return cached;
    }
    // One output chunk a little larger than the slab (a chunk filled to the end makes zlib allocate
    // another): with zlib's default 16 KiB chunks this took 5 ms, not 1.
    const plain = brotliDecompressSync(slab.packed!, { chunkSize: slab.used + 1024 });
    this.#cache.set(slab, plain);
    if (this.#cache.size > CACHED_SLABS) this.#cache.delete(this.#cache.keys().next().value!);
    return plain;
  }

  #freePlain(slab: Slab): void {
    if (slab.plainRange) {
      if (slab === this.#compressing) this.#plainBlocks.discard(slab.plainRange);
      else {
        this.#plainBlocks.free(slab.plainRange);
        this.#releaseSpareLater();
      }
    }
    slab.plainRange = null;
    slab.plain = null;
  }

  /** Releases the spare plain slabs once {@link SPARE_IDLE_MS} passed without another freed. */
  #releaseSpareLater(): void {
    if (this.#spareTimer) {
      this.#spareTimer.refresh();
      return;
    }
    this.#spareTimer = setTimeout(() => {
      this.#spareTimer = null;
      this.#plainBlocks.releaseSpare();
    }, SPARE_IDLE_MS);
    this.#spareTimer.unref();
  }

  #drop(slab: Slab): void {
    this.#held -= slab.packed ? slab.packed.length : SLAB_BYTES;
    this.#freePlain(slab);
    if (slab.packedRange) this.#packedBlocks.free(slab.packedRange);
    slab.packedRange = null;
    slab.packed = null;
    this.#cache.delete(slab);
  }
}
