import type { Address } from '@pigeonhole/shared/schemas/common';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { createdText } from './summary-data';
import type { TextGroups } from './text-groups';
import type { SummaryFields } from './types';

/**
 * A stored message's list summary. Reads as a {@link MessageSummary} (the snippet through a getter)
 * and serialises to the same JSON, in the same key order, as `summaryData` gives: the snippet is kept
 * deflated with its neighbours' ({@link TextGroups}), which took about 150 bytes a message off the
 * heap (15 MB at 100,000 messages). Spreading or `structuredClone` would lose the snippet: copy it
 * with {@link toJSON}.
 */
export class KeptSummary implements MessageSummary {
  readonly ID: string;
  readonly MessageID: string;
  Read = false;
  readonly From: Address | null;
  readonly To: Address[];
  readonly Cc: Address[];
  readonly Bcc: Address[];
  readonly ReplyTo: Address[];
  readonly Subject: string;
  readonly Created: string;
  readonly Username: string;
  Tags: string[];
  readonly Size: number;
  readonly Attachments: number;
  declare readonly Security?: NonNullable<MessageSummary['Security']>;
  declare readonly Via?: string;
  readonly #texts: TextGroups;
  readonly #snippet: number;

  constructor(id: string, fields: SummaryFields, created: number, via: string | undefined, texts: TextGroups) {
    this.ID = id;
    this.MessageID = fields.MessageID;
    this.From = fields.From;
    this.To = fields.To;
    this.Cc = fields.Cc;
    this.Bcc = fields.Bcc;
    this.ReplyTo = fields.ReplyTo;
    this.Subject = fields.Subject;
    this.Created = createdText(created);
    this.Username = fields.Username;
    this.Tags = fields.Tags;
    this.Size = fields.Size;
    this.Attachments = fields.Attachments;
    this.#texts = texts;
    this.#snippet = texts.add(fields.Snippet);
    // Only signed or encrypted mail has the key, and only API messages `Via`: plain summaries keep
    // Mailpit's shape.
    if (fields.Security) (this as { Security?: NonNullable<MessageSummary['Security']> }).Security = fields.Security;
    if (via) (this as { Via?: string }).Via = via;
  }

  get Snippet(): string {
    return this.#texts.get(this.#snippet);
  }

  /** Lets the snippet go (the message is deleted); a later read may give ''. */
  release(): void {
    this.#texts.free(this.#snippet);
  }

  /** The plain summary, in Mailpit's key order. */
  toJSON(): MessageSummary {
    const plain: MessageSummary = {
      ID: this.ID,
      MessageID: this.MessageID,
      Read: this.Read,
      From: this.From,
      To: this.To,
      Cc: this.Cc,
      Bcc: this.Bcc,
      ReplyTo: this.ReplyTo,
      Subject: this.Subject,
      Created: this.Created,
      Username: this.Username,
      Tags: this.Tags,
      Size: this.Size,
      Attachments: this.Attachments,
      Snippet: this.Snippet,
    };
    if (this.Security) plain.Security = this.Security;
    if (this.Via) plain.Via = this.Via;
    return plain;
  }
}
