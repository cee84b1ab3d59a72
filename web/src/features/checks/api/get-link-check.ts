import type { LinkCheck } from '@pigeonhole/shared/schemas/checks';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** The HTTP status of every link and image (`GET /api/v1/message/{ID}/link-check`). */
export function getLinkCheck(id: string, follow: boolean): Promise<LinkCheck> {
  return client.linkCheck(id, { follow });
}

/**
 * The link check of the open message, run only when asked for (`enabled`): it makes requests to
 * the links' servers, which the reader should choose to do, as in Mailpit.
 */
export function useLinkCheck(id: string, follow: boolean, enabled: boolean) {
  return useQuery({
    queryKey: ['link-check', id, follow],
    queryFn: () => getLinkCheck(id, follow),
    staleTime: 60_000,
    retry: false,
    enabled,
  });
}
