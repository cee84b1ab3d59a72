import { client } from '../../../lib/client';

/** Deletes one message by ID (`DELETE /api/v1/messages`); a `delete` event follows. */
export function deleteMessage(id: string): Promise<void> {
  return client.delete([id]);
}
