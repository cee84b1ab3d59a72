import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import {
  flat,
  internAddress,
  internAddressList,
  internEnvelope,
  internString,
  internStringList,
  internTls,
} from './intern';
import type { NotPromise, RawHolder } from './raw-holder';
import { searchRecord } from './search-record';
import { summaryData, summaryFields, type SummaryOffload } from './summary-data';
import { packTranscript, unpackTranscript } from './transcript-pack';
import type {
  Envelope,
  IncomingMessage,
  IncomingSession,
  PackedTranscript,
  SearchRecord,
  SessionInfo,
  StoredMessage,
  SummaryFields,
  TranscriptLine,
} from './types';

/**
 * The session facts a message keeps, shared by every message of one SMTP connection: the client, its
 * HELO, TLS and login, and the transcript lines before the first MAIL FROM. A message's own lines
 * (its MAIL FROM to the final dot, about 250 bytes) are kept in the slabs right after its bytes, and
 * compressed with them: they are read only when someone opens the session tab.
 */
type SharedSession = Omit<SessionInfo, 'transcript'> & ({ base: number; prefix: string } | { lines: TranscriptLine[] });

/**
 * Shared sessions by the facts of their connection; a connection's messages find the same object.
 * Connections opened by one client in the same millisecond have the same facts and differ only in
 * their prefix (the times of its lines): each key keeps a few, else 16 such connections replaced
 * each other's entry on every message, and 20,000 messages kept 10,000 sessions instead of 16.
 */
let sessions = new Map<string, SharedSession[]>();
const MAX_SESSIONS = 1000;
const MAX_PER_KEY = 64;

/** The shared session facts for these, and the text of the message's own transcript lines. */
function shareSession(session: IncomingSession): { shared: SharedSession; own: string } {
  const packed: PackedTranscript = Array.isArray(session.transcript)
    ? packTranscript(session.transcript)
    : session.transcript;
  const { clientAddress, helo, secure, username, via } = session;
  const tls = session.tls;
  if ('lines' in packed) {
    // A transcript whose lines hold line feeds (not from our recorder): kept whole, not shared.
    const shared: SharedSession = { clientAddress, helo, secure, tls, username, lines: packed.lines };
    if (via) shared.via = via;
    return { shared, own: '' };
  }
  const key = `${packed.base} ${clientAddress} ${secure} ${tls?.cipher ?? ''} ${helo}\u0000${username}\u0000${via ?? ''}`;
  let same = sessions.get(key);
  // The recorder makes one prefix string per connection: mostly the same string, compared at once.
  const known = same?.find((candidate) => 'prefix' in candidate && candidate.prefix === packed.prefix);
  if (known) return { shared: known, own: packed.own };
  if (!same || same.length >= MAX_PER_KEY) {
    if (sessions.size >= MAX_SESSIONS) sessions = new Map();
    same = [];
    sessions.set(key, same);
  }
  const shared: SharedSession = {
    clientAddress: internString(clientAddress),
    helo: internString(helo),
    secure,
    tls: tls ? internTls(tls) : null,
    username: internString(username),
    base: packed.base,
    prefix: packed.prefix,
  };
  if (via) shared.via = internString(via);
  same.push(shared);
  return { shared, own: packed.own };
}

const NO_TAGS: string[] = [];

/** Computes a message's summary fields from its bytes; run once, at the latest on first read. */
export type Summarizer = (raw: Buffer, envelope: Envelope, username: string) => SummaryFields;

/** What every entry of a store shares: where the bytes are, and whom to tell when a summary is made. */
export interface EntryContext<Ref = unknown> {
  readonly slabs: RawHolder<Ref>;
  /** Told once when an entry's summary is made (the store counts tags). */
  onSummary(entry: StoredEntry): void;
  /**
   * The summary fields a holder on disk keeps for a message (see {@link StoredEntry.leaveOnDisk});
   * null when it has none or cannot read them, and the summary is then made from the bytes again.
   */
  storedFields?(ref: Ref): SummaryFields | null;
  /** Makes the fields from the bytes, for a summary left on disk whose fields cannot be read. */
  readonly summarize: Summarizer;
}

/** What a deferred summary needs beyond the bytes; dropped once it is made. */
interface PendingSummary {
  summarizer: Summarizer;
  /** When the message arrived, ms since the epoch. */
  created: number;
  /** The summary's JSON, when the summary thread made it for a `new` event: parsed, not remade. */
  json?: string;
}

