import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { UNMATCHED_ROUTE } from './labels';
import type { Metrics } from './metrics';

/** Registers `GET /metrics`, answered from `metrics`, or 404 with `offReason` when they are not served here. */
export function serveMetrics(app: FastifyInstance, metrics: Metrics | null, offReason: string): void {
  app.route({
    ...endpoint('metrics', 'GET'),
    schema: {
      tags: ['Pigeonhole'],
      summary: 'Prometheus metrics, text format 0.0.4 (with --metrics on; 404 otherwise)',
    },
    handler: async (_req, reply) => {
      if (!metrics) return reply.code(404).type('text/plain; charset=utf-8').send(offReason);
      return reply.type(metrics.contentType).send(await metrics.text());
    },
  });
}

/**
 * `/metrics` on the web listener (`--metrics on`), behind the same rules as the API: the Host check
 * against DNS rebinding, `--ui-auth`, the security headers, and no CORS grant beyond `--api-cors`, so
 * that a page of another site cannot read it. Elsewhere (off, or on a listener of their own) it
 * answers 404 saying where the metrics are.
 */
export const metricsRoutes = async (app: FastifyInstance): Promise<void> => {
  const { metrics, config } = app.pigeonhole;
  const reason =
    config.metrics && config.metrics !== 'http'
      ? `Metrics are served on their own listener (--metrics ${config.metrics.host}:${config.metrics.port})`
      : 'Metrics are off: start Pigeonhole with --metrics on (or --metrics HOST:PORT)';
  serveMetrics(app, config.metrics === 'http' ? (metrics ?? null) : null, reason);
};

/**
 * The metrics of the web listener: with metrics on, every answer's method, route template, status and
 * time are counted (the template, not the URL, so that message IDs do not make a series each); and
 * {@link metricsRoutes}. Not encapsulated, so that the hook sees every route of the app, those
 * registered before it too.
 */
export const metricsPlugin = fp(
  async (app) => {
    const { metrics } = app.pigeonhole;
    if (metrics) {
      app.addHook('onResponse', async (req, reply) => {
        const route = req.routeOptions.url ?? UNMATCHED_ROUTE;
        metrics.httpRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
      });
    }
    await app.register(metricsRoutes);
  },
  { name: 'pigeonhole-metrics' },
);
