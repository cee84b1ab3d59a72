// Storage and retention: `--storage DIR` (a Maildir folder, docs/storage.md) and `--max-age`.
import { resolve } from 'node:path';
import type { Config, PigeonholeOptions } from './types';
import { ConfigError } from './values';

const AGE_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses `--max-age`: Mailpit's flag takes hours or days (`72h`, `3d`); minutes, seconds and weeks
 * are accepted too, and a bare number is hours, as in Mailpit. 0 or empty = no age limit.
 */
export function parseMaxAge(value: number | string | undefined): number {
  if (value === undefined || value === '' || value === 0 || value === '0') return 0;
  if (typeof value === 'number' && value > 0) return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/i.exec(String(value));
  if (!match) throw new ConfigError(`--max-age: expected an age like 1h, 7d or 30m (0 = none), got "${value}"`);
  return Math.round(Number(match[1]) * AGE_UNITS[(match[2] || 'h').toLowerCase()]!);
}

/** `--storage` (an absolute path, or null in memory) and `--max-age` in milliseconds. */
export function parseStorage(options: PigeonholeOptions): Pick<Config, 'storage' | 'maxAgeMs'> {
  const dir = options.storage?.trim();
  return { storage: dir ? resolve(dir) : null, maxAgeMs: parseMaxAge(options.maxAge) };
}
