import { client } from '../../../lib/client';
import type { PageResult } from '../lib/message-window';

/**
 * One page of the list for a view: `GET /api/v1/messages` without a query, `GET /api/v1/search`
 * with one. Also reports the totals of the whole store, for the title and favicon badge.
 */
export async function getMessagesPage(
  query: string,
  start: number,
  limit: number,
): Promise<PageResult & { total: number; totalUnread: number }> {
  const tz = timeZone();
  const list = query
    ? await client.search(query, tz ? { start, limit, tz } : { start, limit })
    : await client.messages({ start, limit });
  return {
    matching: list.messages_count,
    unread: list.messages_unread,
    messages: list.messages,
    total: list.total,
    totalUnread: list.unread,
  };
}

function timeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
