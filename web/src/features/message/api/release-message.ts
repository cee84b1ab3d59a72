import { useMutation } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** Releases (relays) a message to real recipients: `POST /api/v1/message/{ID}/release`. */
export function useReleaseMessage(id: string) {
  return useMutation({ mutationFn: (to: string[]) => client.releaseMessage(id, { To: to }) });
}
