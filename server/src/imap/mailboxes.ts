import { atomOf, ParseError, type Token } from './parser';
import { mailboxFilter, type ImapShared } from './view';

/**
 * The mailbox list of a login: one mailbox, INBOX (docs/imap.md says why tags are not folders).
 * LIST, LSUB and STATUS answers.
 */

/** Whether a mailbox name is INBOX, which RFC 3501 makes case-insensitive. */
export function isInbox(name: string): boolean {
  return name.toUpperCase() === 'INBOX';
}

/**
 * LIST pattern matching (RFC 3501 section 6.3.8): `*` matches anything, `%` anything but `/`. By
 * dynamic programming, pattern length times name length, so that no pattern of stars backtracks.
 */
export function wildcardMatch(pattern: string, name: string): boolean {
  const p = pattern.toUpperCase();
  const n = name.toUpperCase();
  let row = new Array<boolean>(n.length + 1).fill(false);
  row[0] = true;
  for (const c of p) {
    const next = new Array<boolean>(n.length + 1).fill(false);
    if (c === '*' || c === '%') {
      next[0] = row[0]!;
      for (let j = 1; j <= n.length; j++) next[j] = row[j]! || (next[j - 1]! && (c === '*' || n[j - 1] !== '/'));
    } else {
      for (let j = 1; j <= n.length; j++) next[j] = row[j - 1]! && n[j - 1] === c;
    }
    row = next;
  }
  return row[n.length]!;
}

/** The untagged lines of LIST or LSUB. */
export function listLines(command: string, reference: string, pattern: string): string {
  // RFC 3501 section 6.3.8: an empty pattern asks for the hierarchy delimiter.
  if (pattern === '') return `* ${command} (\\Noselect) "/" ""\r\n`;
  return wildcardMatch(reference + pattern, 'INBOX') ? `* ${command} (\\HasNoChildren) "/" INBOX\r\n` : '';
}

/** The untagged STATUS line of INBOX for a login. */
export function statusLine(shared: ImapShared, login: string, items: Token | undefined): string {
  if (!items || items.kind !== 'list' || items.items.length === 0) throw new ParseError('STATUS needs a list of items');
  const messages = [...shared.store.newestFirst()].filter(mailboxFilter(login));
  const values = items.items.map((t) => {
    const item = atomOf(t, 'status item');
    if (item === 'MESSAGES') return `MESSAGES ${messages.length}`;
    if (item === 'RECENT') return 'RECENT 0';
    if (item === 'UIDNEXT') return `UIDNEXT ${shared.uidNext}`;
    if (item === 'UIDVALIDITY') return `UIDVALIDITY ${shared.uidValidity}`;
    if (item === 'UNSEEN') return `UNSEEN ${messages.filter((m) => !m.read).length}`;
    throw new ParseError(`unknown status item ${item.slice(0, 20)}`);
  });
  return `* STATUS INBOX (${values.join(' ')})\r\n`;
}
