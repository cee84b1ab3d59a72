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
}

function addressText(list: readonly Address[]): string {
  return list
    .map((a) => (a.Name ? `${a.Name} <${a.Address}>` : a.Address))
    .join(', ')
    .toLowerCase();
}

const records = new WeakMap<StoredMessage, SearchRecord>();

/** The search record of a message (cached for the life of the message object). */
export function recordOf(message: StoredMessage): SearchRecord {
  let record = records.get(message);
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
  records.set(message, record);
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

const inlineFlags = new WeakMap<StoredMessage, boolean>();
const CONTENT_ID_LINE = /(^|\n)content-id:/i;

/**
 * Whether a message has inline parts (`has:inline`): a part header with a Content-ID. A byte scan of
 * the part headers, not a MIME parse, cached per message.
 */
export function hasInline(message: StoredMessage): boolean {
  let flag = inlineFlags.get(message);
  if (flag === undefined) {
    const raw = message.raw;
    flag = false;
    let at = raw.indexOf('ontent-ID:', 0, 'latin1');
    if (at === -1) at = raw.indexOf('ontent-Id:', 0, 'latin1');
    if (at === -1) at = raw.indexOf('ontent-id:', 0, 'latin1');
    if (at !== -1) flag = CONTENT_ID_LINE.test(raw.toString('latin1', Math.max(0, at - 2), at + 10));
    inlineFlags.set(message, flag);
  }
  return flag;
}
