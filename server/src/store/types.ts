import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import type { PackedTranscript } from './transcript-pack';

/** One line of the SMTP conversation that delivered a message. */
export interface TranscriptLine {
  /** Milliseconds since the epoch. */
  at: number;
  direction: 'client' | 'server';
  line: string;
}

/** The SMTP envelope: the only place Bcc recipients exist. */
export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
}

/** Facts about the SMTP session a message arrived in. */
export interface SessionInfo {
  clientAddress: string;
  helo: string;
  secure: boolean;
  tls: { protocol: string; cipher: string } | null;
  username: string;
  transcript: TranscriptLine[];
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

/** One stored message. Raw bytes are the truth; the summary is made once, after a burst of mail at the latest. */
export interface StoredMessage {
  readonly id: string;
  /** Insertion order, unique and increasing. */
  readonly seq: number;
  readonly raw: Buffer;
  /** Length of the raw bytes, without reading them. */
  readonly rawLength: number;
  readonly envelope: Envelope;
  readonly session: SessionInfo;
  /** Mutable fields: `Read` and `Tags`; change them through the store so events fire. */
  readonly summary: MessageSummary;
}

/** What the store tells the layers above. Transport code subscribes; the store imports none. */
export type StoreEvent =
  | { type: 'added'; message: StoredMessage }
  | { type: 'deleted'; ids: string[] }
  | { type: 'updated'; messages: StoredMessage[] }
  | { type: 'cleared' };
