import type { AuthCheck } from '@pigeonhole/shared/schemas/auth';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** DKIM, SPF, DMARC, ARC and BIMI of a message (`GET /api/v1/message/{ID}/auth-check`). */
export function getAuthCheck(id: string): Promise<AuthCheck> {
  return client.authCheck(id);
}

/**
 * The check of the open message, for the Authentication section. Not kept forever: records
 * published through the API after the first look change the answer (the server re-checks then).
 */
export function useAuthCheck(id: string) {
  return useQuery({ queryKey: ['auth-check', id], queryFn: () => getAuthCheck(id), staleTime: 5_000, retry: false });
}
