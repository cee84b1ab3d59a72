import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';

/** One page as the API answers it. */
export interface PageResult {
  /** Messages matching the view's query (all when none). */
  matching: number;
  /** Unread messages matching the view's query. */
  unread: number;
  messages: MessageSummary[];
}

/** Loads `limit` summaries from `start`, newest first, for one view (all mail, a search...). */
export type PageFetcher = (start: number, limit: number, signal: AbortSignal) => Promise<PageResult>;

/** Rows per API request: a screenful or two, small enough to answer in a few ms. */
export const PAGE_SIZE = 100;
/** At most this many page requests in flight; a fast scroll drops pages that left the view. */
const MAX_IN_FLIGHT = 3;

/**
 * The inbox list as a sparse array over the whole matching set, so that 100,000 messages cost one
 * array slot each and only the rows near the view are fetched, a page at a time.
 *
 * Live events change the list while pages are in flight, and a page and an event travel on different
 * connections, so either may come first. A page says how many messages matched when the server
 * computed it; the difference to the rows known here is the number of arrivals one side has seen and
 * the other not, which is exactly how far the page is shifted (either way). A delete at an unknown
 * place cannot be corrected that way, so pages in flight across one are dropped and fetched again.
 */
export class MessageWindow {
  #rows: (MessageSummary | undefined)[] = [];
  #matching = 0;
  #unread = 0;
  #loaded = false;
  #error: string | null = null;
  #version = 0;
  #prepends = 0;
  /** The next page sets the row count (first load, reload): no count known here to compare with. */
  #adopt = true;
  #epoch = 0;
  #want: [number, number] = [0, PAGE_SIZE];
  readonly #inFlight = new Map<number, AbortController>();
  readonly #listeners = new Set<() => void>();

  constructor(readonly fetchPage: PageFetcher) {}

  /** Subscribes to changes (for `useSyncExternalStore`). */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** A number that changes whenever anything visible changes. */
  getVersion = (): number => this.#version;

  /** Rows in the view (loaded or not). */
  get size(): number {
    return this.#rows.length;
  }
  /** Messages matching the view. */
  get matching(): number {
    return this.#matching;
  }
  /** Unread messages matching the view. */
  get unread(): number {
    return this.#unread;
  }
  /** True once the first page answered. */
  get loaded(): boolean {
    return this.#loaded;
  }
  /** The last load error, if the server could not be reached. */
  get error(): string | null {
    return this.#error;
  }

  /** How many messages were prepended since the window was made (to keep the scroll position). */
  get prepends(): number {
    return this.#prepends;
  }

  /** The summary at `index`, or undefined while its page loads. */
  at(index: number): MessageSummary | undefined {
    return this.#rows[index];
  }

  /** The index of a loaded message, or -1. */
  indexOf(id: string): number {
    return this.#rows.findIndex((m) => m?.ID === id);
  }

