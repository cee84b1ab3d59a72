import { CacheKind } from '../store/message-cache';
import type { MessageStore } from '../store/store';
import { BODY_SOURCE } from '../store/store';
import type { StoredMessage } from '../store/types';
import { bodyText } from '../mail/summary';

/**
 * Decoded, lower-cased body texts kept between searches: a search whose words the index cannot
 * settle (a phrase, a word of one letter) decodes bodies, and the next such search reads them here.
 */
const BODIES = new CacheKind<string>('body-text', { maxEntries: 100_000, maxBytes: 32 * 1024 * 1024 }, (text) =>
  Math.max(1, text.length),
);

/**
 * The lower-cased decoded body text of a message, for plain words that the summary fields do not
 * contain. Decoded without a MIME parser, as the body index reads it, and cached by the store.
 */
export function bodyOf(message: StoredMessage, store?: MessageStore): string {
  const decode = (): string => message.withRaw((raw) => bodyText(raw, BODY_SOURCE)).toLowerCase();
  if (!store) return decode();
  const cache = store.cache(BODIES);
  return cache.get(message.id) ?? cache.remember(message.id, decode());
}

const CONTENT_ID_LINE = /(^|\n)content-id:/i;

/**
 * Whether a message has inline parts (`has:inline`): a part header with a Content-ID. A byte scan of
 * the raw message, not a MIME parse, remembered in its search record.
 */
export function hasInline(message: StoredMessage): boolean {
  const record = message.record;
  record.inline ??= message.withRaw((raw) => {
    for (const spelling of ['ontent-ID:', 'ontent-Id:', 'ontent-id:', 'ONTENT-ID:']) {
      const at = raw.indexOf(spelling, 0, 'latin1');
      if (at !== -1 && CONTENT_ID_LINE.test(raw.toString('latin1', Math.max(0, at - 2), at + 10))) return true;
    }
    return false;
  });
  return record.inline;
}
