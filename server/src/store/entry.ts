import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { flat, internAddress, internAddressList, internString, internStringList } from './intern';
import type { RawRef, RawSlabs } from './raw-slabs';
import { packTranscript, unpackTranscript, type PackedTranscript } from './transcript-pack';
import type { Envelope, IncomingMessage, IncomingSession, SessionInfo, StoredMessage } from './types';
import type { SummaryFields } from './store';

type PackedSession = Omit<SessionInfo, 'transcript'> & { transcript: PackedTranscript };

/**
 * A transcript's own lines (this message's MAIL FROM to the final dot, about 250 bytes) kept in the
 * slabs beside the raw messages, compressed with them: as a string on the heap they were the largest
 * thing a message kept after its snippet, and they are read only when someone opens the session tab.
 */
const OWN_LINES_IN_SLAB = 64;

const tlsInterned = new Map<string, { protocol: string; cipher: string }>();

function packSession(session: IncomingSession): PackedSession {
  let tls = session.tls;
  if (tls) {
    const key = `${tls.protocol} ${tls.cipher}`;
    tls = tlsInterned.get(key) ?? tlsInterned.set(key, { ...tls }).get(key)!;
  }
  return {
    clientAddress: internString(session.clientAddress),
    helo: internString(session.helo),
    secure: session.secure,
    tls,
    username: internString(session.username),
    transcript: Array.isArray(session.transcript) ? packTranscript(session.transcript) : session.transcript,
  };
}

/** Computes a message's summary fields from its bytes; run once, at the latest on first read. */
export type Summarizer = (raw: Buffer, envelope: Envelope, username: string) => SummaryFields;

/**
 * One stored message in its compact form: raw bytes in the store's slabs, the transcript packed,
 * repeated strings and addresses shared. `raw` and `session` are read on demand and give the exact
 * bytes and the full session facts, so readers see the plain {@link StoredMessage} shape.
 *
 * The summary may be computed later than the message is stored: see {@link MessageStore.add}. Until
 * then the entry keeps what the summary needs beyond the bytes (the summarizer and the time received).
 */
export class StoredEntry implements StoredMessage {
  readonly id: string;
  readonly seq: number;
  readonly envelope: Envelope;
  /** Where the raw bytes are; `null` once the message is deleted. */
  ref: RawRef | null;
  readonly #slabs: RawSlabs;
  readonly #session: PackedSession;
  /** Where the transcript's own lines are when they were moved into the slabs. */
  #ownLines: RawRef | null = null;
  #summary: MessageSummary | null = null;
  /** Until the summary is made: how, and when the message arrived (ms since the epoch). */
  #summarizer: Summarizer | null = null;
  #created = 0;
  /** Told once when the summary is made (the store counts tags). */
  readonly #onSummary: (entry: StoredEntry) => void;

  constructor(
    id: string,
    seq: number,
    incoming: IncomingMessage,
    fields: SummaryFields | Summarizer,
    slabs: RawSlabs,
    onSummary: (entry: StoredEntry) => void,
  ) {
    this.id = id;
    this.seq = seq;
    this.#slabs = slabs;
    this.#onSummary = onSummary;
    this.ref = slabs.add(incoming.raw);
    this.envelope = {
      mailFrom: internString(incoming.envelope.mailFrom),
      rcptTo: internStringList(incoming.envelope.rcptTo),
    };
    this.#session = packSession(incoming.session);
    const transcript = this.#session.transcript;
    if ('own' in transcript && transcript.own.length >= OWN_LINES_IN_SLAB && !('own' in this.ref)) {
      this.#ownLines = slabs.addText(transcript.own);
      this.#session.transcript = { base: transcript.base, prefix: transcript.prefix, own: '' };
    }
    if (typeof fields === 'function') {
      this.#summarizer = fields;
      this.#created = incoming.created.getTime();
    } else {
      this.#build(fields, incoming.created.getTime());
    }
  }

  /** The list summary; computed from the bytes on first read when the store deferred it. */
  get summary(): MessageSummary {
    return this.#summary ?? this.#summarize();
  }

  /** Whether the summary exists yet (reading {@link summary} makes it). */
  get summarized(): boolean {
    return this.#summary !== null;
  }

  /** Read or not, without making the summary: a message is unread until its summary says otherwise. */
  get read(): boolean {
    return this.#summary !== null && this.#summary.Read;
  }

  #summarize(): MessageSummary {
    const summarizer = this.#summarizer!;
    // Read in place, not through `raw`: a view handed out would keep the slab from being reused.
    const raw = this.ref ? this.#slabs.peek(this.ref) : Buffer.alloc(0);
    return this.#build(summarizer(raw, this.envelope, this.#session.username), this.#created);
  }

  #build(fields: SummaryFields, created: number): MessageSummary {
    this.#summarizer = null;
    this.#created = 0;
    const summary: MessageSummary = {
      ID: this.id,
      MessageID: flat(fields.MessageID),
      Read: false,
      From: fields.From ? internAddress(fields.From) : null,
      To: internAddressList(fields.To),
      Cc: internAddressList(fields.Cc),
      Bcc: internAddressList(fields.Bcc),
      ReplyTo: internAddressList(fields.ReplyTo),
      Subject: flat(fields.Subject),
      Created: new Date(created).toISOString(),
      Username: internString(fields.Username),
      Tags: internStringList(fields.Tags),
      Size: fields.Size,
      Attachments: fields.Attachments,
      Snippet: flat(fields.Snippet),
    };
    this.#summary = summary;
    this.#onSummary(this);
    return summary;
  }

  /** The exact bytes received (after dot-unstuffing). Empty once the message is deleted. */
  get raw(): Buffer {
    return this.ref ? this.#slabs.get(this.ref) : Buffer.alloc(0);
  }

  /** Length of the raw bytes, without reading them. */
  get rawLength(): number {
    const ref = this.ref;
    if (!ref) return 0;
    return 'own' in ref ? ref.own.length : ref.length;
  }

  /** The session facts and the transcript of the conversation that delivered this message. */
  get session(): SessionInfo {
    let transcript = this.#session.transcript;
    if (this.#ownLines && 'own' in transcript) {
      transcript = { ...transcript, own: this.#slabs.get(this.#ownLines).toString('utf8') };
    }
    return { ...this.#session, transcript: unpackTranscript(transcript) };
  }

  /** Gives the message's bytes back to the slabs (it is being deleted). */
  release(): void {
    if (this.ref) this.#slabs.release(this.ref);
    if (this.#ownLines) this.#slabs.release(this.#ownLines);
    this.ref = null;
    this.#ownLines = null;
  }
}
