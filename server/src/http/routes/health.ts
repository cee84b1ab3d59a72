import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Routes } from '@pigeonhole/shared/routes';

/** `/livez` while the process runs; `/readyz` once SMTP and HTTP both listen. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(Routes.livez, async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get(Routes.readyz, async (_req, reply) => {
    if (!app.pigeonhole.ready()) return reply.code(503).type('text/plain').send('starting');
    return reply.type('text/plain').send('ok');
  });
};
