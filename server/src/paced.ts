/**
 * Runs `flush` at the end of the current turn of the event loop when it last ran at least
 * `intervalMs` ago, else once that long has passed since. Work that every event of a burst asks for
 * (a socket write, a message to a thread: a system call each) is then done once for all the events
 * of a few milliseconds, and still at once for an event that comes alone.
 */
export class Paced {
  readonly #intervalMs: number;
  readonly #flush: () => void;
  #last = -Infinity;
  #scheduled = false;

  constructor(intervalMs: number, flush: () => void) {
    this.#intervalMs = intervalMs;
    this.#flush = flush;
  }

  /** Asks for a flush; many asks before it runs make one. */
  request(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const wait = this.#last + this.#intervalMs - performance.now();
    if (wait <= 0) setImmediate(this.#run);
    else setTimeout(this.#run, Math.ceil(wait));
  }

  readonly #run = (): void => {
    this.#scheduled = false;
    this.#last = performance.now();
    this.#flush();
  };
}
