/** What the API routes share: search with its errors, `latest`, and Mailpit's list answer. */
import type { FastifyBaseLogger } from 'fastify';
import type { MessagesList } from '@pigeonhole/shared/schemas/messages';
import { search, SearchSyntaxError, SearchTooExpensiveError, type SearchResult } from '../search/search';
import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import { apiError } from './errors';

/**
 * Turns a search's refusal into its API error: a syntax error (or too many terms) is a 400 with its
 * message, a search past its work budget a 503 saying how to narrow it, logged once here.
 */
export function searchError(err: unknown, log?: FastifyBaseLogger): unknown {
  if (err instanceof SearchSyntaxError) return apiError('BAD_SEARCH', err.message);
  if (err instanceof SearchTooExpensiveError) {
    log?.warn({ reason: err.message }, 'search refused');
    return apiError('SEARCH_TOO_EXPENSIVE', err.message);
  }
  return err;
}

/** Runs a search in slices that yield to the event loop, within a work budget (see search/search.ts). */
export async function runSearch(
  store: MessageStore,
  query: string,
  start: number,
  limit: number,
  tz?: string,
  log?: FastifyBaseLogger,
): Promise<SearchResult> {
  try {
    return await search(store, query, start, limit, tz);
  } catch (err) {
    throw searchError(err, log);
  }
}

/**
 * The message an `{ID}` names: an ID, or `latest` (the newest message, or with `?query=` the newest
 * match, as Mailpit's `LatestID`). 404 when there is none.
 */
export async function resolveMessage(
  store: MessageStore,
  id: string,
  query?: string,
  tz?: string,
): Promise<StoredMessage> {
  let message: StoredMessage | undefined;
  if (id === 'latest') {
    message = query?.trim() ? (await runSearch(store, query, 0, 1, tz)).page[0] : store.latest();
  } else {
    message = store.get(id);
  }
  if (!message) throw apiError('MESSAGE_NOT_FOUND');
  return message;
}

/**
 * Mailpit's `MessagesSummary` answer, shared by the list, search and wait routes: store-wide counts,
 * then the counts of what matched and the page itself. A plain list matches everything.
 */
export function messagesList(store: MessageStore, result: SearchResult, start: number): MessagesList {
  return {
    total: store.count,
    unread: store.unread,
    count: result.page.length,
    messages_count: result.matched,
    messages_unread: result.unread,
    start,
    tags: store.tags,
    messages: result.page.map((m) => m.summary),
  };
}
