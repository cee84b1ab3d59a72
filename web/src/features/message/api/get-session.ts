import type { Session } from '@pigeonhole/shared/schemas/message';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** The SMTP session that delivered a message (`GET /api/v1/message/{ID}/session`). */
export function getSession(id: string): Promise<Session> {
  return client.session(id);
}

/** The session of the open message, for the SMTP tab. */
export function useSession(id: string) {
  return useQuery({ queryKey: ['session', id], queryFn: () => getSession(id), staleTime: Infinity, retry: false });
}
