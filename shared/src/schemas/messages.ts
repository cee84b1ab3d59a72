import { Type, type Static } from 'typebox';
import { AddressSchema } from './common';

/**
 * The summary of one message, exactly as Mailpit's API v1 lists it. Computed once at ingest; the
 * `new` WebSocket event carries this same object so a UI can prepend it without refetching.
 */
export const MessageSummarySchema = Type.Object({
  ID: Type.String(),
  MessageID: Type.String(),
  Read: Type.Boolean(),
  From: Type.Union([AddressSchema, Type.Null()]),
  To: Type.Array(AddressSchema),
  Cc: Type.Array(AddressSchema),
  Bcc: Type.Array(AddressSchema),
  ReplyTo: Type.Array(AddressSchema),
  Subject: Type.String(),
  Created: Type.String({ description: 'When Pigeonhole received it, RFC 3339' }),
  Username: Type.String({ description: 'The SMTP AUTH user, empty when none' }),
  Tags: Type.Array(Type.String()),
  Size: Type.Integer({ description: 'Raw size in bytes' }),
  Attachments: Type.Integer({ description: 'Number of attachments' }),
  Snippet: Type.String(),
});
export type MessageSummary = Static<typeof MessageSummarySchema>;

/** `start` and `limit` paging, as in Mailpit. */
export const PageQuerySchema = Type.Object({
  start: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 50 })),
});
export type PageQuery = Static<typeof PageQuerySchema>;

/** Mailpit's `MessagesSummary`: the answer of `GET /api/v1/messages` and `GET /api/v1/search`. */
export const MessagesListSchema = Type.Object({
  total: Type.Integer({ description: 'Messages stored' }),
  unread: Type.Integer({ description: 'Unread messages stored' }),
  count: Type.Integer({ description: 'Messages in this page' }),
  messages_count: Type.Integer({ description: 'Messages matching the query (all when no query)' }),
  messages_unread: Type.Integer({ description: 'Unread messages matching the query' }),
  start: Type.Integer(),
  tags: Type.Array(Type.String()),
  messages: Type.Array(MessageSummarySchema),
});
export type MessagesList = Static<typeof MessagesListSchema>;
