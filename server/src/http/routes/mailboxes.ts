import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { MailboxesSchema, type Mailbox } from '@pigeonhole/shared/schemas/message';

/** Ours: `/api/v1/mailboxes`, every recipient seen (To, Cc, and Bcc from the envelope) with counts. */
export const mailboxesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;

  app.route({
    ...endpoint('mailboxes', 'GET'),
    schema: {
      tags: ['Pigeonhole'],
      summary: 'Every recipient address seen, with message and unread counts, for an inbox per recipient',
      response: { 200: MailboxesSchema },
    },
    handler: async () => {
      await store.summaries();
      const boxes = new Map<string, Mailbox>();
      // Newest first, so the name kept for an address is the latest one it was given.
      for (const message of store.newestFirst()) {
        const s = message.summary;
        const seen = new Set<string>();
        for (const address of [...s.To, ...s.Cc, ...s.Bcc]) {
          const key = address.Address.toLowerCase();
          if (!key || seen.has(key)) continue;
          seen.add(key);
          let box = boxes.get(key);
          if (!box) {
            box = { Address: key, Name: address.Name, Messages: 0, Unread: 0 };
            boxes.set(key, box);
          } else if (!box.Name && address.Name) box.Name = address.Name;
          box.Messages++;
          if (!s.Read) box.Unread++;
        }
      }
      return { mailboxes: [...boxes.values()].sort((a, b) => a.Address.localeCompare(b.Address)) };
    },
  });
};
