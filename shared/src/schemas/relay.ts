import { Type, type Static } from 'typebox';

/** Longest address list one release takes; the relay's own limit usually comes first. */
const MAX_RELEASE_RECIPIENTS = 100;

/** `POST /api/v1/message/{ID}/release` body, Mailpit's: the addresses to send the message to. */
export const ReleaseBodySchema = Type.Object({
  To: Type.Array(Type.String({ minLength: 1, maxLength: 320 }), { minItems: 1, maxItems: MAX_RELEASE_RECIPIENTS }),
});
export type ReleaseBody = Static<typeof ReleaseBodySchema>;

/**
 * `POST /api/v1/messages/{id}/release` body, MailHog's `ReleaseConfig`: one recipient in `Email`, and
 * the server to use. Pigeonhole sends only through its configured relay, so `Host` and `Port`, when
 * given, must name that relay; `Username`, `Password`, `Mechanism`, `Save` and `Name` are accepted and
 * ignored (the relay's credentials come from the command line).
 */
export const MailHogReleaseBodySchema = Type.Object({
  Email: Type.String({ minLength: 1, maxLength: 320 }),
  Host: Type.Optional(Type.String({ maxLength: 255 })),
  Port: Type.Optional(Type.Union([Type.String({ maxLength: 5 }), Type.Integer({ minimum: 0, maximum: 65535 })])),
  Username: Type.Optional(Type.String()),
  Password: Type.Optional(Type.String()),
  Mechanism: Type.Optional(Type.String()),
  Save: Type.Optional(Type.Boolean()),
  Name: Type.Optional(Type.String()),
});
export type MailHogReleaseBody = Static<typeof MailHogReleaseBodySchema>;
