import type { Envelope, IncomingSession, SessionInfo, SummaryFields } from './types';

/** A callback's result that is not a promise: bytes lent to a callback must not outlive the call. */
export type NotPromise<T> = T extends PromiseLike<unknown> ? never : T;

/**
 * What keeps the raw bytes of stored messages, each with a short text beside them (the transcript's
 * own lines). `Ref` is the holder's handle for one message. The store uses only this, so that a
 * holder on disk can take the place of the in-memory one ({@link RawSlabs}).
 */
export interface RawHolder<Ref> {
  /** Memory held for raw messages, in bytes (compressed where compressed). */
  readonly heldBytes: number;
  /** Keeps a message's bytes and a text beside them; returns the handle. */
  add(raw: Buffer, text?: string): Ref;
  /**
   * Calls `fn` with the message's bytes and returns its result. The bytes may be a view into memory
   * the holder reuses later: valid only while `fn` runs, which is why `fn` cannot be async.
   */
  read<T>(ref: Ref, fn: (raw: Buffer) => NotPromise<T>): T;
  /** The message's bytes for the caller to keep: never written or reused by the holder afterwards. */
  keep(ref: Ref): Buffer;
  /** The text kept beside the bytes. */
  text(ref: Ref): string;
  /** Length of the bytes, without reading them. */
  length(ref: Ref): number;
  /** Forgets one message. */
  release(ref: Ref): void;
  /** Forgets every message. */
  clear(): void;
  /**
   * Holds the holder's own background work (compression) back until the returned function is
   * called, while the store reads every message once; within the holder's memory bounds.
   */
  pause(): () => void;
  /** Resolves once deferred work (compression) is done; `sealOpen` also finishes a partly filled unit. */
  settled(sealOpen?: boolean): Promise<void>;
}

/** What a message carries besides its bytes, as a holder on disk keeps it beside them. */
export interface MessageFacts {
  id: string;
  /** When the message arrived, ms since the epoch. */
  created: number;
  envelope: Envelope;
  session: IncomingSession;
}

/** One message as a holder on disk found it at start, for {@link MessageStore.restore}. */
export interface RestoredMessage<Ref> extends MessageFacts {
  ref: Ref;
  read: boolean;
  /** Tags as last set; null when never set, so that the headers (`X-Tags`) give them. */
  tags: string[] | null;
  /** The summary fields kept beside the bytes; null when they must be made from the bytes again. */
  fields: SummaryFields | null;
}

/** A stored message as a durable holder writes it into a snapshot of its folder. */
export interface SnapshotMessage<Ref> extends Omit<RestoredMessage<Ref>, 'session'> {
  session: SessionInfo;
}

/**
 * A holder that keeps the bytes on disk (`--storage`): it is also told what else a message carries
 * and when its read state or tags change, and a message counts as received only once the holder
 * says it is durable. The in-memory holder is not one of these, so its path pays for none of it.
 */
export interface DurableHolder<Ref> extends RawHolder<Ref> {
  /** Records a message just added (its `ref` from {@link RawHolder.add}); resolves once it is durable. */
  journal(ref: Ref, facts: MessageFacts): Promise<void>;
  /** Records a message's read state and tags. */
  changed(ref: Ref, read: boolean, tags: readonly string[]): void;
  /** Gives the holder the store's messages, which it writes into its snapshots. */
  attach(messages: () => Iterable<SnapshotMessage<Ref>>): void;
  /** Writes what is pending and a snapshot; resolves when done (at stop). */
  close(): Promise<void>;
}
