// The value parsers every option goes through: each takes the option's flag name, so that an error
// names the flag the user typed, and throws ConfigError with what was expected.
import { readFileSync } from 'node:fs';

/** A host and port to listen on. */
export interface HostPort {
  host: string;
  port: number;
}

/** One user allowed to authenticate. */
export interface Credential {
  username: string;
  password: string;
}

/** A configuration value that cannot be used; the message names the option and what is wrong. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** One mebibyte, the unit of the size defaults. */
export const MB = 1024 * 1024;

/** Parses `HOST:PORT`, `[::1]:PORT` or `:PORT` (host 127.0.0.1). */
export function parseHostPort(value: string, option: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new ConfigError(`--${option}: expected HOST:PORT (e.g. 127.0.0.1:1025), got "${value}"`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: MB,
  mb: MB,
  g: 1024 * MB,
  gb: 1024 * MB,
};

/** Parses a byte size: `1048576`, `512kb`, `50MB`, `1g`. */
export function parseSize(value: number | string, option: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) {
    throw new ConfigError(`--${option}: expected a size in bytes (e.g. 52428800 or 50MB), got "${value}"`);
  }
  return Math.floor(Number(match[1]) * unit);
}

/** Parses a count: a non-negative integer. */
export function parseCount(value: number | string, option: string): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ConfigError(`--${option}: expected a whole number of 0 or more, got "${value}"`);
  }
  return n;
}

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration: milliseconds as a number, or `500ms`, `10s`, `5m`, `1h`. */
export function parseDuration(value: number | string, option: string): number {
  if (typeof value === 'number' && value >= 0) return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|)\s*$/i.exec(String(value));
  const unit = DURATION_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) {
    throw new ConfigError(`--${option}: expected a duration (e.g. 10s, 500ms, 5m), got "${value}"`);
  }
  return Math.round(Number(match[1]) * unit);
}

/** Parses a list of origins (`scheme://host[:port]`, comma or space separated) or `*`. */
export function parseOrigins(text: string, option: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      if (entry === '*') return '*';
      try {
        const url = new URL(entry);
        if (url.origin === 'null') throw new Error('no origin');
        return url.origin.toLowerCase();
      } catch {
        throw new ConfigError(`--${option}: expected origins like http://localhost:3000 or *, got "${entry}"`);
      }
    });
}

/** Parses `"user:pass user2:pass2"` (spaces, commas or new lines between pairs). */
export function parseCredentials(text: string, option: string): Credential[] {
  const pairs = text.split(/[\s,]+/).filter((p) => p && !p.startsWith('#'));
  const credentials = pairs.map((pair) => {
    const colon = pair.indexOf(':');
    if (colon < 1) throw new ConfigError(`--${option}: expected user:password pairs, got "${pair}"`);
    return { username: pair.slice(0, colon), password: pair.slice(colon + 1) };
  });
  if (credentials.length === 0) throw new ConfigError(`--${option}: no user:password pairs given`);
  return credentials;
}

/** Reads a file named by an option as UTF-8; a file that cannot be read is a ConfigError naming the option. */
export function readText(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`--${option}: cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Compiles an option's case-insensitive regular expression; null when the option is not given. */
export function parseRegExp(value: string | undefined, option: string): RegExp | null {
  if (!value) return null;
  try {
    return new RegExp(value, 'i');
  } catch (err) {
    throw new ConfigError(`--${option}: not a valid regular expression: ${(err as Error).message}`);
  }
}
