import type { ProviderName } from '@pigeonhole/shared/schemas/providers';

/** A name and an address, as every provider's request carries them. */
export interface MailAddress {
  name: string;
  address: string;
}

/** An attachment or inline image, decoded. */
export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
  /** Set for an inline image: the `cid:` the HTML refers to. */
  cid?: string;
}

/**
 * One message a provider request asks for, in terms of what every provider documents. The common
 * part (compose.ts) turns it into MIME with nodemailer's MailComposer; Bcc goes to the envelope only.
 */
export interface MailSpec {
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  text?: string;
  html?: string;
  attachments: MailAttachment[];
  /** Custom headers, as the request gave them. */
  headers: Record<string, string>;
  /** Tags or categories: kept as `X-Tags`, so that they are the message's tags. */
  tags: string[];
  /** Metadata or custom arguments, kept as one JSON header. */
  metadata: Record<string, string>;
  /** A template the provider would render: its ID and data, kept and shown in the body. */
  template?: { id: string; data: unknown };
  /** The provider's own ID for this message, the one its answer carries. */
  providerId: string;
  /** The right-hand side of the Message-ID header (`<providerId@domain>`). */
  messageIdDomain: string;
}

/**
 * A message the request gives as MIME already (Mailgun's `messages.mime`, SES raw content): stored
 * as given, with the envelope the request names.
 */
export interface RawSpec {
  raw: Buffer;
  mailFrom: string;
  rcptTo: string[];
}

/** An answer in the provider's own shape. */
export interface ProviderAnswer {
  status: number;
  headers?: Record<string, string>;
  /** JSON unless `text` is set. */
  body: unknown;
  /** Send `body` as plain text (Mailgun answers some errors so). */
  text?: boolean;
  /** Send `body` (a string) as XML: SES's Query API answers so. */
  xml?: boolean;
}

/** What went wrong with a request, for a provider to answer in its own words and shape. */
export type FailureKind =
  | 'auth-missing'
  | 'auth-invalid'
  | 'bad-json'
  | 'bad-form'
  | 'validation'
  | 'too-large'
  | 'rate-limit'
  | 'server-error'
  | 'forbidden';

/** A request refused: answered by the provider module's `failure()` in its own shape. */
export class ProviderFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** The request field at fault, where the provider's error names one. */
    readonly field: string | null = null,
    /** The status, where it is not the kind's usual one (chaos picks its own). */
    readonly status?: number,
    /** Already logged where it was raised (chaos, the cross-site guard). */
    readonly logged = false,
  ) {
    super(message);
    this.name = 'ProviderFailure';
  }
}

/** The usual HTTP status of each kind of failure; a provider answers with its own where it differs. */
export const FAILURE_STATUS: Readonly<Record<FailureKind, number>> = {
  'auth-missing': 401,
  'auth-invalid': 401,
  'bad-json': 400,
  'bad-form': 400,
  validation: 400,
  'too-large': 413,
  'rate-limit': 429,
  'server-error': 500,
  forbidden: 403,
};

/** The part of a provider that differs from the others: how it authenticates and how it fails. */
export interface ProviderProfile {
  name: ProviderName;
  /** The credential the request presents (API key, token, secret), or null when it carries none. */
  credential(headers: Record<string, string | string[] | undefined>): string | null;
  /** The provider's answer to a failure. */
  failure(failure: ProviderFailure): ProviderAnswer;
  /** Request fields whose values are attachment contents, elided from the transcript. */
  elide(path: string): boolean;
}
