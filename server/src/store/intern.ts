import type { Address } from '@pigeonhole/shared/schemas/common';
import type { Envelope } from './types';

/**
 * Strings that stay in memory for the life of a message are cut loose from what they were cut from.
 * V8 keeps a substring of 13 characters or more as a view of its parent, so a Subject sliced from a
 * header block pins the whole block, and a string built by concatenation is a tree of pieces. A JSON
 * round trip makes a fresh flat string of exactly the value (about 1 µs for a snippet, off the SMTP
 * path since summaries are deferred); `${value} `.slice(0, -1), which this replaced, left a 32-byte
 * view on a copy for each of the three long strings of every summary (heap snapshots, test/bench).
 */
export function flat(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

/** Entries an interner holds before it starts over: enough for every sender and recipient of a run. */
const MAX_INTERNED = 20_000;

/**
 * One shared copy of values that repeat across messages (addresses, HELO names, client addresses):
 * 100,000 messages from one sender hold one `From` object, not 100,000.
 */
export class Interner<T> {
  #map = new Map<string, T>();

  /** The shared value for `key`, made by `make` the first time. */
  get(key: string, make: () => T): T {
    let value = this.#map.get(key);
    if (value === undefined) {
      if (this.#map.size >= MAX_INTERNED) this.#map = new Map();
      value = make();
      this.#map.set(flat(key), value);
    }
    return value;
  }
}

const addressInterner = new Interner<Address>();
const stringInterner = new Interner<string>();

/** A shared `{ Name, Address }` object for this pair. Shared objects are never mutated. */
export function internAddress(address: Address): Address {
  return addressInterner.get(`${address.Name}\u0000${address.Address}`, () => ({
    Name: flat(address.Name),
    Address: flat(address.Address),
  }));
}

/** A shared copy of a string that repeats across messages. */
export function internString(value: string): string {
  return value.length === 0 ? '' : stringInterner.get(value, () => flat(value));
}

const listInterner = new Interner<readonly unknown[]>();
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * One shared, frozen array for each list of values that repeats across messages (the To of a
 * newsletter, the RCPT TO of a test's recipient): an array costs 56 bytes or more, and a message has
 * six of them. `key` names an item. Shared arrays are never mutated; a tag change replaces the array.
 */
function internList<T>(items: T[], key: (item: T) => string, intern: (item: T) => T): T[] {
  if (items.length === 0) return EMPTY as never[];
  const shared = items.map(intern);
  const listKey = shared.map(key).join('\u0001');
  return listInterner.get(listKey, () => Object.freeze(shared)) as T[];
}

/** A shared array of shared addresses. */
export function internAddressList(list: Address[]): Address[] {
  return internList(list, (a) => `@${a.Name}\u0000${a.Address}`, internAddress);
}

/** A shared array of shared strings. */
export function internStringList(list: string[]): string[] {
  return internList(list, (s) => `$${s}`, internString);
}

const envelopeInterner = new Interner<Envelope>();

/**
 * A shared, frozen envelope for each sender and recipient list: a load test's messages share a
 * handful. Shared envelopes are never mutated.
 */
export function internEnvelope(envelope: Envelope): Envelope {
  // Delivery-report requests differ per message (ENVID is an ID): such an envelope is not shared.
  if (envelope.dsn) {
    const { mailFrom, rcptTo, dsn } = envelope;
    return Object.freeze({ mailFrom: internString(mailFrom), rcptTo: internStringList(rcptTo), dsn });
  }
  return envelopeInterner.get(`${envelope.mailFrom}\u0002${envelope.rcptTo.join('\u0001')}`, () =>
    Object.freeze({ mailFrom: internString(envelope.mailFrom), rcptTo: internStringList(envelope.rcptTo) }),
  );
}

const tlsInterner = new Interner<{ protocol: string; cipher: string }>();

/** A shared `{ protocol, cipher }` for a TLS session's facts: a machine negotiates one or two. */
export function internTls(tls: { protocol: string; cipher: string }): { protocol: string; cipher: string } {
  return tlsInterner.get(`${tls.protocol} ${tls.cipher}`, () => ({ protocol: tls.protocol, cipher: tls.cipher }));
}
