import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** The exact bytes as received (`GET /api/v1/message/{ID}/raw`). */
export function getRaw(id: string): Promise<Uint8Array> {
  return client.raw(id);
}

/** The raw bytes of the open message, shared by the Source and MIME tabs. */
export function useRaw(id: string, enabled: boolean) {
  return useQuery({ queryKey: ['raw', id], queryFn: () => getRaw(id), staleTime: Infinity, retry: false, enabled });
}

/** The raw download URL, for the `.eml` link. */
export function rawUrl(id: string): string {
  return client.url('messageRaw', { id });
}
