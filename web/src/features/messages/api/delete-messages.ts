import { client } from '../../../lib/client';

/** Deletes these messages (`DELETE /api/v1/messages` with IDs); `delete` events follow. */
export function deleteMessages(ids: string[]): Promise<void> {
  return client.delete(ids);
}

/**
 * Deletes every message of a view: all (`DELETE /api/v1/messages`) without a query, else every
 * match (`DELETE /api/v1/search`).
 */
export function deleteAll(query: string): Promise<void> {
  return query ? client.deleteSearch(query) : client.clear();
}
