import type { StoredMessage } from '../store/types';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An RFC 5322 date-time in UTC: `Mon, 23 Nov 2026 23:05:09 +0000`. */
export function rfc5322Date(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Client-supplied text (the HELO name) made safe for a header comment: printable ASCII, no parentheses. */
function clean(text: string): string {
  return text.replace(/[^\x21-\x7e]|[()\\]/g, '').slice(0, 200) || 'unknown';
}

/**
 * The `Received` trace header (RFC 5321 section 4.4) that Pigeonhole prepends when it hands a caught
 * message on: from whom it received it, over what (ESMTP, with S for TLS and A for AUTH as in
 * RFC 3848), under which ID, and when. Folded, CRLF-terminated. `instance` tells this Pigeonhole's
 * copies apart from others', so that auto-relay can see a loop back to itself.
 */
export function receivedHeader(
  message: StoredMessage,
  hostname: string,
  how: 'release' | 'auto-relay',
  instance: string,
): string {
  const { session } = message;
  const protocol = `ESMTP${session.secure ? 'S' : ''}${session.username ? 'A' : ''}`;
  const created = new Date(message.summary.Created);
  return (
    `Received: from ${clean(session.helo)} (${clean(session.clientAddress)})\r\n` +
    `\tby ${clean(hostname)} (Pigeonhole ${how}, instance ${instance}) with ${protocol} id ${message.id};\r\n` +
    `\t${rfc5322Date(Number.isNaN(created.getTime()) ? new Date() : created)}\r\n`
  );
}
