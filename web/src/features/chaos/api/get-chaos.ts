import { PigeonholeHttpError } from '@pigeonhole/shared/client';
import type { ChaosTriggers } from '@pigeonhole/shared/schemas/chaos';
import { useQuery } from '@tanstack/react-query';
import { getChaos } from '../../../lib/api-gaps';

/** Query key of the chaos triggers. */
export const CHAOS_KEY = ['chaos'] as const;

/**
 * The chaos triggers, or null when the server answers 404 (chaos not enabled, or a server without
 * the route): the UI then hides its chaos controls.
 */
export async function getChaosOrNull(): Promise<ChaosTriggers | null> {
  try {
    return await getChaos();
  } catch (err) {
    if (err instanceof PigeonholeHttpError && (err.status === 404 || err.status === 405)) return null;
    throw err;
  }
}

/** The chaos triggers for the panel and the sidebar entry; asked only when `enabled`. */
export function useChaos(enabled: boolean) {
  return useQuery({ queryKey: CHAOS_KEY, queryFn: getChaosOrNull, retry: false, staleTime: 30_000, enabled });
}
