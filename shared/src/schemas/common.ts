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
