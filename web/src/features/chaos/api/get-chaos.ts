import { PigeonholeHttpError } from '@pigeonhole/shared/client';
import type { ChaosTriggers } from '@pigeonhole/shared/schemas/chaos';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** Query key of the chaos triggers. */
export const CHAOS_KEY = ['chaos'] as const;

/**
 * The chaos triggers, or null when the server has none: 404 (no such route) or 400 (Mailpit's
 * answer while chaos is not enabled). The UI then hides its chaos controls.
 */
export async function getChaosOrNull(): Promise<ChaosTriggers | null> {
  try {
    return await client.getChaos();
  } catch (err) {
    if (err instanceof PigeonholeHttpError && (err.status === 404 || err.status === 405 || err.status === 400))
      return null;
    throw err;
  }
}

/** The chaos triggers for the panel and the sidebar entry; asked only when `enabled`. */
export function useChaos(enabled: boolean) {
  return useQuery({ queryKey: CHAOS_KEY, queryFn: getChaosOrNull, retry: false, staleTime: 30_000, enabled });
}
