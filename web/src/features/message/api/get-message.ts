import type { Message } from '@pigeonhole/shared/schemas/message';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** The full message (`GET /api/v1/message/{ID}`), which also marks it read, as in Mailpit. */
export function getMessage(id: string): Promise<Message> {
  return client.get(id);
}

/** The open message. A message never changes once stored, so it is fetched once. */
export function useMessage(id: string) {
  return useQuery({ queryKey: ['message', id], queryFn: () => getMessage(id), staleTime: Infinity, retry: false });
}
