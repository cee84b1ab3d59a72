import type { HtmlCheck } from '@pigeonhole/shared/schemas/checks';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** HTML compatibility across mail clients (`GET /api/v1/message/{ID}/html-check`). */
export function getHtmlCheck(id: string): Promise<HtmlCheck> {
  return client.htmlCheck(id);
}

/** The HTML check of the open message; a message never changes, so it is fetched once. */
export function useHtmlCheck(id: string) {
  return useQuery({ queryKey: ['html-check', id], queryFn: () => getHtmlCheck(id), staleTime: Infinity, retry: false });
}
