import { client } from '../../../lib/client';

/** What a read-state change applies to: these IDs, every match of a query, or (neither) all. */
export interface ReadTarget {
  ids?: string[];
  search?: string;
}

/** Marks messages read or unread (`PUT /api/v1/messages`); the server's `update` events follow. */
export function setRead(read: boolean, target: ReadTarget): Promise<void> {
  return client.setRead(read, target);
}