  /** Every loaded summary in index order between `from` and `to` inclusive. */
  slice(from: number, to: number): MessageSummary[] {
    const out: MessageSummary[] = [];
    for (let i = Math.max(0, from); i <= Math.min(to, this.#rows.length - 1); i++) {
      const row = this.#rows[i];
      if (row) out.push(row);
    }
    return out;
  }

  /** Tells the window which rows are on screen; fetches the pages they need. */
  want(from: number, to: number): void {
    this.#want = [Math.max(0, from), Math.max(from, to)];
    this.#pump();
  }

  /**
   * Applies a batch of live changes in one pass over the rows: messages that arrived (oldest
   * first; prepended, so the newest ends on top), IDs deleted, and field changes (read state,
   * tags). Events come one per message (a "delete all" of 100,000 sends 100,000), so callers
   * collect them for a frame and apply them here, never one by one.
   */
  apply(batch: {
    added?: readonly MessageSummary[];
    removed?: ReadonlySet<string>;
    updated?: ReadonlyMap<string, Partial<MessageSummary>>;
  }): void {
    const { added = [], removed, updated } = batch;
    let changed = false;
    if ((removed && removed.size > 0) || (updated && updated.size > 0)) {
      const before = this.#rows.length;
      let unreadDelta = 0;
      const next: (MessageSummary | undefined)[] = [];
      for (const row of this.#rows) {
        if (!row) {
          next.push(row);
          continue;
        }
        if (removed?.has(row.ID)) {
          if (!row.Read) unreadDelta--;
          continue;
        }
        const change = updated?.get(row.ID);
        if (change) {
          if (change.Read !== undefined && change.Read !== row.Read) unreadDelta += change.Read ? -1 : 1;
          next.push({ ...row, ...change });
          changed = true;
        } else next.push(row);
      }
      const gone = before - next.length;
      this.#rows = next;
      this.#unread = Math.max(0, this.#unread + unreadDelta);
      if (gone > 0) {
        this.#matching = Math.max(0, this.#matching - gone);
        changed = true;
        this.#restartInFlight();
      }
      if (unreadDelta !== 0) changed = true;
    }
    const known = new Set<string>();
    if (added.length > 0) for (const row of this.#rows) if (row) known.add(row.ID);
    const fresh = added.filter((m) => !removed?.has(m.ID) && !known.has(m.ID));
    if (fresh.length > 0) {
      this.#rows = [...fresh.reverse(), ...this.#rows];
      this.#prepends += fresh.length;
      this.#matching += fresh.length;
      this.#unread += fresh.filter((m) => !m.Read).length;
      changed = true;
    }
    if (changed) this.#changed();
  }

  /** Changes the read state of every loaded message (after "mark all read"). */
  patchAll(change: Partial<MessageSummary>): void {
    this.#rows = this.#rows.map((m) => (m ? { ...m, ...change } : m));
    if (change.Read === true) this.#unread = 0;
    this.#changed();
  }

  /** Forgets every row and loads the rows in view again (after a reconnect or a bulk change). */
  reload(): void {
    this.#epoch++;
    this.#adopt = true;
    for (const controller of this.#inFlight.values()) controller.abort();
    this.#inFlight.clear();
    // Keep the row count so the scroll position survives; rows refill as their pages answer.
    this.#rows = new Array<MessageSummary | undefined>(this.#rows.length);
    this.#changed();
    this.#pump();
  }

  /** Stops the requests in flight (the view went away); a later `want` starts again. */
  abort(): void {
    for (const controller of this.#inFlight.values()) controller.abort();
    this.#inFlight.clear();
  }

  #restartInFlight(): void {
    this.#epoch++;
    for (const controller of this.#inFlight.values()) controller.abort();
    this.#inFlight.clear();
    this.#pump();
  }

  #changed(): void {
    this.#version++;
    for (const listener of this.#listeners) listener();
  }

  /** Starts requests for the missing pages in view, nearest the top of the view first. */
  #pump(): void {
    const [from, to] = this.#want;
    const first = Math.floor(from / PAGE_SIZE);
    const last = this.#loaded ? Math.floor(Math.min(to, Math.max(0, this.#rows.length - 1)) / PAGE_SIZE) : first;
    // Drop requests for pages that scrolled far out of view.
    for (const [page, controller] of this.#inFlight) {
      if (page < first - 1 || page > last + 1) {
        controller.abort();
        this.#inFlight.delete(page);
      }
    }
    for (let page = first; page <= last && this.#inFlight.size < MAX_IN_FLIGHT; page++) {
      if (this.#inFlight.has(page) || (this.#loaded && this.#pageComplete(page))) continue;
      this.#load(page);
    }
  }

  #pageComplete(page: number): boolean {
    const end = Math.min((page + 1) * PAGE_SIZE, this.#rows.length);
    for (let i = page * PAGE_SIZE; i < end; i++) if (!this.#rows[i]) return false;
    return true;
  }

  #load(page: number): void {
    const controller = new AbortController();
    this.#inFlight.set(page, controller);
    const epoch = this.#epoch;
    const start = page * PAGE_SIZE;
    this.fetchPage(start, PAGE_SIZE, controller.signal).then(
      (result) => {
        if (this.#inFlight.get(page) === controller) this.#inFlight.delete(page);
        if (controller.signal.aborted || epoch !== this.#epoch) return;
        this.#place(start, result);
        this.#pump();
      },
      (err: unknown) => {
        if (this.#inFlight.get(page) === controller) this.#inFlight.delete(page);
        if (controller.signal.aborted) return;
        this.#error = err instanceof Error ? err.message : String(err);
        this.#changed();
      },
    );
  }

  #place(start: number, result: PageResult): void {
    const shift = this.#adopt ? 0 : this.#rows.length - result.matching;
    this.#adopt = false;
    const total = result.matching + shift;
    if (total !== this.#rows.length) this.#rows.length = total;
    result.messages.forEach((message, i) => {
      const at = start + shift + i;
      // Below 0: mail the server had and whose event has not come yet; it is prepended when it does.
      if (at >= 0 && at < total) this.#rows[at] = message;
    });
    this.#matching = total;
    if (shift === 0) this.#unread = result.unread;
    this.#loaded = true;
    this.#error = null;
    this.#changed();
  }
}
