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
