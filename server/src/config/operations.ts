// Settings for running Pigeonhole as a team's instance: Prometheus metrics and tag rules.
import { parseTagRules, TagRulesError } from '../tags/rules';
import type { Config, PigeonholeOptions } from './types';
import { ConfigError, parseHostPort, readText } from './values';

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

/** `--tags-config FILE`: the tag rules, read and compiled once at start; null without the flag. */
export function parseTagsConfig(file: string | undefined): Config['tagRules'] {
  if (!file) return null;
  try {
    return parseTagRules(readText(file, 'tags-config'), file);
  } catch (err) {
    if (err instanceof TagRulesError) throw new ConfigError(err.message);
    throw err;
  }
}

/** Metrics and tag rules. */
export function parseOperations(options: PigeonholeOptions): Pick<Config, 'metrics' | 'tagRules'> {
  return { metrics: parseMetrics(options.metrics), tagRules: parseTagsConfig(options.tagsConfig) };
}
