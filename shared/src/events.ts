import { Type, type Static } from 'typebox';
import { MessageSummarySchema } from './schemas/messages';

/**
 * The events of Mailpit's `/api/events` WebSocket: one envelope, `{ Type, Data }`, and `new` carries
 * the very MessageSummary the list returns so a UI can prepend it without refetching.
 */
export const NewEventSchema = Type.Object({ Type: Type.Literal('new'), Data: MessageSummarySchema });

/** Totals after any change; throttled by the server to a few per second, as Mailpit does. */
export const StatsEventSchema = Type.Object({
  Type: Type.Literal('stats'),
  Data: Type.Object({ Total: Type.Integer(), Unread: Type.Integer(), Version: Type.String() }),
});

/**
 * A message's read state or tags changed. Mailpit sends `{ ID, Read }` or `{ ID, Tags }`; we send
 * both fields, which Mailpit's own UI and its clients accept.
 */
export const UpdateEventSchema = Type.Object({
  Type: Type.Literal('update'),
  Data: Type.Object({ ID: Type.String(), Read: Type.Boolean(), Tags: Type.Array(Type.String()) }),
});

/** One message deleted (or evicted by the store's limits): one event per message, as in Mailpit. */
export const DeleteEventSchema = Type.Object({
  Type: Type.Literal('delete'),
  Data: Type.Object({ ID: Type.String() }),
});

/** Every message deleted at once. */
export const TruncateEventSchema = Type.Object({ Type: Type.Literal('truncate'), Data: Type.Null() });

/** Every event `/api/events` sends, discriminated by `Type`. */
export const ApiEventSchema = Type.Union([
  NewEventSchema,
  StatsEventSchema,
  UpdateEventSchema,
  DeleteEventSchema,
  TruncateEventSchema,
]);
export type ApiEvent = Static<typeof ApiEventSchema>;
export type ApiEventType = ApiEvent['Type'];
export type NewEvent = Static<typeof NewEventSchema>;
export type StatsEvent = Static<typeof StatsEventSchema>;
export type UpdateEvent = Static<typeof UpdateEventSchema>;
export type DeleteEvent = Static<typeof DeleteEventSchema>;
export type TruncateEvent = Static<typeof TruncateEventSchema>;

/** Narrows a parsed frame to an {@link ApiEvent} (checks the envelope, trusts the server for Data). */
export function isApiEvent(value: unknown): value is ApiEvent {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { Type?: unknown }).Type;
  return (
    (type === 'new' || type === 'stats' || type === 'update' || type === 'delete' || type === 'truncate') &&
    'Data' in value
  );
}
