import type { MessageSummary } from './schemas/messages';

/** What `waitForMessage` and `waitForMessages` look for; every field given must match. */
export interface WaitFilter {
  /** A recipient address (To, Cc or Bcc). */
  to?: string;
  /** The sender address. */
  from?: string;
  /** Words or a phrase the subject contains. */
  subject?: string;
  /** Any further query in Mailpit's search syntax. */
  query?: string;
  /** Milliseconds to wait; default 10,000, at most 5 minutes. */
  timeout?: number;
}

/** Thrown when nothing matching arrived in time; says what was asked and what did arrive. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly query: string,
    readonly timeoutMs: number,
    readonly arrived: MessageSummary[],
    readonly wanted = 1,
    readonly matched = 0,
  ) {
    const asked = query ? ` matching "${query}"` : '';
    const what = wanted > 1 ? `only ${matched} of ${wanted} messages${asked} arrived` : `no message${asked} arrived`;
    const list = arrived.length
      ? arrived
          .map((m) => `  - "${m.Subject}" from ${m.From?.Address ?? '?'} to ${m.To.map((a) => a.Address).join(', ')}`)
          .join('\n')
      : '  (no messages at all)';
    super(`${what} within ${timeoutMs} ms; the newest messages are:\n${list}`);
    this.name = 'WaitTimeoutError';
  }
}

/** Quotes a value for the search syntax; quotes inside cannot be escaped there, so they go. */
function quote(value: string): string {
  const clean = value.replace(/"/g, ' ').trim();
  return /\s/.test(clean) ? `"${clean}"` : clean;
}

/** Builds the search query of a {@link WaitFilter}: `to:... from:... subject:"..." query`. */
export function waitQuery(filter: WaitFilter): string {
  const parts: string[] = [];
  // `addressed:` covers To, Cc and Bcc (the envelope), as the field's doc promises; `to:` is To only.
  if (filter.to) parts.push(`addressed:${quote(filter.to)}`);
  if (filter.from) parts.push(`from:${quote(filter.from)}`);
  if (filter.subject) parts.push(`subject:${quote(filter.subject)}`);
  if (filter.query) parts.push(filter.query.trim());
  return parts.join(' ');
}
