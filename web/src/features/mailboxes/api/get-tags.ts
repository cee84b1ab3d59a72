import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** Query key of the tag list. */
export const TAGS_KEY = ['tags'] as const;

/** Every tag in use, sorted (`GET /api/v1/tags`). */
export function getTags(): Promise<string[]> {
  return client.tags();
}

/** The tags, for the sidebar. */
export function useTags() {
  return useQuery({ queryKey: TAGS_KEY, queryFn: getTags });
}
