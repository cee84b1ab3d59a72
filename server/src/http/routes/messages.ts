import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Routes } from '@pigeonhole/shared/routes';
import { IdParamsSchema } from '@pigeonhole/shared/schemas/common';
import { MessagesListSchema, PageQuerySchema } from '@pigeonhole/shared/schemas/messages';
import { apiError } from '../errors';

/** Mailpit API v1: the message list and raw message. */
export const messagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;

  app.get(
    Routes.messages,
    { schema: { querystring: PageQuerySchema, response: { 200: MessagesListSchema } } },
    async (req) => {
      const start = req.query.start ?? 0;
      const limit = req.query.limit ?? 50;
      const messages = store.page(start, limit).map((m) => m.summary);
      return {
        total: store.count,
        unread: store.unread,
        count: messages.length,
        messages_count: store.count,
        messages_unread: store.unread,
        start,
        tags: store.tags,
        messages,
      };
    },
  );

  app.get(Routes.messageRaw, { schema: { params: IdParamsSchema } }, async (req, reply) => {
    const id = req.params.id;
    const message = id === 'latest' ? store.latest() : store.get(id);
    if (!message) throw apiError('MESSAGE_NOT_FOUND');
    return reply.type('text/plain; charset=utf-8').send(message.raw);
  });
};
