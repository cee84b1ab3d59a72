import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';

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

/** What the ingest path hands to the store. */
export interface IncomingMessage {
  raw: Buffer;
  envelope: Envelope;
  session: SessionInfo;
  /** When the message was received. */
  created: Date;
}

/** One stored message. Raw bytes are the truth; the summary is computed once at ingest. */
export interface StoredMessage {
  readonly id: string;
  /** Insertion order, unique and increasing. */
  readonly seq: number;
  readonly raw: Buffer;
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
