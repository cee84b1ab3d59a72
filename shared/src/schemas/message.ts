import { Type, type Static } from 'typebox';
import { AddressSchema } from './common';
import { SecuritySchema } from './security';

/** One attachment or inline part, as Mailpit lists it. */
export const AttachmentSchema = Type.Object({
  PartID: Type.String({ description: 'Use with /api/v1/message/{ID}/part/{PartID}' }),
  FileName: Type.String(),
  ContentType: Type.String(),
  ContentID: Type.String(),
  Size: Type.Integer({ description: 'Decoded size in bytes' }),
  Checksums: Type.Object({
    MD5: Type.String(),
    SHA1: Type.String(),
    SHA256: Type.String(),
  }),
});
export type Attachment = Static<typeof AttachmentSchema>;

/** The `List-Unsubscribe` header and what Mailpit finds in it. */
export const ListUnsubscribeSchema = Type.Object({
  Header: Type.String(),
  Links: Type.Array(Type.String()),
  Errors: Type.String(),
  HeaderPost: Type.String(),
});
export type ListUnsubscribe = Static<typeof ListUnsubscribeSchema>;

/** Ours: what the sending app asked of delivery status notifications (RFC 3461), from the envelope. */
export const DsnSchema = Type.Object({
  Ret: Type.String({ description: 'MAIL FROM RET: FULL or HDRS; empty when not given' }),
  Envid: Type.String({ description: 'MAIL FROM ENVID, xtext decoded; empty when not given' }),
  Recipients: Type.Array(
    Type.Object({
      Address: Type.String(),
      Notify: Type.Array(Type.String(), { description: 'RCPT TO NOTIFY: NEVER, or SUCCESS, FAILURE, DELAY' }),
      Orcpt: Type.String({ description: 'RCPT TO ORCPT (type;address), xtext decoded; empty when not given' }),
    }),
  ),
});
export type Dsn = Static<typeof DsnSchema>;

/** Ours: a delivery report (bounce) the message is, read from its message/delivery-status part (RFC 3464). */
export const DeliveryReportSchema = Type.Object({
  PartID: Type.String({ description: 'The message/delivery-status part' }),
  ReportingMTA: Type.String({ description: 'Reporting-MTA, its type (dns;) left off' }),
  ArrivalDate: Type.String({ description: 'Arrival-Date as written; empty when not given' }),
  Recipients: Type.Array(
    Type.Object({
      FinalRecipient: Type.String({ description: 'Final-Recipient, its type (rfc822;) left off' }),
      OriginalRecipient: Type.String({ description: 'Original-Recipient; empty when not given' }),
      Action: Type.String({ description: 'failed, delayed, delivered, relayed or expanded' }),
      Status: Type.String({ description: 'The enhanced status code (RFC 3463), such as 5.1.1' }),
      RemoteMTA: Type.String(),
      DiagnosticCode: Type.String({ description: 'Diagnostic-Code, its type (smtp;) left off' }),
      LastAttemptDate: Type.String(),
    }),
  ),
  ReturnedPartID: Type.String({
    description: 'The returned message (message/rfc822 or text/rfc822-headers) as a part; empty when none',
  }),
});
export type DeliveryReport = Static<typeof DeliveryReportSchema>;

/**
 * Ours: delivery tracking. What the message asks for (DSN parameters, a read receipt) and, when the
 * message is itself a delivery report, what it reports.
 */
export const DeliverySchema = Type.Object({
  DSN: Type.Union([DsnSchema, Type.Null()], { description: 'Null when the app asked for no delivery report' }),
  ReadReceiptTo: Type.String({
    description: 'The Disposition-Notification-To header (RFC 8098), decoded; empty when none',
  }),
  Report: Type.Optional(DeliveryReportSchema),
});
export type Delivery = Static<typeof DeliverySchema>;

/** Ours: one event of a meeting invite (a text/calendar part, RFC 5545 and iTIP's METHOD, RFC 5546). */
export const CalendarEventSchema = Type.Object({
  PartID: Type.String({ description: 'The text/calendar part; download it as .ics from /part' }),
  Method: Type.String({ description: 'REQUEST, CANCEL, REPLY, PUBLISH...; empty when the calendar has none' }),
  UID: Type.String(),
  Summary: Type.String(),
  Location: Type.String(),
  Start: Type.String({
    description:
      'RFC 3339 in UTC when the time zone is known; local time without offset when floating; YYYY-MM-DD all day',
  }),
  End: Type.String({ description: 'As Start; empty when the event gives neither DTEND nor DURATION' }),
  AllDay: Type.Boolean(),
  Organizer: Type.Union([AddressSchema, Type.Null()]),
  Attendees: Type.Array(
    Type.Object({
      Name: Type.String(),
      Address: Type.String(),
      Role: Type.String({ description: 'REQ-PARTICIPANT, OPT-PARTICIPANT, CHAIR...; empty when not given' }),
      Status: Type.String({ description: 'PARTSTAT: NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE...' }),
    }),
  ),
});
export type CalendarEvent = Static<typeof CalendarEventSchema>;

