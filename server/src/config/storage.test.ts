import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config';
import { parseMaxAge } from './storage';
import { ConfigError } from './values';

describe('--storage and --max-age', () => {
  it('reads ages as Mailpit does: hours or days, a bare number in hours', () => {
    expect(parseMaxAge('7d')).toBe(7 * 86_400_000);
    expect(parseMaxAge('1h')).toBe(3_600_000);
    expect(parseMaxAge('72')).toBe(72 * 3_600_000);
    expect(parseMaxAge('30m')).toBe(1_800_000);
    expect(parseMaxAge('0')).toBe(0);
    expect(parseMaxAge(undefined)).toBe(0);
  });

  it('refuses an age it cannot read, naming the flag', () => {
    expect(() => parseMaxAge('a week')).toThrow(ConfigError);
    expect(() => parseMaxAge('-1d')).toThrow(/--max-age/);
  });

  it('keeps mail in memory unless --storage is given, and makes the folder absolute', () => {
    expect(resolveConfig({}).storage).toBeNull();
    expect(resolveConfig({ storage: 'mail' }).storage).toMatch(/^\/.*\/mail$/);
    expect(resolveConfig({ maxAge: '2h' }).maxAgeMs).toBe(7_200_000);
  });
});
