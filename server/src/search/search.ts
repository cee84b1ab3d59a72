import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import { bodyIndexOf } from './body-index';
import { compile } from './match';
import { parseQuery } from './query';

export { SearchSyntaxError } from './query';

/** Every match of a query, with the counts a Mailpit list answer needs. */
export interface SearchResult {
  /** Matches newest first, `start`/`limit` applied. */
  page: StoredMessage[];
  /** Matches in all. */
  matched: number;
  /** Unread matches in all. */
  unread: number;
}

/**
 * Gets the body index ready without blocking when a query has plain words (which may need the
 * body). Await it before {@link search} in request handlers.
 */
export async function prepareSearch(store: MessageStore, query: string, tz?: string): Promise<void> {
  if (parseQuery(query, tz).some((t) => t.kind === 'text')) await bodyIndexOf(store).prepare();
}

/** A compiled query: parse once, test many messages (the wait route tests each new arrival). */
export function matcher(query: string, tz?: string): (message: StoredMessage) => boolean {
  return compile(parseQuery(query, tz));
}

/**
 * Runs a query over the store, newest first, through its public iteration only. A linear scan of
 * precomputed summary records: with 100,000 messages a `to:` or `subject:` query stays in tens of ms.
 */
export function search(store: MessageStore, query: string, start: number, limit: number, tz?: string): SearchResult {
  const test = compile(parseQuery(query, tz), bodyIndexOf(store));
  const page: StoredMessage[] = [];
  let matched = 0;
  let unread = 0;
  for (const message of store.newestFirst()) {
    if (!test(message)) continue;
    if (matched >= start && page.length < limit) page.push(message);
    matched++;
    if (!message.summary.Read) unread++;
  }
  return { page, matched, unread };
}

/** Every message matching a query (for delete-by-search and mark-read-by-search). */
export function searchAll(store: MessageStore, query: string, tz?: string): StoredMessage[] {
  const test = compile(parseQuery(query, tz), bodyIndexOf(store));
  const out: StoredMessage[] = [];
  for (const message of store.newestFirst()) if (test(message)) out.push(message);
  return out;
}