/**
 * One stored message in its compact form: raw bytes in the store's slabs, session facts shared per
 * connection, repeated strings, addresses and envelopes shared. `raw` and `session` are read on demand
 * and give the exact bytes and the full session facts, so readers see the plain {@link StoredMessage}
 * shape. Every field counts: 100,000 messages keep 100,000 of these.
 *
 * The summary may be made later than the message is stored: see {@link MessageStore.add}.
 */
export class StoredEntry implements StoredMessage {
  readonly id: string;
  readonly seq: number;
  /** When the message arrived, ms since the epoch (retention, `--max-age`). */
  readonly created: number;
  readonly envelope: Envelope;
  /** Where the raw bytes and the transcript's own lines are; `null` once the message is deleted. */
  ref: unknown;
  /** Bytes the body index took for this message's words, once indexed (counted against `maxBytes`). */
  indexBytes = 0;
  readonly #context: EntryContext;
  readonly #session: SharedSession;
  #summary: MessageSummary | null = null;
  #record: SearchRecord | null = null;
  #pending: PendingSummary | null = null;
  /**
   * What search and the counts read of the summary, kept here so that they need no summary: with
   * `--storage` the summary itself is left on disk once a snapshot holds its fields. Read state is
   * the low bit of `#counts`, the attachment count the rest: one field fewer in 100,000 entries.
   */
  #counts = 0;
  #tags: string[] = NO_TAGS;

  constructor(
    id: string,
    seq: number,
    incoming: IncomingMessage,
    fields: SummaryFields | Summarizer,
    context: EntryContext,
    restoredRef?: unknown,
  ) {
    this.id = id;
    this.seq = seq;
    this.created = incoming.created.getTime();
    this.#context = context;
    const { shared, own } = shareSession(incoming.session);
    this.#session = shared;
    // A message restored from disk has its bytes (and its own transcript lines) there already.
    this.ref = restoredRef ?? context.slabs.add(incoming.raw, own);
    this.envelope = internEnvelope(incoming.envelope);
    if (typeof fields === 'function') {
      this.#pending = { summarizer: fields, created: incoming.created.getTime() };
    } else {
      this.#build(fields, incoming.created.getTime());
    }
  }

