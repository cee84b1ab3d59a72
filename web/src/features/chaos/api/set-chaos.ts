import type { ChaosTriggersBody } from '@pigeonhole/shared/schemas/chaos';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { client } from '../../../lib/client';
import { CHAOS_KEY } from './get-chaos';

/** Saves the chaos triggers (`PUT /api/v1/chaos`). */
export function useSetChaos() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChaosTriggersBody) => client.setChaos(body),
    onSuccess: (triggers) => queryClient.setQueryData(CHAOS_KEY, triggers),
  });
}
