// The tool agents need most: wait for a message, server-side (`GET /api/v1/wait`), no polling.
import { PigeonholeHttpError } from '@pigeonhole/shared/client';
import { waitQuery } from '@pigeonhole/shared/client-wait';
import { MAX_QUERY_LENGTH } from '@pigeonhole/shared/schemas/messages';
import { z } from 'zod';
import { compactSummary, errorResult, jsonResult } from '../format';
import { WAIT_DEFAULT_S, WAIT_MAX_S } from '../limits';
import { SEARCH_SYNTAX } from '../search-syntax';
import { defineTool } from '../tool';

/** Settles with `promise`, or rejects with an AbortError as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DOMException('Cancelled', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new DOMException('Cancelled', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const address = z.string().min(1).max(320);

export const waitForMessage = defineTool({
  name: 'wait_for_message',
  title: 'Wait for a message to arrive',
  description:
    'Wait until a message matching the filters arrives, and return its summary (with its id for get_message, ' +
    'get_code and get_links). Answers at once when one already matches, so to wait for NEW mail either run ' +
    'delete_all_messages before triggering it, or add is:unread (reading a message marks it read) or ' +
    'after:<ISO time> to the query. The wait runs in Pigeonhole (a long-poll, not polling) and ends with an ' +
    `error result after timeoutSeconds (default ${WAIT_DEFAULT_S}, at most ${WAIT_MAX_S}) naming what did arrive. ` +
    'to, from and subject are shorthands joined to query. ' +
    SEARCH_SYNTAX,
  input: z.object({
    to: address.optional().describe('A recipient address (To, Cc, Bcc or envelope), e.g. alice@example.test'),
    from: address.optional().describe('The sender address'),
    subject: z.string().max(500).optional().describe('Words the subject contains'),
    query: z.string().max(MAX_QUERY_LENGTH).optional().describe('Any further search terms (syntax above)'),
    timeoutSeconds: z
      .number()
      .min(0)
      .max(WAIT_MAX_S)
      .default(WAIT_DEFAULT_S)
      .describe('Give up after this many seconds; keep it below your own tool-call timeout'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run({ to, from, subject, query, timeoutSeconds }, client, extra) {
    const filter = { ...(to ? { to } : {}), ...(from ? { from } : {}), ...(subject ? { subject } : {}) };
    const q = waitQuery({ ...filter, ...(query ? { query } : {}) });
    const timeout = Math.round(timeoutSeconds * 1000);
    try {
      const list = await abortable(client.wait({ query: q, count: 1, timeout }), extra.signal);
      const [first] = list.messages;
      return jsonResult({
        matched: list.messages_count,
        message: first ? compactSummary(first) : null,
        next: 'get_code, get_links or get_message with this id',
      });
    } catch (err) {
      if (!(err instanceof PigeonholeHttpError) || err.status !== 408) throw err;
      const newest = await client.messages({ limit: 5 }).then(
        (l) =>
          l.messages.map(
            (m) => `"${m.Subject}" from ${m.From?.Address ?? '?'} to ${m.To.map((a) => a.Address).join(', ')}`,
          ),
        () => [],
      );
      return errorResult(
        `No message${q ? ` matching "${q}"` : ''} arrived within ${timeoutSeconds} s. ` +
          (newest.length ? `The newest messages are: ${newest.join('; ')}.` : 'Pigeonhole holds no mail at all.') +
          ' Check that the app sends to this Pigeonhole (its SMTP port), and the address or query.',
      );
    }
  },
});
