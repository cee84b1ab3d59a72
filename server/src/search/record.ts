import type { Address } from '@pigeonhole/shared/schemas/common';
import { LRUCache } from 'lru-cache';
import { bodyText } from '../mail/summary';
import type { StoredMessage } from '../store/types';

/**
 * The lower-cased text a search compares against, computed once per message from its summary (the
 * fields never change after ingest). Read state, tags, size and dates are read live from the summary.
 */
export interface SearchRecord {
  from: string;
  to: string;
  cc: string;
  bcc: string;
  replyTo: string;
  addressed: string;
  subject: string;
  messageId: string;
  /** Every field above plus the snippet: plain words look here before the body. */
  text: string;
  created: number;
  /** `has:inline`, found on first use. */
  inline?: boolean;
}

function addressText(list: readonly Address[]): string {
  return list
    .map((a) => (a.Name ? `${a.Name} <${a.Address}>` : a.Address))
    .join(', ')
    .toLowerCase();
}

/**
 * Where a message carries its search record. A property on the message object, not a WeakMap: with
 * 100,000 messages a WeakMap lookup per message cost 70-100 ms per search against 5-12 ms for the
 * whole iteration (measured on this machine), and the `to:`/`subject:` target is 50 ms.
 */
const RECORD = Symbol('pigeonhole.searchRecord');

interface WithRecord {
  [RECORD]?: SearchRecord;
}

/** The search record of a message (cached for the life of the message object). */
export function recordOf(message: StoredMessage): SearchRecord {
  const holder: StoredMessage & WithRecord = message;
  let record = holder[RECORD];
  if (record) return record;
  const s = message.summary;
  const from = s.From ? addressText([s.From]) : '';
  const to = addressText(s.To);
  const cc = addressText(s.Cc);
  const bcc = addressText(s.Bcc);
  const replyTo = addressText(s.ReplyTo);
  const subject = s.Subject.toLowerCase();
  const messageId = s.MessageID.toLowerCase();
  record = {
    from,
    to,
    cc,
    bcc,
    replyTo,
    addressed: `${to}\n${cc}\n${bcc}`,
    subject,
    messageId,
    text: [subject, from, to, cc, bcc, replyTo, messageId, s.Snippet.toLowerCase()].join('\n'),
    created: Date.parse(s.Created),
  };
  holder[RECORD] = record;
  return record;
}

/** Source bytes of the main text part decoded for body search; the rest of a huge body is not searched. */
const BODY_SOURCE = 64 * 1024;
/** Body texts kept between searches; a body search over more mail than this decodes again. */
const BODY_CACHE_BYTES = 32 * 1024 * 1024;

const bodies = new LRUCache<string, string>({
  maxSize: BODY_CACHE_BYTES,
  sizeCalculation: (text) => Math.max(1, text.length),
});

/**
 * The lower-cased decoded body text of a message, for plain words that the summary fields do not
 * contain. Decoded without a MIME parser and cached in a byte-bounded LRU.
 */
export function bodyOf(message: StoredMessage): string {
  let text = bodies.get(message.id);
  if (text === undefined) {
    text = bodyText(message.raw, BODY_SOURCE).toLowerCase();
    bodies.set(message.id, text);
  }
  return text;
}

const CONTENT_ID_LINE = /(^|\n)content-id:/i;

/**
 * Whether a message has inline parts (`has:inline`): a part header with a Content-ID. A byte scan of
 * the raw message, not a MIME parse, remembered in its search record.
 */
export function hasInline(message: StoredMessage): boolean {
  const record = recordOf(message);
  if (record.inline === undefined) {
    const raw = message.raw;
    let flag = false;
    for (const spelling of ['ontent-ID:', 'ontent-Id:', 'ontent-id:', 'ONTENT-ID:']) {
      const at = raw.indexOf(spelling, 0, 'latin1');
      if (at !== -1 && CONTENT_ID_LINE.test(raw.toString('latin1', Math.max(0, at - 2), at + 10))) {
        flag = true;
        break;
      }
    }
    record.inline = flag;
  }
  return record.inline;
}
