import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import type { NotPromise } from './raw-holder';

/** The summary fields the ingest path computes from the message; the store adds ID, Read, Created. */
export type SummaryFields = Omit<MessageSummary, 'ID' | 'Read' | 'Created'>;

/** One line of the SMTP conversation that delivered a message. */
export interface TranscriptLine {
  /** Milliseconds since the epoch. */
  at: number;
  direction: 'client' | 'server';
  line: string;
}

/** What a client asked of delivery status notifications (RFC 3461) in MAIL FROM and RCPT TO. */
export interface DsnRequest {
  /** RET: `FULL` or `HDRS`; empty when not given. */
  ret: string;
  /** ENVID, xtext decoded (smtp-server decodes it); empty when not given. */
  envid: string;
  /** Per RCPT TO, in order: NOTIFY values (upper case, empty when not given) and ORCPT, decoded. */
  recipients: { address: string; notify: string[]; orcpt: string }[];
}

/** The SMTP envelope: the only place Bcc recipients exist. */
export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
  /** Delivery reports asked for; absent when the client asked none (most mail). */
  dsn?: DsnRequest;
}

/**
 * A transcript packed into strings: about 20 lines per message as objects cost some 800 bytes; as one
 * string 200. The lines before the first MAIL FROM (greeting, EHLO and its reply, STARTTLS, AUTH) are
 * the same for every message of a connection, so they are packed once per connection and shared.
 * Lines are `<ms since base> <C|S><text>`, joined by LF; transcript lines never hold a LF (the
 * recorder escapes control characters), and a transcript that does is kept as it is.
 */
export type PackedTranscript = { base: number; prefix: string; own: string } | { lines: TranscriptLine[] };

/** Facts about the SMTP session a message arrived in. */
export interface SessionInfo {
  clientAddress: string;
  helo: string;
  secure: boolean;
  tls: { protocol: string; cipher: string } | null;
  username: string;
  transcript: TranscriptLine[];
  /**
   * The provider HTTP API the message came through (`sendgrid`, `ses`...), whose request is then the
   * transcript; absent for SMTP.
   */
  via?: string;
}

/** Session facts as the ingest path hands them over: the SMTP recorder gives the transcript packed. */
export type IncomingSession = Omit<SessionInfo, 'transcript'> & { transcript: TranscriptLine[] | PackedTranscript };

/** What the ingest path hands to the store. */
export interface IncomingMessage {
  raw: Buffer;
  envelope: Envelope;
  session: IncomingSession;
  /** When the message was received. */
  created: Date;
}

/**
 * One stored message. Raw bytes are the truth; the summary is made once, after a burst of mail at the
 * latest. The bytes are not a property: {@link withRaw} lends them for the length of a call and
 * {@link keepRaw} gives bytes to keep, so every read says whether it borrows the store's memory.
 */
export interface StoredMessage {
  readonly id: string;
  /** Insertion order, unique and increasing. */
  readonly seq: number;
  /** When the message arrived, ms since the epoch (the summary's `Created`). */
  readonly created: number;
  /**
   * Calls `fn` with the exact bytes received (after dot-unstuffing; empty once the message is
   * deleted) and returns its result. The Buffer is lent: it is valid only while `fn` runs.
   */
  withRaw<T>(fn: (raw: Buffer) => NotPromise<T>): T;
  /**
   * The exact bytes received, for a reader that keeps them or awaits meanwhile: a copy of bytes
   * held in a slab, a large message's own Buffer (the store never writes it again). Read only.
   */
  keepRaw(): Buffer;
  /** Length of the raw bytes, without reading them. */
  readonly rawLength: number;
  readonly envelope: Envelope;
  readonly session: SessionInfo;
  /**
   * The list summary. `Read` and `Tags` change through the store, so that events fire; with
   * `--storage` a summary may be made afresh on each read (see {@link read} and {@link tags}).
   */
  readonly summary: MessageSummary;
  /** Read or not, without reading the summary. */
  readonly read: boolean;
  /** The summary's tags, without reading a summary kept on disk. */
  readonly tags: readonly string[];
  /** The summary's attachment count, without reading a summary kept on disk. */
  readonly attachments: number;
  /**
   * The snippet when the summary is in memory, for a plain-text search's first check; empty when it
   * is on disk, and the search then asks the body (which the snippet is taken from) instead.
   */
  readonly searchSnippet: string;
  /** The provider HTTP API the message came through (as in {@link session}); absent for SMTP. */
  readonly via: string | undefined;
  /** The lower-cased texts a search compares against (made on first use, or after a burst). */
  readonly record: SearchRecord;
}

/** What the store tells the layers above. Transport code subscribes; the store imports none. */
export type StoreEvent =
  | { type: 'added'; message: StoredMessage }
  /** `evicted`: the store dropped them to stay within its limits, rather than someone deleting them. */
  | { type: 'deleted'; ids: string[]; evicted?: true }
  | { type: 'updated'; messages: StoredMessage[] }
  | { type: 'cleared' };

/**
 * The lower-cased text a search compares against, made with the summary (its fields never change
 * after ingest) and kept in the message's entry. Read state, tags, size and dates are read from the
 * message itself (see {@link StoredMessage}). The address texts are shared between messages with the same (interned) lists: a
 * load test's 100,000 messages to 500 recipients hold 500 of each, not 100,000.
 */
export interface SearchRecord {
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly bcc: string;
  readonly replyTo: string;
  /** To, Cc and Bcc together (`addressed:`). */
  readonly addressed: string;
  readonly subject: string;
  readonly messageId: string;
  /** `has:inline`, found on first use: undefined until then. */
  inline: boolean | undefined;
}
