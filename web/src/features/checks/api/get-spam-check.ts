import type { SpamCheck } from '@pigeonhole/shared/schemas/checks';
import type { WebUiConfig } from '@pigeonhole/shared/schemas/info';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** The spam score from SpamAssassin or rspamd (`GET /api/v1/message/{ID}/sa-check`). */
export function getSpamCheck(id: string): Promise<SpamCheck> {
  return client.spamCheck(id);
}

/** Whether a spam filter is set up (`/api/v1/webui`'s SpamAssassin; the same query the inbox makes). */
export function useSpamEnabled() {
  return useQuery({
    queryKey: ['webui'],
    queryFn: (): Promise<WebUiConfig | null> => client.webui().catch(() => null),
    staleTime: 60_000,
    select: (webui) => webui?.SpamAssassin ?? false,
  });
}

/** The spam check of the open message, once a filter is known to be set up. */
export function useSpamCheck(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['spam-check', id],
    queryFn: () => getSpamCheck(id),
    staleTime: Infinity,
    retry: false,
    enabled,
  });
}
