import { Type, type Static } from 'typebox';

/** An address in a send request: `Email` and an optional display `Name`, as Mailpit takes it. */
export const SendAddressSchema = Type.Object({
  Email: Type.String({ minLength: 1, maxLength: 320 }),
  Name: Type.Optional(Type.String({ maxLength: 500 })),
});
export type SendAddress = Static<typeof SendAddressSchema>;

/** An attachment in a send request: base64 `Content` (a `data:` URL prefix is accepted too). */
export const SendAttachmentSchema = Type.Object({
  Content: Type.String(),
  Filename: Type.String({ maxLength: 500 }),
  ContentType: Type.Optional(Type.String({ maxLength: 200 })),
  ContentID: Type.Optional(Type.String({ maxLength: 500, description: 'Makes it an inline part' })),
});
export type SendAttachment = Static<typeof SendAttachmentSchema>;

/** Mailpit's `POST /api/v1/send` body; the message is stored as if received over SMTP. */
export const SendBodySchema = Type.Object({
  From: SendAddressSchema,
  To: Type.Optional(Type.Array(SendAddressSchema, { maxItems: 1000 })),
  Cc: Type.Optional(Type.Array(SendAddressSchema, { maxItems: 1000 })),
  Bcc: Type.Optional(Type.Array(Type.String({ maxLength: 320 }), { maxItems: 1000 })),
  ReplyTo: Type.Optional(Type.Array(SendAddressSchema, { maxItems: 100 })),
  Subject: Type.Optional(Type.String()),
  Text: Type.Optional(Type.String()),
  HTML: Type.Optional(Type.String()),
  Attachments: Type.Optional(Type.Array(SendAttachmentSchema, { maxItems: 500 })),
  Tags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
  Headers: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type SendBody = Static<typeof SendBodySchema>;

/** The answer of `POST /api/v1/send`. */
export const SendResponseSchema = Type.Object({ ID: Type.String() });
export type SendResponse = Static<typeof SendResponseSchema>;
