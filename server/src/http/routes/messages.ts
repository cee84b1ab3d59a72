import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyRequest } from 'fastify';
import { OkTextSchema } from '@pigeonhole/shared/schemas/common';
import {
  DeleteBodySchema,
  DeleteSearchQuerySchema,
  MAX_PAGE_LIMIT,
  MessagesListSchema,
  PageQuerySchema,
  SearchQuerySchema,
  SetReadBodySchema,
} from '@pigeonhole/shared/schemas/messages';
import { messagesList, runSearch, searchError } from '../api-context';
import { searchAll } from '../../search/search';

/** Requests that came without a body: MailHog's "delete all" is told apart by this. */
const bodyless = new WeakSet<FastifyRequest>();

/** Mailpit accepts these routes without a body (Go decodes nothing into zero values); so do we. */
async function emptyBodyIsObject(req: FastifyRequest): Promise<void> {
  if (req.body === undefined || req.body === null) {
    bodyless.add(req);
    req.body = {};
  }
}

/** Mailpit API v1: the message list, read state of many, and deleting many (or all). */
export const messagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;

  app.route({
    ...endpoint('messages', 'GET'),
    schema: {
      tags: ['Mailpit API v1'],
      summary: 'List messages, newest first',
      querystring: PageQuerySchema,
      response: { 200: MessagesListSchema },
    },
    handler: async (req) => {
      const start = req.query.start ?? 0;
      const limit = Math.min(req.query.limit ?? 50, MAX_PAGE_LIMIT);
      return messagesList(store, { page: store.page(start, limit), matched: store.count, unread: store.unread }, start);
    },
  });

  app.route({
    ...endpoint('messages', 'PUT'),
    schema: {
      tags: ['Mailpit API v1'],
      summary: 'Mark messages read or unread: these IDs, every search match, or all',
      body: SetReadBodySchema,
      response: { 200: OkTextSchema },
    },
    preValidation: emptyBodyIsObject,
    handler: async (req, reply) => {
      const body = req.body;
      // Go's zero value: Mailpit treats a missing `Read` as false.
      const read = body.Read ?? false;
      let ids: Iterable<string>;
      if (body.IDs && body.IDs.length > 0) ids = body.IDs;
      else if (body.Search?.trim()) {
        try {
          ids = (await searchAll(store, body.Search)).map((m) => m.id);
        } catch (err) {
          throw searchError(err, req.log);
        }
      } else ids = [...store.newestFirst()].map((m) => m.id);
      store.setRead(ids, read);
      return reply.type('text/plain; charset=utf-8').send('ok');
    },
  });

  app.route({
    ...endpoint('messages', 'DELETE'),
    schema: {
      tags: ['Mailpit API v1', 'MailHog API'],
      summary: 'Delete these messages; without IDs, delete all',
      description:
        'With no body this is also MailHog\'s "delete all", answered with an empty body because the mailhog client JSON-parses any non-empty answer.',
      body: DeleteBodySchema,
    },
    preValidation: emptyBodyIsObject,
    handler: async (req, reply) => {
      const ids = req.body.IDs ?? [];
      if (ids.length > 0) {
        store.delete(ids);
        return reply.type('text/plain; charset=utf-8').send('ok');
      }
      store.clear();
      // No body at all: MailHog's `DELETE /api/v1/messages`; its npm client JSON-parses any
      // non-empty answer, so the answer is empty. Mailpit's clients ignore the text.
      if (bodyless.has(req)) return reply.code(200).send();
      return reply.type('text/plain; charset=utf-8').send('ok');
    },
  });

  app.route({
    ...endpoint('search', 'GET'),
    schema: {
      tags: ['Mailpit API v1'],
      summary: "Search messages with Mailpit's query syntax",
      querystring: SearchQuerySchema,
      response: { 200: MessagesListSchema },
    },
    handler: async (req) => {
      const start = req.query.start ?? 0;
      const limit = Math.min(req.query.limit ?? 50, MAX_PAGE_LIMIT);
      return messagesList(store, await runSearch(store, req.query.query, start, limit, req.query.tz, req.log), start);
    },
  });

  app.route({
    ...endpoint('search', 'DELETE'),
    schema: {
      tags: ['Mailpit API v1'],
      summary: 'Delete every message matching a search',
      querystring: DeleteSearchQuerySchema,
      response: { 200: OkTextSchema },
    },
    handler: async (req, reply) => {
      let ids: string[];
      try {
        ids = (await searchAll(store, req.query.query, req.query.tz)).map((m) => m.id);
      } catch (err) {
        throw searchError(err, req.log);
      }
      store.delete(ids);
      return reply.type('text/plain; charset=utf-8').send('ok');
    },
  });
};
