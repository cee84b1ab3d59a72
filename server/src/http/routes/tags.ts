import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { OkTextSchema } from '@pigeonhole/shared/schemas/common';
import { cleanTags } from '../../tags/clean';
import { apiError } from '../errors';
import {
  RenameTagBodySchema,
  SetTagsBodySchema,
  TagListSchema,
  TagParamsSchema,
} from '@pigeonhole/shared/schemas/tags';

const TAGS = ['Mailpit API v1'];

/** Mailpit API v1 tags: list, set on messages, rename, delete. */
export const tagsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;

  app.route({
    ...endpoint('tags', 'GET'),
    schema: { tags: TAGS, summary: 'Every tag in use, sorted', response: { 200: TagListSchema } },
    handler: async () => store.tags,
  });

  app.route({
    ...endpoint('tags', 'PUT'),
    schema: {
      tags: TAGS,
      summary: 'Set (replace) the tags of these messages; an empty list removes them',
      body: SetTagsBodySchema,
      response: { 200: OkTextSchema },
    },
    handler: async (req, reply) => {
      const tags = cleanTags(req.body.Tags ?? []);
      for (const id of req.body.IDs) store.setTags(id, tags);
      return reply.type('text/plain; charset=utf-8').send('ok');
    },
  });

  app.route({
    ...endpoint('tag', 'PUT'),
    schema: {
      tags: TAGS,
      summary: 'Rename a tag on every message',
      params: TagParamsSchema,
      body: RenameTagBodySchema,
      response: { 200: OkTextSchema },
    },
    handler: async (req, reply) => {
      const [name] = cleanTags([req.body.Name]);
      if (!name) throw apiError('BAD_REQUEST', 'Invalid tag name');
      const from = req.params.tag.toLowerCase();
      // Summaries deferred past a burst carry no tags; made first all the same, so every one is seen.
      await store.summaries();
      for (const message of [...store.newestFirst()]) {
        const tags = message.tags;
        if (!tags.some((t) => t.toLowerCase() === from)) continue;
        store.setTags(
          message.id,
          tags.map((t) => (t.toLowerCase() === from ? name : t)),
        );
      }
      return reply.type('text/plain; charset=utf-8').send('ok');
    },
  });

  app.route({
    ...endpoint('tag', 'DELETE'),
    schema: {
      tags: TAGS,
      summary: 'Remove a tag from every message',
      params: TagParamsSchema,
      response: { 200: OkTextSchema },
    },
    handler: async (req, reply) => {
      const gone = req.params.tag.toLowerCase();
      // Summaries deferred past a burst carry no tags; made first all the same, so every one is seen.
      await store.summaries();
      for (const message of [...store.newestFirst()]) {
        const tags = message.tags;
        if (tags.some((t) => t.toLowerCase() === gone)) {
          store.setTags(
            message.id,
            tags.filter((t) => t.toLowerCase() !== gone),
          );
        }
      }
      return reply.type('text/plain; charset=utf-8').send('ok');
    },
  });
};
