import type { Mailboxes } from '@pigeonhole/shared/schemas/message';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../../lib/client';

/** Query key of the mailbox list; invalidated when mail arrives, is read or goes. */
export const MAILBOXES_KEY = ['mailboxes'] as const;

/** Every recipient address seen with its counts (`GET /api/v1/mailboxes`). */
export function getMailboxes(): Promise<Mailboxes> {
  return client.mailboxes();
}

/** The mailboxes, for the sidebar. */
export function useMailboxes() {
  return useQuery({ queryKey: MAILBOXES_KEY, queryFn: getMailboxes });
}
