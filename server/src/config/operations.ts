// Settings for running Pigeonhole as a team's instance: Prometheus metrics and tag rules.
import type { Config, PigeonholeOptions } from './types';
import { ConfigError, parseHostPort } from './values';

/** `--metrics`: `off` (the default), `on` (`/metrics` on the web listener), or a `HOST:PORT` of its own. */
export function parseMetrics(value: string | boolean | undefined): Config['metrics'] {
  const text = String(value ?? 'off')
    .trim()
    .toLowerCase();
  if (text === 'off' || text === 'false' || text === '') return null;
  if (text === 'on' || text === 'true') return 'http';
  if (!text.includes(':')) {
    throw new ConfigError(`--metrics: expected on, off or HOST:PORT (e.g. 127.0.0.1:9464), got "${String(value)}"`);
  }
  return parseHostPort(String(value), 'metrics');
}

/** Metrics. */
export function parseOperations(options: PigeonholeOptions): Pick<Config, 'metrics'> {
  return { metrics: parseMetrics(options.metrics) };
}
