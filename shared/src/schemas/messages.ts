import { Type, type Static } from 'typebox';
import { AddressSchema } from './common';
import { SecurityKindSchema } from './security';

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
  // Ours, after Mailpit's fields and only on signed or encrypted mail: plain mail keeps Mailpit's shape.
  Security: Type.Optional(SecurityKindSchema),
  // Ours, beyond Mailpit: present only on messages that came through a provider HTTP API.
  Via: Type.Optional(
    Type.String({ description: 'Ours: the provider API it came through (sendgrid, mailgun, postmark, resend, ses)' }),
  ),
});
export type MessageSummary = Static<typeof MessageSummarySchema>;

/**
 * Most summaries one page of `/api/v1/messages` or `/api/v1/search` carries (about 1 KB each, so
 * about 5 MB), and the default `--max`: with default settings, a page this long is every message.
 * A larger `limit` is clamped, not refused: Mailpit has no cap at all, and its clients
 * (`mailpit-api`, `cypress-mailpit`) pass the caller's `limit` through, often a large one meaning
 * "all"; `count` and `messages_count` tell them that more exist.
 */
export const MAX_PAGE_LIMIT = 5000;

const PageLimitSchema = Type.Integer({
  minimum: 1,
  default: 50,
  description: `Page size; a larger value is clamped to ${MAX_PAGE_LIMIT}`,
});

/** `start` and `limit` paging, as in Mailpit. */
export const PageQuerySchema = Type.Object({
  start: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(PageLimitSchema),
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

/** Longest search query accepted; a longer one is refused with 400 rather than scanned. */
export const MAX_QUERY_LENGTH = 2000;

/** `GET /api/v1/search`: Mailpit's query syntax, paging and the time zone for `before:`/`after:`. */
export const SearchQuerySchema = Type.Object({
  query: Type.String({ maxLength: MAX_QUERY_LENGTH, description: "Mailpit's search syntax" }),
  start: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(PageLimitSchema),
  tz: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' })),
});
export type SearchQuery = Static<typeof SearchQuerySchema>;

/** `DELETE /api/v1/search?query=`: deletes every message matching. */
export const DeleteSearchQuerySchema = Type.Object({
  query: Type.String({ minLength: 1, maxLength: MAX_QUERY_LENGTH }),
  tz: Type.Optional(Type.String({ maxLength: 64 })),
});
export type DeleteSearchQuery = Static<typeof DeleteSearchQuerySchema>;

const IdsSchema = Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100_000 });

/**
 * `PUT /api/v1/messages`: mark messages read or unread. With `IDs`, those; with `Search`, every
 * match; with neither, all. `Read` defaults to false, as Go's zero value does in Mailpit.
 */
export const SetReadBodySchema = Type.Object({
  IDs: Type.Optional(IdsSchema),
  Read: Type.Optional(Type.Boolean()),
  Search: Type.Optional(Type.String({ maxLength: MAX_QUERY_LENGTH })),
});
export type SetReadBody = Static<typeof SetReadBodySchema>;

/** `DELETE /api/v1/messages`: those IDs; no body or no IDs deletes all, as in Mailpit. */
export const DeleteBodySchema = Type.Object({
  IDs: Type.Optional(IdsSchema),
});
export type DeleteBody = Static<typeof DeleteBodySchema>;