  /**
   * The list summary; made from the bytes on first read when the store deferred it. Once left on
   * disk, each read makes a fresh one from the fields there (a list page reads 50, about 700 bytes
   * each): change `Read` and `Tags` through the store, never on the object.
   */
  get summary(): MessageSummary {
    if (this.#summary) return this.#summary;
    if (this.#pending) {
      const { summarizer, created, json } = this.#pending;
      const fields = json
        ? (JSON.parse(json) as SummaryFields)
        : this.withRaw((raw) => summarizer(raw, this.envelope, this.#session.username));
      return this.#build(fields, created);
    }
    const context = this.#context;
    const stored = this.ref ? context.storedFields?.(this.ref) : null;
    const fields = stored ?? this.withRaw((raw) => context.summarize(raw, this.envelope, this.#session.username));
    const summary = summaryData(this.id, fields, this.created, this.#session.via);
    summary.Read = this.read;
    summary.Tags = this.#tags;
    return summary;
  }

  /**
   * Lets the summary go, its fields being on disk (a snapshot of `--storage` holds them): what
   * search reads stays (the search record, read state, tags, attachments), and {@link summary}
   * reads the rest from there. At 100,000 messages the summaries and their texts were 53 of the
   * heap's 138 MB.
   */
  leaveOnDisk(): void {
    if (!this.#summary) return;
    void this.record;
    this.#summary = null;
  }

  /** The summary's fields while it is kept in memory (a snapshot writes them); null otherwise. */
  keptFields(): SummaryFields | null {
    return this.#summary ? summaryFields(this.#summary) : null;
  }

  /**
   * Has `offload` make this message's summary JSON (for a `new` event), and keeps the JSON to parse
   * when the summary is first read. `null` when the summary exists already or the message is gone.
   */
  offloadSummary(offload: SummaryOffload): Promise<string> | null {
    const pending = this.#pending;
    if (!pending || !this.ref) return null;
    const { id, envelope } = this;
    const { created } = pending;
    const { username, via } = this.#session;
    let json!: Promise<string>;
    // The offload copies the bytes before it returns, so the loan ends with the call.
    this.withRaw((raw) => {
      json = offload.summaryJson({ id, created, raw, envelope, username, via });
    });
    return json.then((text) => {
      if (this.#pending) this.#pending.json = text;
      return text;
    });
  }


  /**
   * The lower-cased texts a search compares against, made from the summary on first use (a search,
   * or the store's pass after a burst): not with the summary, which an open inbox makes on ingest.
   */
  get record(): SearchRecord {
    this.#record ??= searchRecord(this.summary);
    return this.#record;
  }

  /** Whether the summary was made yet (reading {@link summary} makes it). */
  get summarized(): boolean {
    return this.#pending === null;
  }

  /** Read or not, without making the summary. */
  get read(): boolean {
    return (this.#counts & 1) === 1;
  }

  /** Tags, without reading a summary left on disk (a deferred one is made). */
  get tags(): string[] {
    if (this.#pending) void this.summary;
    return this.#tags;
  }

  /** Attachments, as the summary counts them; without reading a summary left on disk. */
  get attachments(): number {
    if (this.#pending) void this.summary;
    return this.#counts >>> 1;
  }

  /** The snippet when the summary is in memory, for a plain-text search's first check; else empty. */
  get searchSnippet(): string {
    return (this.#summary ?? (this.#pending ? this.summary : null))?.Snippet ?? '';
  }

  get via(): string | undefined {
    return this.#session.via;
  }

  /** Marks the message read or unread (the store counts and records it). */
  setRead(read: boolean): void {
    this.#counts = (this.#counts & ~1) | (read ? 1 : 0);
    if (this.#summary) this.#summary.Read = read;
  }

  /** Replaces the tags (the store counts and records them). */
  setTags(tags: string[]): void {
    this.#tags = internStringList(tags);
    if (this.#summary) this.#summary.Tags = this.#tags;
  }

  #build(fields: SummaryFields, created: number): MessageSummary {
    this.#pending = null;
    const shared: SummaryFields = {
      MessageID: flat(fields.MessageID),
      From: fields.From ? internAddress(fields.From) : null,
      To: internAddressList(fields.To),
      Cc: internAddressList(fields.Cc),
      Bcc: internAddressList(fields.Bcc),
      ReplyTo: internAddressList(fields.ReplyTo),
      Subject: flat(fields.Subject),
      Username: internString(fields.Username),
      Tags: internStringList(fields.Tags),
      Size: fields.Size,
      Attachments: fields.Attachments,
      Snippet: flat(fields.Snippet),
      ...(fields.Security ? { Security: fields.Security } : {}),
    };
    const summary = summaryData(this.id, shared, created, this.#session.via);
    summary.Read = this.read;
    this.#summary = summary;
    this.#tags = shared.Tags;
    this.#counts = (Math.min(shared.Attachments, 0x3fffffff) << 1) | (this.#counts & 1);
    this.#context.onSummary(this);
    return summary;
  }

  withRaw<T>(fn: (raw: Buffer) => NotPromise<T>): T {
    return this.ref ? this.#context.slabs.read(this.ref, fn) : fn(Buffer.alloc(0));
  }

  keepRaw(): Buffer {
    return this.ref ? this.#context.slabs.keep(this.ref) : Buffer.alloc(0);
  }

  get rawLength(): number {
    return this.ref ? this.#context.slabs.length(this.ref) : 0;
  }

  /** The session facts and the transcript of the conversation that delivered this message. */
  get session(): SessionInfo {
    const { transcript, ...facts } = this.packedSession();
    return { ...facts, transcript: Array.isArray(transcript) ? transcript : unpackTranscript(transcript) };
  }

  /**
   * The session facts with the transcript still packed, as the journal and snapshots write it: a
   * snapshot of 100,000 messages would otherwise unpack every transcript into line objects only to
   * pack it again.
   */
  packedSession(): IncomingSession {
    const { clientAddress, helo, secure, tls, username, via } = this.#session;
    const facts: Omit<SessionInfo, 'transcript'> = { clientAddress, helo, secure, tls, username };
    if (via) facts.via = via;
    if ('lines' in this.#session) return { ...facts, transcript: this.#session.lines };
    const own = this.ref ? this.#context.slabs.text(this.ref) : '';
    return { ...facts, transcript: { base: this.#session.base, prefix: this.#session.prefix, own } };
  }

  /** Gives the message's bytes back to the slabs (it is being deleted). */
  release(): void {
    if (this.ref) this.#context.slabs.release(this.ref);
    this.ref = null;
  }
}
