import type { Logger } from 'pino';
import { createFastify, type App, type AppContext } from '../app';
import { authPlugin } from '../http/plugins/auth';
import { hostCheckPlugin } from '../http/plugins/host-check';
import { securityHeadersPlugin } from '../http/plugins/security-headers';
import type { Metrics } from './metrics';
import { serveMetrics } from './routes';

/**
 * `--metrics HOST:PORT`: a listener of its own that answers `GET /metrics` alone, behind the web
 * listener's Host check and `--ui-auth`, so that moving metrics to another port opens nothing.
 * Resolves once it listens; `close()` it at shutdown.
 */
export async function startMetricsListener(context: AppContext, metrics: Metrics, logger: Logger): Promise<App> {
  const { config } = context;
  if (!config.metrics || config.metrics === 'http') throw new Error('startMetricsListener needs --metrics HOST:PORT');
  const app = createFastify(config, logger.child({ component: 'metrics' }));
  app.decorate('pigeonhole', context);
  await app.register(securityHeadersPlugin);
  await app.register(hostCheckPlugin);
  await app.register(authPlugin);
  serveMetrics(
    app as unknown as Parameters<typeof serveMetrics>[0],
    metrics,
    'Not found: this listener serves /metrics alone',
  );
  await app.listen({ host: config.metrics.host, port: config.metrics.port });
  return app;
}
