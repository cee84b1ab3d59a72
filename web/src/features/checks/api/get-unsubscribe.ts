import type { Message } from '@pigeonhole/shared/schemas/message';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/**
 * The message's `ListUnsubscribe` (header, links, errors), from the full message: the same query
 * key as the message view's, so the tab reuses the answer it already has.
 */
export function useListUnsubscribe(id: string) {
  return useQuery({
    queryKey: ['message', id],
    queryFn: (): Promise<Message> => client.get(id),
    staleTime: Infinity,
    retry: false,
    select: (message) => message.ListUnsubscribe,
  });
}
