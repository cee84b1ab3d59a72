import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import { toWire, wireSize } from './wire';

/** One message of a POP3 session's maildrop. */
export interface MaildropEntry {
  readonly message: StoredMessage;
  /** Size as STAT and LIST report it. */
  readonly size: number;
  deleted: boolean;
}

const sizes = new WeakMap<StoredMessage, number>();

function sizeOf(message: StoredMessage): number {
  let size = sizes.get(message);
  if (size === undefined) {
    size = message.withRaw(wireSize);
    sizes.set(message, size);
  }
  return size;
}

/** The byte-stuffed multi-line body of a message, for RETR and TOP. */
export function wireOf(entry: MaildropEntry): Buffer {
  // toWire returns the bytes themselves when they need no stuffing: copied then, as they are lent.
  return entry.message.withRaw((raw) => {
    const wire = toWire(raw);
    return wire === raw ? Buffer.from(raw) : wire;
  });
}

/** True when `address` is among the message's To or Cc header addresses or its envelope recipients. */
export function addressedTo(message: StoredMessage, address: string): boolean {
  const wanted = address.toLowerCase();
  const { To, Cc } = message.summary;
  return (
    To.some((a) => a.Address.toLowerCase() === wanted) ||
    Cc.some((a) => a.Address.toLowerCase() === wanted) ||
    message.envelope.rcptTo.some((r) => r.toLowerCase() === wanted)
  );
}

/**
 * The maildrop of a login, fixed at login as RFC 1939 wants (mail that arrives later shows up at the
 * next login). A login name that is an address (`alice@example.test`) sees only the mail addressed to
 * it, one mailbox per recipient as in the web UI; any other name sees every message. Oldest first,
 * so message 1 is the oldest, as mail clients expect.
 */
export function openMaildrop(store: MessageStore, login: string): MaildropEntry[] {
  const filter = login.includes('@') ? (m: StoredMessage) => addressedTo(m, login) : () => true;
  const entries: MaildropEntry[] = [];
  for (const message of store.newestFirst()) {
    if (filter(message)) entries.push({ message, size: sizeOf(message), deleted: false });
  }
  return entries.reverse();
}
