import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import type { Envelope, SummaryFields } from './types';

let lastCreated = Number.NaN;
let lastCreatedText = '';

/** The ISO text of a time; messages of one millisecond (a burst has several) share one string. */
function createdText(created: number): string {
  if (created !== lastCreated) {
    lastCreated = created;
    lastCreatedText = new Date(created).toISOString();
  }
  return lastCreatedText;
}

/**
 * A message's list summary from its fields, in the key order of Mailpit's JSON. The store builds
 * its kept summaries with it (from shared copies of the fields), and the summary thread the JSON of
 * a `new` event, so that both spell the same text.
 */
export function summaryData(id: string, fields: SummaryFields, created: number, via?: string): MessageSummary {
  return {
    ID: id,
    MessageID: fields.MessageID,
    Read: false,
    From: fields.From,
    To: fields.To,
    Cc: fields.Cc,
    Bcc: fields.Bcc,
    ReplyTo: fields.ReplyTo,
    Subject: fields.Subject,
    Created: createdText(created),
    Username: fields.Username,
    Tags: fields.Tags,
    Size: fields.Size,
    Attachments: fields.Attachments,
    Snippet: fields.Snippet,
    // Only signed or encrypted mail has the key: plain summaries keep Mailpit's shape and size.
    ...(fields.Security ? { Security: fields.Security } : {}),
    // Only API messages carry it (the provider they came through), so SMTP summaries keep Mailpit's keys.
    ...(via ? { Via: via } : {}),
  };
}

/**
 * The fields of a kept summary, as a snapshot on disk stores them (what {@link summaryData} adds is
 * left out). Spelled out rather than a rest pattern (`{ ID, Read, Created, Via, ...fields }`): in a
 * snapshot of 40,000 messages V8 allocated those copies in its old generation (pretenured), where
 * they stayed as garbage until a full collection, 80 MB of the 150 the snapshot left behind.
 */
export function summaryFields(s: MessageSummary): SummaryFields {
  const fields: SummaryFields = {
    MessageID: s.MessageID,
    From: s.From,
    To: s.To,
    Cc: s.Cc,
    Bcc: s.Bcc,
    ReplyTo: s.ReplyTo,
    Subject: s.Subject,
    Username: s.Username,
    Tags: s.Tags,
    Size: s.Size,
    Attachments: s.Attachments,
    Snippet: s.Snippet,
  };
  if (s.Security) fields.Security = s.Security;
  return fields;
}

/** What a summary made elsewhere needs: the message's identity, its bytes and its envelope. */
export interface SummaryJob {
  id: string;
  /** When the message arrived, ms since the epoch. */
  created: number;
  /** Lent for the call to {@link SummaryOffload.summaryJson} only: copy what you keep. */
  raw: Buffer;
  envelope: Envelope;
  username: string;
  /** The provider HTTP API the message came through; absent for SMTP. */
  via?: string | undefined;
}

/**
 * Makes summaries off the event loop's thread (`mail/summary-thread.ts`): the JSON text of a
 * message's summary, as `JSON.stringify(summaryData(...))` spells it. Rejects when the summary
 * cannot be made; the store then makes it itself.
 */
export interface SummaryOffload {
  summaryJson(job: SummaryJob): Promise<string>;
  /** Gets ready for jobs (starts the thread), so that the first does not pay for it. */
  warm(): void;
  /** Stops the thread; later jobs start it again. */
  close(): void;
}
