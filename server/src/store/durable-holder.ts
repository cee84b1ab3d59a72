// What a raw-bytes holder on disk (`--storage`) offers beyond the in-memory one: see MessageStore.
import type { RawHolder } from './raw-holder';
import type { Envelope, IncomingSession, SummaryFields } from './types';

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

/**
 * A stored message as a durable holder writes it into a snapshot of its folder. `fields` is null
 * also for a summary left on disk: the holder copies the fields it keeps ({@link DurableHolder.fieldsOnDisk}).
 */
export type SnapshotMessage<Ref> = RestoredMessage<Ref>;

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
  /**
   * Gives the holder the store's messages, which it writes into its snapshots, their refs alone
   * (which {@link RawHolder.clear} lets go: the holder keeps no list of its own), and whom to tell
   * after each snapshot (the summaries whose fields it now holds can be let go).
   */
  attach(
    messages: () => Iterable<SnapshotMessage<Ref>>,
    refs: () => Iterable<Ref>,
    onSnapshot?: () => void,
  ): void;
  /** Whether the holder keeps this message's summary fields (in its snapshot), for {@link storedFields}. */
  fieldsOnDisk(ref: Ref): boolean;
  /** The summary fields kept for this message; null when there are none or they cannot be read. */
  storedFields(ref: Ref): SummaryFields | null;
  /** Writes and fsyncs every file, then a snapshot, and drops the journals it covers; resolves when done. */
  checkpoint(): Promise<void>;
  /** Writes what is pending and a snapshot; resolves when done (at stop). */
  close(): Promise<void>;
}
