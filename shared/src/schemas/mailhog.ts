import { Type, type Static, type TSchema } from 'typebox';

/** MailHog's `Path`: an address split at `@`, as in MailHog's `data/message.go`. */
export const MailHogPathSchema = Type.Object({
  Relays: Type.Union([Type.Array(Type.String()), Type.Null()]),
  Mailbox: Type.String(),
  Domain: Type.String(),
  Params: Type.String(),
});
export type MailHogPath = Static<typeof MailHogPathSchema>;

/** Raw header values by header name as written in the message (undecoded, as MailHog keeps them). */
const MailHogHeadersSchema = Type.Record(Type.String(), Type.Array(Type.String()));

/**
 * MailHog's `Content`: headers, the undecoded body, its size, and for a multipart part its own
 * `MIME` (null otherwise). Recursive, so it is a cyclic TypeBox schema.
 */
export const MailHogContentSchema: TSchema = Type.Cyclic(
  {
    Content: Type.Object({
      Headers: MailHogHeadersSchema,
      Body: Type.String(),
      Size: Type.Integer(),
      MIME: Type.Union([Type.Object({ Parts: Type.Array(Type.Ref('Content')) }), Type.Null()]),
    }),
  },
  'Content',
);

/** The TypeScript shape of MailHog's `Content`. */
export interface MailHogContent {
  Headers: Record<string, string[]>;
  Body: string;
  Size: number;
  MIME: MailHogMime | null;
}

/** MailHog's `MIMEBody`: the parts of a multipart body. */
export interface MailHogMime {
  Parts: MailHogContent[];
}

/** MailHog's `SMTPMessage`: the envelope and the raw data as received. */
export const MailHogRawSchema = Type.Object({
  From: Type.String(),
  To: Type.Array(Type.String()),
  Data: Type.String(),
  Helo: Type.String(),
});
export type MailHogRaw = Static<typeof MailHogRawSchema>;

/**
 * MailHog's `Message` as its API v2 lists it: `MIME` is null unless the message is multipart. The
 * `mailhog` npm client reads `Content.Headers`, `Content.Body` and `MIME.Parts[].Headers/Body`.
 */
export const MailHogMessageSchema = Type.Object({
  ID: Type.String(),
  From: Type.Union([MailHogPathSchema, Type.Null()]),
  To: Type.Array(MailHogPathSchema),
  Content: MailHogContentSchema,
  Created: Type.String(),
  MIME: Type.Union([Type.Object({ Parts: Type.Array(MailHogContentSchema) }), Type.Null()]),
  Raw: MailHogRawSchema,
});

/** The TypeScript shape of MailHog's `Message`. */
export interface MailHogMessage {
  ID: string;
  From: MailHogPath | null;
  To: MailHogPath[];
  Content: MailHogContent;
  Created: string;
  MIME: MailHogMime | null;
  Raw: MailHogRaw;
}

/** MailHog's API v2 list: `GET /api/v2/messages` and `GET /api/v2/search`. */
export const MailHogListSchema = Type.Object({
  total: Type.Integer(),
  count: Type.Integer(),
  start: Type.Integer(),
  items: Type.Array(MailHogMessageSchema),
});

/** The TypeScript shape of MailHog's API v2 list. */
export interface MailHogList {
  total: number;
  count: number;
  start: number;
  items: MailHogMessage[];
}

/**
 * Most messages one page of MailHog's API v2 carries: MailHog's own clamp (`getStartLimit` in
 * MailHog-Server's `api/v2.go` turns any larger `limit` into 250, silently). Each item carries the
 * whole message more than once (`Content.Body`, the parts' bodies, `Raw.Data`), so these answers are
 * also streamed item by item rather than built whole.
 */
export const MAILHOG_MAX_PAGE_LIMIT = 250;

const MailHogLimitSchema = Type.Integer({
  minimum: 1,
  default: 50,
  description: `Page size; a larger value is clamped to ${MAILHOG_MAX_PAGE_LIMIT}, as MailHog does`,
});

/** `start` and `limit` of MailHog's API v2 (default limit 50, as MailHog). */
export const MailHogPageQuerySchema = Type.Object({
  start: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(MailHogLimitSchema),
});
export type MailHogPageQuery = Static<typeof MailHogPageQuerySchema>;

/** `GET /api/v2/search?kind=from|to|containing&query=`. */
export const MailHogSearchQuerySchema = Type.Object({
  kind: Type.Union([Type.Literal('from'), Type.Literal('to'), Type.Literal('containing')]),
  query: Type.String({ maxLength: 2000 }),
  start: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(MailHogLimitSchema),
});
export type MailHogSearchQuery = Static<typeof MailHogSearchQuerySchema>;
