import { Type, type Static } from 'typebox';
import { MAX_PAGE_LIMIT, MAX_QUERY_LENGTH } from './messages';

/** Default and longest wait of `GET /api/v1/wait`. */
export const WAIT_DEFAULT_MS = 10_000;
export const WAIT_MAX_MS = 5 * 60_000;

/**
 * Ours: `GET /api/v1/wait`, a long-poll. Answers with the search result (a {@link MessagesList}) as
 * soon as `count` messages match `query` (at once if they already do), or 408 at `timeout`.
 * `timeout` is seconds as a bare number, or with a unit: `500ms`, `10s`, `2m`.
 */
export const WaitQuerySchema = Type.Object({
  query: Type.Optional(Type.String({ maxLength: MAX_QUERY_LENGTH, description: 'Search syntax; empty: any' })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: 1 })),
  timeout: Type.Optional(Type.String({ pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m)?\\s*$', default: '10s' })),
  tz: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT, description: 'Page size; at least count' }),
  ),
});
export type WaitQuery = Static<typeof WaitQuerySchema>;

/** Parses a wait `timeout` into milliseconds: a bare number is seconds. */
export function parseWaitTimeout(value: string | undefined): number {
  if (value === undefined) return WAIT_DEFAULT_MS;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  if (!match) return WAIT_DEFAULT_MS;
  const unit = match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1000;
  return Math.min(WAIT_MAX_MS, Math.round(Number(match[1]) * unit));
}
