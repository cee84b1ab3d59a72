import { Type, type Static } from 'typebox';

/** A mail address as Mailpit shows it: display name (decoded) and address. */
export const AddressSchema = Type.Object({
  Name: Type.String(),
  Address: Type.String(),
});
export type Address = Static<typeof AddressSchema>;

/** The body of every 4xx/5xx answer from our own routes. */
export const ErrorSchema = Type.Object({
  Error: Type.String(),
});
export type ErrorBody = Static<typeof ErrorSchema>;

/** Message IDs are URL-safe; `latest` is accepted wherever an ID is, as in Mailpit. */
export const IdParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
});
export type IdParams = Static<typeof IdParamsSchema>;

/** A message ID and a MIME part ID (`1`, `1.2`, ... as Mailpit numbers them). */
export const PartParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  partId: Type.String({ minLength: 1, maxLength: 100, pattern: '^[0-9]+(\\.[0-9]+)*$' }),
});
export type PartParams = Static<typeof PartParamsSchema>;

/**
 * `?query=` that narrows `latest` to the newest message matching a search, as Mailpit's `LatestID`
 * does; `tz` is the time zone for `before:`/`after:`.
 */
export const LatestQuerySchema = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 2000 })),
  tz: Type.Optional(Type.String({ maxLength: 64 })),
});
export type LatestQuery = Static<typeof LatestQuerySchema>;

/** Mailpit answers every successful mutation with the text `ok` (`text/plain`). */
export const OkTextSchema = Type.String({ description: 'The text `ok`', examples: ['ok'] });
