import { client } from '../../../lib/client';

/** Marks one message read or unread by ID (`PUT /api/v1/messages`); an `update` event follows. */
export function setMessageRead(id: string, read: boolean): Promise<void> {
  return client.setRead(read, { ids: [id] });
}
