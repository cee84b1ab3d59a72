// Mailpit's link check (`/api/v1/message/{ID}/link-check`): every link of a message fetched with a
// small bound on parallel requests, each with a timeout, kept per message in the store's cache.
import type { LinkCheck, Link } from '@pigeonhole/shared/schemas/checks';
import type { lookup as dnsLookup } from 'node:dns';
import { CacheKind } from '../../store/message-cache';
import type { MessageStore } from '../../store/store';
import { extractLinks } from './extract';
import { fetchLink } from './fetch-link';

/** Requests at once per check: Mailpit's five. */
const PARALLEL = 5;

/** Results kept per message, with and without following redirects. */
type Kept = Partial<Record<'follow' | 'direct', LinkCheck>>;

const LINK_CHECKS = new CacheKind<Kept>(
  'link-check',
  { maxEntries: 500, maxBytes: 4 * 1024 * 1024 },
  (k) => JSON.stringify(k).length * 2,
);

/** What the checker needs. */
export interface LinkCheckerOptions {
  allowInternal: boolean;
  timeoutMs: number;
  userAgent: string;
  lookup?: typeof dnsLookup;
}

/** Runs `work` over `items` with at most `limit` at once, results in the items' order. */
async function bounded<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Link checks of stored messages, made on demand and kept until the message goes. */
export class LinkChecker {
  readonly #store: MessageStore;
  readonly #options: LinkCheckerOptions;
  readonly #pending = new Map<string, Promise<LinkCheck>>();

  constructor(store: MessageStore, options: LinkCheckerOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** The check of message `id` with this HTML and text: cached, or made now (once at a time per message). */
  check(id: string, html: string, text: string, follow: boolean): Promise<LinkCheck> {
    const cache = this.#store.cache(LINK_CHECKS);
    const slot = follow ? 'follow' : 'direct';
    const kept = cache.get(id)?.[slot];
    if (kept) return Promise.resolve(kept);
    const key = `${id}:${slot}`;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#run(html, text, follow)
        .then((result) => {
          // Not kept for a message deleted meanwhile: its entry would outlive it.
          if (this.#store.get(id)) cache.remember(id, { ...cache.get(id), [slot]: result });
          return result;
        })
        .finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #run(html: string, text: string, follow: boolean): Promise<LinkCheck> {
    const links = extractLinks(html, text);
    const results: Link[] = await bounded(links, PARALLEL, (link) => fetchLink(link, { ...this.#options, follow }));
    return { Errors: results.filter((l) => l.StatusCode === 0 || l.StatusCode >= 400).length, Links: results };
  }
}
