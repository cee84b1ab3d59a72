import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import { MessageParser } from '../mail/parse';
import type { MessagesList } from '@pigeonhole/shared/schemas/messages';
import { search, SearchSyntaxError, SearchTooExpensiveError, type SearchResult } from '../search/search';
import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import { apiError } from './errors';

/** Counters Mailpit reports as `RuntimeStats`, kept from store events. */
export interface RuntimeCounters {
  startedAt: number;
  accepted: number;
  acceptedBytes: number;
  deleted: number;
}

/** What the API routes share besides the store: the parser and the runtime counters. */
export interface ApiServices {
  parser: MessageParser;
  runtime: RuntimeCounters;
}

declare module 'fastify' {
  interface FastifyInstance {
    api: ApiServices;
  }
}

/**
 * Decorates `app.api`: the parser (whose cache the store owns) and the runtime counters, which
 * follow `added`, `deleted` and `cleared`. The store is subscribed to, never the reverse.
 */
export const apiServicesPlugin = fp(
  async (app) => {
    const { store } = app.pigeonhole;
    const parser = new MessageParser(store);
    const runtime: RuntimeCounters = { startedAt: Date.now(), accepted: 0, acceptedBytes: 0, deleted: 0 };
    let known = store.count;
    const unsubscribe = store.subscribe((event) => {
      switch (event.type) {
        case 'added':
          known++;
          runtime.accepted++;
          // Not the summary's Size: reading the summary makes it now, not after the burst.
          runtime.acceptedBytes += event.message.rawLength;
          break;
        case 'deleted':
          known -= event.ids.length;
          runtime.deleted += event.ids.length;
          break;
        case 'cleared':
          runtime.deleted += known;
          known = 0;
          break;
        case 'updated':
          break;
      }
    });
    app.decorate('api', { parser, runtime });
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'pigeonhole-api-services' },
);

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
