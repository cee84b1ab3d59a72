import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import type { BodyLookup } from '../store/body-index';
import { SearchBudget } from './budget';
import { compile, textTokens, type WorkCounter } from './match';
import { parseQuery } from './query';

export { SearchTooExpensiveError } from './budget';
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

/** A compiled query: parse once, test many messages (the wait route tests each new arrival). */
export function matcher(query: string, tz?: string): (message: StoredMessage) => boolean {
  return compile(parseQuery(query, tz));
}

/** A decoded body costs about as much as testing this many messages against their summaries. */
const DECODE_WEIGHT = 64;

/**
 * Calls `visit` with every message the query matches, newest first, in slices that yield to the
 * event loop and within one work budget (throws `SearchTooExpensiveError` past it). It runs over
 * the messages stored when it began; one deleted meanwhile may still be visited.
 */
export async function eachMatch(
  store: MessageStore,
  query: string,
  tz: string | undefined,
  visit: (message: StoredMessage) => void,
  budget: SearchBudget = new SearchBudget(),
): Promise<void> {
  const terms = parseQuery(query, tz);
  let lookup: BodyLookup | undefined;
  const tokens = textTokens(terms);
  if (tokens.length > 0) {
    // Shared work that every later search profits from: not charged to this search's budget.
    await budget.outside(store.indexed());
    lookup = await store.bodyLookup(tokens, budget);
  }
  const work: WorkCounter = { decodes: 0 };
  await scan(store, compile(terms, lookup ? { store, lookup, work } : { store, work }), visit, budget, work);
}

/**
 * Tests every stored message, newest first, in slices within `budget`, and visits those that pass:
 * the loop of every search, MailHog's too. `work.decodes` (bumped by `test` when it decodes a body)
 * weighs the slice. Runs over a snapshot: the store's own iteration is not safe across yields (a
 * delete rebuilds its array).
 */
export async function scan(
  store: MessageStore,
  test: (message: StoredMessage) => boolean,
  visit: (message: StoredMessage) => void,
  budget: SearchBudget = new SearchBudget(),
  work: WorkCounter = { decodes: 0 },
): Promise<void> {
  // Every summary first (those deferred past a burst), as shared work outside the budget.
  await budget.outside(store.summaries());
  for (const message of store.page(0, store.count)) {
    const decodes = work.decodes;
    if (test(message)) visit(message);
    const pause = budget.step(work.decodes > decodes ? DECODE_WEIGHT : 1);
    if (pause) await pause;
  }
}

/**
 * Runs a query over the store, newest first, through its public iteration only: a scan of
 * precomputed summary records (with 100,000 messages a `to:` or `subject:` query stays in tens of
 * ms), body words through the body index, in slices within a budget (see {@link eachMatch}).
 */
export async function search(
  store: MessageStore,
  query: string,
  start: number,
  limit: number,
  tz?: string,
): Promise<SearchResult> {
  const page: StoredMessage[] = [];
  let matched = 0;
  let unread = 0;
  await eachMatch(store, query, tz, (message) => {
    if (matched >= start && page.length < limit) page.push(message);
    matched++;
    if (!message.read) unread++;
  });
  // Deleted while the search ran: not shown (the counts may be off by those, as any snapshot is).
  return { page: page.filter((m) => store.get(m.id) === m), matched, unread };
}

/** Every message matching a query (for delete-by-search and mark-read-by-search). */
export async function searchAll(store: MessageStore, query: string, tz?: string): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  await eachMatch(store, query, tz, (message) => out.push(message));
  return out;
}
