import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SummaryJob, SummaryOffload } from '../store/summary-data';
import { Paced } from '../paced';
import { summaryJsonOf } from './summary-job';

/** A job as it crosses to the thread: its bytes are a range of its batch's buffer. */
export interface WireJob extends Omit<SummaryJob, 'raw'> {
  offset: number;
  length: number;
}

/** What the main thread posts: the messages of a few milliseconds. */
export interface WireBatch {
  seq: number;
  bytes: ArrayBuffer;
  jobs: WireJob[];
}

/** What the thread answers: each job's summary JSON, or `null` where the summarizer threw. */
export interface WireAnswer {
  seq: number;
  texts: (string | null)[];
}

interface Waiter {
  resolve(text: string): void;
  reject(err: unknown): void;
}

interface Batch {
  seq: number;
  jobs: WireJob[];
  waiters: Waiter[];
  /** The jobs' bytes, one after the other; kept until the answer, to make them here if the thread dies. */
  buffer: Buffer;
  used: number;
}

/** The thread's code, beside this file in the build (`dist/`); absent beside the TypeScript sources. */
const WORKER_FILE = './summary-worker.js';
/** A thread with nothing to do this long is stopped, and gives its memory back (about 10 MB). */
const IDLE_MS = 10_000;
/** Messages larger than this are summarized here: copying them to the thread costs more than it saves. */
const MAX_OFFLOAD_BYTES = 1024 * 1024;
/** The shortest time between two batches: one message to the thread costs about 20 µs. */
const BATCH_INTERVAL_MS = 1;
/** Threads that died before the summary thread gives up on threads and works here. */
const MAX_CRASHES = 3;

/**
 * Makes message summaries on a worker thread, for the `new` events an open inbox gets: during a
 * burst of mail that work would otherwise sit on the event loop's thread, beside SMTP. The messages
 * of a few milliseconds go in one batch (one copy of their bytes, one message each way; see Paced).
 * Without the thread's file (the TypeScript sources run by tests) or after repeated crashes, the
 * same code runs on this thread instead, so the answers are the same either way.
 */
export class SummaryThread implements SummaryOffload {
  readonly #file: URL | null;
  #worker: Worker | null = null;
  #crashes = 0;
  #open: Batch | null = null;
  readonly #sent = new Map<number, Batch>();
  #seq = 0;
  #idle: NodeJS.Timeout | null = null;
  readonly #paced = new Paced(BATCH_INTERVAL_MS, () => this.#post());

  constructor(file: URL = new URL(WORKER_FILE, import.meta.url)) {
    this.#file = existsSync(fileURLToPath(file)) ? file : null;
  }

  summaryJson(job: SummaryJob): Promise<string> {
    const { raw, ...meta } = job;
    if (raw.length > MAX_OFFLOAD_BYTES) {
      try {
        return Promise.resolve(summaryJsonOf(job));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const batch = (this.#open ??= this.#newBatch());
    if (batch.used + raw.length > batch.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(batch.buffer.length * 2, batch.used + raw.length));
      batch.buffer.copy(grown, 0, 0, batch.used);
      batch.buffer = grown;
    }
    raw.copy(batch.buffer, batch.used);
    batch.jobs.push({ ...meta, offset: batch.used, length: raw.length });
    batch.used += raw.length;
    return new Promise((resolve, reject) => batch.waiters.push({ resolve, reject }));
  }

  warm(): void {
    if (this.#worker || this.#open || this.#sent.size > 0) return;
    if (!this.#thread()) return;
    this.#idleLater();
  }

  close(): void {
    this.#stopThread();
    for (const batch of this.#sent.values()) this.#answerHere(batch);
    this.#sent.clear();
  }

  #newBatch(): Batch {
    this.#paced.request();
    return { seq: ++this.#seq, jobs: [], waiters: [], buffer: Buffer.allocUnsafeSlow(64 * 1024), used: 0 };
  }

  #post(): void {
    const batch = this.#open;
    this.#open = null;
    if (!batch) return;
    const worker = this.#thread();
    if (!worker) {
      this.#answerHere(batch);
      return;
    }
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    this.#sent.set(batch.seq, batch);
    // The buffer is allocUnsafeSlow's own ArrayBuffer, never a shared one.
    const bytes = (batch.buffer.buffer as ArrayBuffer).slice(batch.buffer.byteOffset, batch.buffer.byteOffset + batch.used);
    worker.postMessage({ seq: batch.seq, bytes, jobs: batch.jobs } satisfies WireBatch, [bytes]);
  }

  #thread(): Worker | null {
    if (this.#worker || !this.#file || this.#crashes >= MAX_CRASHES) return this.#worker;
    const worker = new Worker(this.#file);
    worker.unref();
    worker.on('message', (answer: WireAnswer) => this.#answer(answer));
    // An exception in the thread (it catches the summarizer's): its batches are made here.
    worker.on('error', () => this.#crashes++);
    worker.on('exit', () => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      for (const batch of this.#sent.values()) this.#answerHere(batch);
      this.#sent.clear();
    });
    this.#worker = worker;
    return worker;
  }

  #answer({ seq, texts }: WireAnswer): void {
    const batch = this.#sent.get(seq);
    if (!batch) return;
    this.#sent.delete(seq);
    batch.waiters.forEach((waiter, i) => {
      const text = texts[i];
      if (typeof text === 'string') waiter.resolve(text);
      else this.#answerOneHere(batch, i);
    });
    if (this.#sent.size === 0 && !this.#open) this.#idleLater();
  }

  /** Stops the thread once it has had nothing to do for {@link IDLE_MS}. */
  #idleLater(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#stopThread(), IDLE_MS);
    this.#idle.unref();
  }

  /** Makes a batch's summaries on this thread. */
  #answerHere(batch: Batch): void {
    for (let i = 0; i < batch.jobs.length; i++) this.#answerOneHere(batch, i);
  }

  #answerOneHere(batch: Batch, i: number): void {
    const { offset, length, ...meta } = batch.jobs[i]!;
    const waiter = batch.waiters[i]!;
    try {
      waiter.resolve(summaryJsonOf({ ...meta, raw: batch.buffer.subarray(offset, offset + length) }));
    } catch (err) {
      waiter.reject(err);
    }
  }

  #stopThread(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    const worker = this.#worker;
    this.#worker = null;
    void worker?.terminate();
  }
}
