import { addressedTo } from '../pop3/mailbox';
import type { MessageStore } from '../store/store';
import type { StoreEvent, StoredMessage } from '../store/types';

/**
 * What every IMAP session of one server shares: the store, the `\Deleted` flags (IMAP's own; the
 * store keeps `\Seen` as the web UI's read state), UIDVALIDITY, and who to tell when a `\Deleted`
 * changes. UIDs are the store's insertion sequence numbers: unique, ascending, never reused.
 */
export class ImapShared {
  readonly store: MessageStore;
  /** Fixed for the life of the store: the time the first IMAP server on it started, in seconds. */
  readonly uidValidity: number;
  readonly #deleted = new Set<string>();
  readonly #flagWatchers = new Set<(ids: string[]) => void>();
  #uidNext: number;
  readonly #unsubscribe: () => void;

  constructor(store: MessageStore) {
    this.store = store;
    this.uidValidity = uidValidityOf(store);
    this.#uidNext = (store.latest()?.seq ?? 0) + 1;
    this.#unsubscribe = store.subscribe((event) => {
      if (event.type === 'added') this.#uidNext = Math.max(this.#uidNext, event.message.seq + 1);
      else if (event.type === 'deleted') for (const id of event.ids) this.#deleted.delete(id);
      else if (event.type === 'cleared') this.#deleted.clear();
    });
  }

  /** The UID the next message will have at the least. */
  get uidNext(): number {
    return this.#uidNext;
  }

  /** Whether the message carries `\Deleted`. */
  isDeleted(id: string): boolean {
    return this.#deleted.has(id);
  }

  /** Sets or clears `\Deleted` and tells every selected session whose flags changed. */
  setDeleted(ids: readonly string[], deleted: boolean): void {
    const changed = ids.filter((id) => this.#deleted.has(id) !== deleted);
    for (const id of changed) {
      if (deleted) this.#deleted.add(id);
      else this.#deleted.delete(id);
    }
    if (changed.length > 0) for (const watcher of this.#flagWatchers) watcher(changed);
  }

  /** Calls `watcher` with the IDs whose `\Deleted` changed, until the returned function is called. */
  watchFlags(watcher: (ids: string[]) => void): () => void {
    this.#flagWatchers.add(watcher);
    return () => this.#flagWatchers.delete(watcher);
  }

  /** The flags of a message as FETCH FLAGS lists them. */
  flags(message: StoredMessage): string {
    const flags: string[] = [];
    if (message.read) flags.push('\\Seen');
    if (this.#deleted.has(message.id)) flags.push('\\Deleted');
    return flags.join(' ');
  }

  /** Stops following the store. */
  close(): void {
    this.#unsubscribe();
    this.#flagWatchers.clear();
  }
}

const validities = new WeakMap<MessageStore, number>();

function uidValidityOf(store: MessageStore): number {
  let value = validities.get(store);
  if (value === undefined) {
    value = Math.max(1, Math.floor(Date.now() / 1000));
    validities.set(store, value);
  }
  return value;
}

/** Untagged responses waiting for a moment when the client may be told. */
export interface Pending {
  added: StoredMessage[];
  expunged: Set<string>;
  flags: Set<string>;
  cleared: boolean;
}

/**
 * A selected mailbox: the messages a login sees, oldest first (message N is `messages[N - 1]`), kept
 * as the client was last told. Store events wait in {@link pending} until {@link flush}, since
 * sequence numbers may change only between commands (RFC 3501 section 7.4.1).
 */
export class MailboxView {
  readonly readOnly: boolean;
  messages: StoredMessage[];
  readonly #shared: ImapShared;
  readonly #filter: (m: StoredMessage) => boolean;
  readonly #pending: Pending = { added: [], expunged: new Set(), flags: new Set(), cleared: false };
  readonly #stops: (() => void)[];
  /** Called when something waits to be told (an IDLE session sends it at once). */
  onPending: (() => void) | null = null;

  constructor(shared: ImapShared, login: string, readOnly: boolean) {
    this.#shared = shared;
    this.readOnly = readOnly;
    this.#filter = mailboxFilter(login);
    this.messages = [...shared.store.newestFirst()].filter(this.#filter).reverse();
    this.#stops = [
      shared.store.subscribe((event) => this.#onStore(event)),
      shared.watchFlags((ids) => {
        for (const id of ids) this.#pending.flags.add(id);
        this.onPending?.();
      }),
    ];
  }

  /** Stops following the store (on CLOSE, another SELECT, or the end of the connection). */
  close(): void {
    for (const stop of this.#stops) stop();
  }

  /** Whether anything waits to be told. */
  get hasPending(): boolean {
    const p = this.#pending;
    return p.added.length > 0 || p.expunged.size > 0 || p.flags.size > 0 || p.cleared;
  }

  /** Forgets pending flag changes of these messages (their FETCH has just told them). */
  told(ids: Iterable<string>): void {
    for (const id of ids) this.#pending.flags.delete(id);
  }

  /**
   * The login's filter, never throwing: this runs inside the store's event, on the SMTP path, where
   * an exception would reach the client that delivered the message.
   */
  #matches(message: StoredMessage): boolean {
    try {
      return this.#filter(message);
    } catch {
      return false;
    }
  }

  #onStore(event: StoreEvent): void {
    const p = this.#pending;
    if (event.type === 'added') {
      if (this.#matches(event.message)) p.added.push(event.message);
    } else if (event.type === 'deleted') {
      for (const id of event.ids) p.expunged.add(id);
    } else if (event.type === 'cleared') {
      p.cleared = true;
      p.added = [];
    } else {
      for (const m of event.messages) p.flags.add(m.id);
    }
    this.onPending?.();
  }

  /**
   * The untagged responses for what changed, applied to the view: `* N EXPUNGE` (only when
   * `expunges` is true: never during FETCH, STORE or SEARCH), `* N EXISTS`, `* N FETCH (FLAGS ...)`.
   */
  flush(expunges: boolean): string[] {
    const p = this.#pending;
    const out: string[] = [];
    if (expunges && (p.expunged.size > 0 || p.cleared)) {
      const kept: StoredMessage[] = [];
      let removed = 0;
      this.messages.forEach((m, i) => {
        if (p.cleared || p.expunged.has(m.id)) {
          out.push(`* ${i + 1 - removed} EXPUNGE`);
          removed++;
        } else {
          kept.push(m);
        }
      });
      // A message added and deleted while the client was not told is never announced.
      p.added = p.added.filter((m) => !p.expunged.has(m.id));
      this.messages = kept;
      p.expunged.clear();
      p.cleared = false;
    }
    if (p.added.length > 0) {
      const known = new Set(this.messages.map((m) => m.seq));
      for (const m of p.added) if (!known.has(m.seq)) this.messages.push(m);
      p.added = [];
      out.push(`* ${this.messages.length} EXISTS`);
    }
    if (p.flags.size > 0) {
      this.messages.forEach((m, i) => {
        if (p.flags.has(m.id)) out.push(`* ${i + 1} FETCH (UID ${m.seq} FLAGS (${this.#shared.flags(m)}))`);
      });
      p.flags.clear();
    }
    return out;
  }

  /** The highest UID in the view, or 0. */
  get maxUid(): number {
    return this.messages[this.messages.length - 1]?.seq ?? 0;
  }
}

/**
 * Which messages a login sees, by the POP3 rule: a login that is an address sees the mail addressed
 * to it; any other name sees every message.
 */
export function mailboxFilter(login: string): (m: StoredMessage) => boolean {
  return login.includes('@') ? (m) => addressedTo(m, login) : () => true;
}
