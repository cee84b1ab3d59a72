import type { Address } from '@pigeonhole/shared/schemas/common';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { flat, Interner } from './intern';
import type { SearchRecord } from './types';

/** Lower-cased text of an interned (shared, frozen) address list, made once per list. */
const listTexts = new WeakMap<readonly Address[], string>();
const addressTexts = new WeakMap<Address, string>();
const addressedTexts = new Interner<string>();

function oneAddressText(a: Address): string {
  let text = addressTexts.get(a);
  if (text === undefined) {
    text = flat((a.Name ? `${a.Name} <${a.Address}>` : a.Address).toLowerCase());
    addressTexts.set(a, text);
  }
  return text;
}

function addressText(list: readonly Address[]): string {
  if (list.length === 0) return '';
  let text = listTexts.get(list);
  if (text === undefined) {
    text = list.length === 1 ? oneAddressText(list[0]!) : list.map(oneAddressText).join(', ');
    listTexts.set(list, text);
  }
  return text;
}

/** Lower case, sharing the string when it already is (V8 returns a copy either way). */
function lower(text: string): string {
  const low = text.toLowerCase();
  return low === text ? text : low;
}

/** The lower-cased address texts of a message; one shared object for every message with the same. */
type AddressTexts = Pick<SearchRecord, 'from' | 'to' | 'cc' | 'bcc' | 'replyTo' | 'addressed'>;

const addressGroups = new Interner<AddressTexts>();

/**
 * A message's search record. The six address texts sit in one object shared by every message with
 * the same senders and recipients (a test suite's handful, a bench's few hundred): 40 bytes less a
 * message than six fields of its own, which at 100,000 kept messages is 4 MB of a heap of 80.
 */
class Record implements SearchRecord {
  readonly #addresses: AddressTexts;
  readonly subject: string;
  readonly messageId: string;
  inline: boolean | undefined = undefined;

  constructor(addresses: AddressTexts, subject: string, messageId: string) {
    this.#addresses = addresses;
    this.subject = subject;
    this.messageId = messageId;
  }

  get from(): string {
    return this.#addresses.from;
  }

  get to(): string {
    return this.#addresses.to;
  }

  get cc(): string {
    return this.#addresses.cc;
  }

  get bcc(): string {
    return this.#addresses.bcc;
  }

  get replyTo(): string {
    return this.#addresses.replyTo;
  }

  get addressed(): string {
    return this.#addresses.addressed;
  }
}

/** The search record of a summary; its address lists should be the store's interned ones. */
export function searchRecord(s: MessageSummary): SearchRecord {
  const from = s.From ? oneAddressText(s.From) : '';
  const to = addressText(s.To);
  const cc = addressText(s.Cc);
  const bcc = addressText(s.Bcc);
  const replyTo = addressText(s.ReplyTo);
  const addresses = addressGroups.get(`${from}\u0000${replyTo}\u0000${to}\u0000${cc}\u0000${bcc}`, () => {
    const addressedKey = `${to}\n${cc}\n${bcc}`;
    return Object.freeze({
      from,
      to,
      cc,
      bcc,
      replyTo,
      addressed: addressedKey.length === 2 ? addressedKey : addressedTexts.get(addressedKey, () => flat(addressedKey)),
    });
  });
  return new Record(addresses, lower(s.Subject), lower(s.MessageID));
}

/**
 * Whether a lower-cased text occurs in any field of the summary: subject, addresses, Message-ID or
 * snippet. The snippet is lower-cased here, on the rare search that gets this far, rather than kept
 * lower-cased beside the summary's own: 250 characters a message were a fifth of the store's heap.
 * The fields were once kept joined by line feeds in one string; a text without a line feed matches
 * that string exactly when it matches one field, and one with a line feed is joined here.
 */
export function recordHas(r: SearchRecord, snippet: string, text: string): boolean {
  if (text.includes('\n')) {
    return [r.subject, r.from, r.to, r.cc, r.bcc, r.replyTo, r.messageId, snippet.toLowerCase()]
      .join('\n')
      .includes(text);
  }
  return (
    r.subject.includes(text) ||
    r.from.includes(text) ||
    r.to.includes(text) ||
    r.cc.includes(text) ||
    r.bcc.includes(text) ||
    r.replyTo.includes(text) ||
    r.messageId.includes(text) ||
    snippet.toLowerCase().includes(text)
  );
}
