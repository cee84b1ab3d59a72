import type { WebUiConfig } from '@pigeonhole/shared/schemas/info';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** What the UI should offer (`GET /api/v1/webui`): relay settings among others. */
export function getWebUi(): Promise<WebUiConfig> {
  return client.webui();
}

/** The UI settings; null when the server does not answer them. */
export function useWebUi() {
  return useQuery({
    queryKey: ['webui'],
    queryFn: () => getWebUi().catch(() => null),
    staleTime: 60_000,
  });
}