/** Mailpit's full `Message`: `GET /api/v1/message/{ID}` (which marks it read). */
export const MessageSchema = Type.Object({
  ID: Type.String(),
  MessageID: Type.String(),
  From: Type.Union([AddressSchema, Type.Null()]),
  To: Type.Array(AddressSchema),
  Cc: Type.Array(AddressSchema),
  Bcc: Type.Array(AddressSchema),
  ReplyTo: Type.Array(AddressSchema),
  ReturnPath: Type.String(),
  Subject: Type.String(),
  ListUnsubscribe: ListUnsubscribeSchema,
  Date: Type.String({ description: 'The Date header, or when received; RFC 3339' }),
  Tags: Type.Array(Type.String()),
  Username: Type.String(),
  Text: Type.String(),
  HTML: Type.String(),
  Size: Type.Integer(),
  Inline: Type.Array(AttachmentSchema),
  Attachments: Type.Array(AttachmentSchema),
  // Ours, after Mailpit's fields, each only when there is something to say: a Mailpit client
  // reading plain mail sees Mailpit's shape exactly.
  Delivery: Type.Optional(DeliverySchema),
  Security: Type.Optional(SecuritySchema),
  Calendar: Type.Optional(
    Type.Array(CalendarEventSchema, { description: 'Ours: the events of its text/calendar parts (invites)' }),
  ),
  // Ours, beyond Mailpit: present only on messages that came through a provider HTTP API.
  Via: Type.Optional(Type.String({ description: 'Ours: the provider API it came through' })),
});
export type Message = Static<typeof MessageSchema>;

/** `GET /api/v1/message/{ID}/headers`: every header by name, values in order (names sorted). */
export const HeadersSchema = Type.Record(Type.String(), Type.Array(Type.String()));
export type Headers = Static<typeof HeadersSchema>;

/** Ours: what one piece of a transcript line means, from `shared/src/smtp-explain/`. */
export const LineNoteSchema = Type.Object({
  Term: Type.String({ description: 'The piece of the line explained: 250, 2.1.0, RET=HDRS, PIPELINING' }),
  Text: Type.String(),
  RFC: Type.String({ description: 'RFC 5321 §4.1.1.1; empty for a vendor extension' }),
  URL: Type.String({ description: 'A link to that RFC section; empty when none' }),
});
export type LineNote = Static<typeof LineNoteSchema>;

/** One line of the SMTP conversation. */
export const TranscriptLineSchema = Type.Object({
  At: Type.String({ description: 'RFC 3339 with milliseconds' }),
  Direction: Type.Union([Type.Literal('client'), Type.Literal('server')]),
  Line: Type.String(),
  Explain: Type.Array(LineNoteSchema, {
    description: 'What the command, its parameters, the reply code, enhanced status code or EHLO extension mean',
  }),
});
export type TranscriptLine = Static<typeof TranscriptLineSchema>;

/** Ours: `GET /api/v1/message/{ID}/session`, how the message really arrived. */
export const SessionSchema = Type.Object({
  ClientAddress: Type.String(),
  Helo: Type.String(),
  Secure: Type.Boolean({ description: 'TLS was in use (STARTTLS or implicit)' }),
  TLS: Type.Union([Type.Object({ Protocol: Type.String(), Cipher: Type.String() }), Type.Null()]),
  Username: Type.String(),
  Via: Type.String({ description: 'smtp, or the provider API whose HTTP request the transcript shows' }),
  MailFrom: Type.String(),
  RcptTo: Type.Array(Type.String()),
  DSN: Type.Union([DsnSchema, Type.Null()], { description: 'Delivery reports asked for; null when none' }),
  Transcript: Type.Array(TranscriptLineSchema),
});
export type Session = Static<typeof SessionSchema>;

/** Ours: one recipient address with its message counts. */
export const MailboxSchema = Type.Object({
  Address: Type.String({ description: 'Lower case' }),
  Name: Type.String({ description: 'The latest display name seen for it' }),
  Messages: Type.Integer(),
  Unread: Type.Integer(),
});
export type Mailbox = Static<typeof MailboxSchema>;

/** Ours: `GET /api/v1/mailboxes`, every recipient (To, Cc, Bcc from the envelope) seen. */
export const MailboxesSchema = Type.Object({
  mailboxes: Type.Array(MailboxSchema),
});
export type Mailboxes = Static<typeof MailboxesSchema>;
