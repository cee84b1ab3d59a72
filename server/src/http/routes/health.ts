import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';

/** `/livez` while the process runs; `/readyz` once SMTP and HTTP both listen. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('livez', 'GET'),
    handler: async (_req, reply) => reply.type('text/plain').send('ok'),
  });
  app.route({
    ...endpoint('readyz', 'GET'),
    handler: async (_req, reply) => {
      if (!app.pigeonhole.ready()) return reply.code(503).type('text/plain').send('starting');
      return reply.type('text/plain').send('ok');
    },
  });
};
