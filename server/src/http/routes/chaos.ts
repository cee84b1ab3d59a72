import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { ChaosTriggersBodySchema, ChaosTriggersSchema } from '@pigeonhole/shared/schemas/chaos';
import { ChaosConfigError, type ChaosEngine } from '../../chaos/engine';
import { apiError } from '../errors';

/**
 * Mailpit's chaos API: `GET /api/v1/chaos` reads the triggers, `PUT` replaces them (an omitted trigger
 * is reset to 0 %) and answers the triggers now in force. Both answer 400 "Chaos is not enabled"
 * unless Pigeonhole runs with `--enable-chaos`, as in Mailpit.
 */
export const chaosRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const engineOrThrow = (): ChaosEngine => {
    const engine = app.pigeonhole.chaos;
    if (!engine) throw apiError('CHAOS_NOT_ENABLED');
    return engine;
  };

  const tags = ['Mailpit API v1'];
  app.route({
    ...endpoint('chaos', 'GET'),
    schema: { tags, summary: 'The chaos triggers in force', response: { 200: ChaosTriggersSchema } },
    handler: async () => engineOrThrow().triggers,
  });

  app.route({
    ...endpoint('chaos', 'PUT'),
    schema: {
      tags,
      summary: 'Replace the chaos triggers (omitted ones reset to 0 %)',
      body: ChaosTriggersBodySchema,
      response: { 200: ChaosTriggersSchema },
    },
    // Before validation, so that a body is not judged when chaos is off. (Keys are matched to the
    // schema without regard to case by the app-wide body-keys plugin.)
    preValidation: async () => {
      engineOrThrow();
    },
    handler: async (req) => {
      try {
        const triggers = engineOrThrow().set(req.body);
        req.log.info({ triggers }, 'chaos triggers set');
        return triggers;
      } catch (err) {
        if (err instanceof ChaosConfigError) throw apiError('BAD_REQUEST', err.message);
        throw err;
      }
    },
  });
};
