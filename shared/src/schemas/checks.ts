import { Type, type Static } from 'typebox';

// Mailpit's check answers, field for field (its swagger.json: HTMLCheckResponse, LinkCheckResponse,
// SpamAssassinResponse), with a few fields of ours beside them, each marked so.

/** One client's support of a feature: Mailpit's `HTMLCheckResult`. */
export const HtmlCheckResultSchema = Type.Object({
  Name: Type.String({ description: 'Family, platform and version, e.g. "Gmail Android (2023-12)"' }),
  Family: Type.String({ description: 'caniemail family key, e.g. gmail, outlook, apple-mail' }),
  Platform: Type.String({ description: 'caniemail platform key, e.g. ios, android, windows' }),
  Version: Type.String({ description: 'Client version as caniemail tested it' }),
  Support: Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('partial')]),
  NoteNumber: Type.String({ description: 'The note (in NotesByNumber) of a partial support, or ""' }),
});
export type HtmlCheckResult = Static<typeof HtmlCheckResultSchema>;

/** Percentages of clients: Mailpit's `HTMLCheckScore`. */
export const HtmlCheckScoreSchema = Type.Object({
  Found: Type.Integer({ description: 'Times the feature is used in the message' }),
  Supported: Type.Number(),
  Partial: Type.Number(),
  Unsupported: Type.Number(),
});

/** A feature the message uses: Mailpit's `HTMLCheckWarning`. */
export const HtmlCheckWarningSchema = Type.Object({
  Slug: Type.String({ description: 'caniemail slug, e.g. css-display-flex' }),
  Title: Type.String(),
  Category: Type.String({ description: 'html, css, image or others' }),
  Keywords: Type.String(),
  Description: Type.String({ description: "caniemail's description (Markdown)" }),
  Tags: Type.Array(Type.String()),
  URL: Type.String({ description: 'The feature on caniemail.com' }),
  NotesByNumber: Type.Record(Type.String(), Type.String()),
  Score: HtmlCheckScoreSchema,
  Results: Type.Array(HtmlCheckResultSchema),
  // Ours: where the message uses it.
  Lines: Type.Array(Type.Integer(), { description: 'Ours: HTML source lines (1-based) that use it, first 50' }),
});
export type HtmlCheckWarning = Static<typeof HtmlCheckWarningSchema>;

/** `GET /api/v1/message/{ID}/html-check`: Mailpit's `HTMLCheckResponse`. */
export const HtmlCheckSchema = Type.Object({
  Platforms: Type.Record(Type.String(), Type.Array(Type.String()), {
    description: 'Platform key to the client families tested on it',
  }),
  Total: Type.Object({
    Nodes: Type.Integer({ description: 'HTML elements in the message' }),
    Tests: Type.Integer({ description: 'Features looked for' }),
    Supported: Type.Number(),
    Partial: Type.Number(),
    Unsupported: Type.Number(),
  }),
  Warnings: Type.Array(HtmlCheckWarningSchema),
  // Ours: which caniemail data answered.
  Data: Type.Object({
    Source: Type.String({ description: 'The npm package of the data, e.g. caniemail@2.0.2' }),
    APIVersion: Type.String(),
    Updated: Type.String({ description: "caniemail's last_update_date" }),
    Families: Type.Record(Type.String(), Type.String(), {
      description: 'Client family key (as in Results) to its name, e.g. apple-mail: Apple Mail',
    }),
  }),
});
export type HtmlCheck = Static<typeof HtmlCheckSchema>;

/** `?follow=true` follows redirects (Mailpit's default is false); `query` and `tz` pick `latest`. */
export const LinkCheckQuerySchema = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 2000 })),
  tz: Type.Optional(Type.String({ maxLength: 64 })),
  follow: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')])),
});

/** One tested link: Mailpit's `Link`. StatusCode 0 means no HTTP answer (Status says why). */
export const LinkSchema = Type.Object({
  URL: Type.String(),
  StatusCode: Type.Integer(),
  Status: Type.String(),
});
export type Link = Static<typeof LinkSchema>;

/** `GET /api/v1/message/{ID}/link-check`: Mailpit's `LinkCheckResponse`. */
export const LinkCheckSchema = Type.Object({
  Errors: Type.Integer({ description: 'Links that answered 400 or more, or not at all' }),
  Links: Type.Array(LinkSchema),
});
export type LinkCheck = Static<typeof LinkCheckSchema>;

/** A rule the filter matched: Mailpit's `Rule`. */
export const SpamRuleSchema = Type.Object({
  Name: Type.String(),
  Score: Type.Number(),
  Description: Type.String(),
});

/** `GET /api/v1/message/{ID}/sa-check`: Mailpit's `SpamAssassinResponse`, and which filter answered. */
export const SpamCheckSchema = Type.Object({
  IsSpam: Type.Boolean(),
  Score: Type.Number(),
  Error: Type.String({ description: 'Why there is no result (filter down, slow, not configured), or ""' }),
  Rules: Type.Array(SpamRuleSchema),
  // Ours: Pigeonhole can ask SpamAssassin or rspamd.
  Filter: Type.Union([Type.Literal('spamassassin'), Type.Literal('rspamd'), Type.Literal('')], {
    description: 'Ours: the filter that answered, or "" when none is configured',
  }),
});
export type SpamCheck = Static<typeof SpamCheckSchema>;
