import { performance } from 'node:perf_hooks';
import { nextTurn } from '../store/turns';

/** Work done in one go before a search yields to the event loop: SMTP waits at most about this long. */
export const SLICE_MS = 4;
/**
 * Event-loop time one search may use in all. A `to:` or `subject:` search over 100,000 messages takes
 * tens of ms and a body word found through the index about as much; what passes two seconds is a
 * query that decodes tens of thousands of bodies (a phrase of common words, a word too long for the
 * index), and the answer then is to narrow it, not to keep one core busy for a minute.
 */
export const WORK_BUDGET_MS = 2000;
/** Wall time one search may take, waiting for its turns included (many searches at once share them). */
export const WALL_BUDGET_MS = 30_000;

/** A search that used up its budget; answered 503 with this message, which says how to narrow it. */
export class SearchTooExpensiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchTooExpensiveError';
  }
}

/**
 * The work budget of one search: call {@link SearchBudget.step} between units of work (a message
 * tested, a dictionary word compared); it yields once the slice is used and throws
 * {@link SearchTooExpensiveError} once the budget is.
 */
export class SearchBudget {
  readonly #started = performance.now();
  readonly #workMs: number;
  readonly #wallMs: number;
  #sliceStart = performance.now();
  #spent = 0;
  #steps = 0;
  /** Wall time spent waiting on shared work ({@link SearchBudget.outside}), not held against this search. */
  #excused = 0;

  constructor(workMs = WORK_BUDGET_MS, wallMs = WALL_BUDGET_MS) {
    this.#workMs = workMs;
    this.#wallMs = wallMs;
  }

  /** Event-loop time used so far, in ms. */
  get spentMs(): number {
    return this.#spent + (performance.now() - this.#sliceStart);
  }

  /**
   * Counts `weight` units of work; every so often checks the clock. Returns a promise to await only
   * when the slice is over (null otherwise, so the hot loop pays no promise per message).
   */
  step(weight = 1): Promise<void> | null {
    this.#steps += weight;
    if (this.#steps < 64) return null;
    this.#steps = 0;
    const now = performance.now();
    if (now - this.#sliceStart < SLICE_MS) return null;
    return this.pause();
  }

  /**
   * Awaits work that is not this search's own: the body index built on first use (about 18 s of
   * sliced work over 100,000 messages, done once for every later search). Neither its event-loop
   * time nor its wall time counts against this search, or the first body-word search of a large
   * store would always be refused.
   */
  async outside<T>(work: Promise<T>): Promise<T> {
    const from = performance.now();
    this.#spent += from - this.#sliceStart;
    try {
      return await work;
    } finally {
      this.#sliceStart = performance.now();
      this.#excused += this.#sliceStart - from;
    }
  }

  /** Ends the slice: checks the budget, then waits for the next turn. */
  async pause(): Promise<void> {
    const now = performance.now();
    this.#spent += now - this.#sliceStart;
    this.#check(now);
    await nextTurn();
    this.#sliceStart = performance.now();
    this.#check(this.#sliceStart);
  }

  #check(now: number): void {
    if (this.#spent > this.#workMs) {
      throw new SearchTooExpensiveError(
        `search too expensive: stopped after ${Math.round(this.#spent)} ms of work; narrow it (fewer or longer words, a field such as subject: or from:, or a date)`,
      );
    }
    if (now - this.#started - this.#excused > this.#wallMs) {
      throw new SearchTooExpensiveError(
        `search too slow: no answer after ${Math.round(now - this.#started - this.#excused)} ms (other searches are running); narrow it or try again`,
      );
    }
  }
}
