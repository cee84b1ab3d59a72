import type { HtmlCheck } from '@pigeonhole/shared/schemas/checks';
import type { Message } from '@pigeonhole/shared/schemas/message';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** HTML compatibility across mail clients (`GET /api/v1/message/{ID}/html-check`). */
export function getHtmlCheck(id: string): Promise<HtmlCheck> {
  return client.htmlCheck(id);
}

/**
 * Whether the message has an HTML part, from the full message (the message view's query key, so
 * its answer is reused): a message without one is not asked for a check the server answers 404.
 */
export function useHasHtml(id: string) {
  return useQuery({
    queryKey: ['message', id],
    queryFn: (): Promise<Message> => client.get(id),
    staleTime: Infinity,
    retry: false,
    select: (message) => message.HTML.length > 0,
  });
}

/** The HTML check of the open message, once it is known to have HTML; fetched once. */
export function useHtmlCheck(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['html-check', id],
    queryFn: () => getHtmlCheck(id),
    staleTime: Infinity,
    retry: false,
    enabled,
  });
}
