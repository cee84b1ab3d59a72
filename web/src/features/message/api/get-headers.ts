import type { Headers } from '@pigeonhole/shared/schemas/message';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** Every header by name (`GET /api/v1/message/{ID}/headers`). */
export function getHeaders(id: string): Promise<Headers> {
  return client.headers(id);
}

/** The headers of the open message, for the Headers tab. */
export function useHeaders(id: string) {
  return useQuery({ queryKey: ['headers', id], queryFn: () => getHeaders(id), staleTime: Infinity, retry: false });
}
