import { useMutation } from '@tanstack/react-query';
import { releaseMessage } from '../../../lib/api-gaps';

/** Releases (relays) a message to real recipients: `POST /api/v1/message/{ID}/release`. */
export function useReleaseMessage(id: string) {
  return useMutation({ mutationFn: (to: string[]) => releaseMessage(id, { To: to }) });
}
