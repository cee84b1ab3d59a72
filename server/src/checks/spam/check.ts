// Mailpit's spam check (`/api/v1/message/{ID}/sa-check`) against a real filter: spamd (as Mailpit
// does) or rspamd. With both, spamd is asked first and rspamd answers when spamd cannot; the
// answer names the filter. A filter down or slow is an `Error` in the answer, never a hang.
import type { SpamCheck } from '@pigeonhole/shared/schemas/checks';
import type { HostPort } from '../../config/values';
import { CacheKind } from '../../store/message-cache';
import type { MessageStore } from '../../store/store';
import type { StoredMessage } from '../../store/types';
import { rspamdCheck } from './rspamd';
import { spamdReport } from './spamd';

const SPAM_CHECKS = new CacheKind<SpamCheck>(
  'spam-check',
  { maxEntries: 500, maxBytes: 2 * 1024 * 1024 },
  (c) => JSON.stringify(c).length * 2,
);

/** The filters configured. */
export interface SpamCheckerOptions {
  spamassassin: HostPort | null;
  rspamd: URL | null;
  timeoutMs: number;
}

/** Spam checks of stored messages; successful answers are kept until the message goes. */
export class SpamChecker {
  readonly #store: MessageStore;
  readonly #options: SpamCheckerOptions;

  constructor(store: MessageStore, options: SpamCheckerOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Whether any filter is configured. */
  get enabled(): boolean {
    return this.#options.spamassassin !== null || this.#options.rspamd !== null;
  }

  /** The check of a message; an unreachable filter gives `Error`, not a rejection. */
  async check(message: StoredMessage): Promise<SpamCheck> {
    const cache = this.#store.cache(SPAM_CHECKS);
    const kept = cache.get(message.id);
    if (kept) return kept;
    const raw = message.keepRaw();
    const { spamassassin, rspamd, timeoutMs } = this.#options;
    const errors: string[] = [];
    if (spamassassin) {
      try {
        const result = await spamdReport(spamassassin.host, spamassassin.port, raw, timeoutMs);
        return this.#keep(message.id, { ...result, Error: '', Filter: 'spamassassin' });
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (rspamd) {
      try {
        const result = await rspamdCheck(rspamd, raw, timeoutMs);
        return this.#keep(message.id, { ...result, Error: '', Filter: 'rspamd' });
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    return {
      IsSpam: false,
      Score: 0,
      Rules: [],
      Error: errors.join('; '),
      Filter: spamassassin ? 'spamassassin' : 'rspamd',
    };
  }

  #keep(id: string, result: SpamCheck): SpamCheck {
    if (this.#store.get(id)) this.#store.cache(SPAM_CHECKS).remember(id, result);
    return result;
  }
}
