import { afterEach, describe, expect, it, vi } from 'vitest';

const saved = { CI: process.env.CI, PATH: process.env.PATH };

/** A fresh copy of the helper (its probes are cached per module), with CI and PATH as given. */
async function helper(env: { CI?: string; PATH?: string }) {
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
  if (!('CI' in env)) delete process.env.CI;
  vi.resetModules();
  return (await import('./tools')).has;
}

afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  vi.restoreAllMocks();
});

describe('has(): a missing test tool', () => {
  it('is skipped outside CI, with a warning naming the Debian packages that bring it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // No PATH: neither swaks nor perl (nor sh) can be found, as on a machine without them.
    const has = await helper({ PATH: '/nonexistent' });
    expect(has('swaks')).toBe(false);
    expect(has('php')).toBe(false);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      'skipping tests that need swaks is missing or incomplete: apt-get install --no-install-recommends swaks libnet-ssleay-perl',
      'skipping tests that need php is missing or incomplete: apt-get install --no-install-recommends php-cli',
    ]);
  });

  it('fails under CI=true, every time it is asked for, naming the packages', async () => {
    const has = await helper({ CI: 'true', PATH: '/nonexistent' });
    const message =
      /swaks is missing or incomplete: apt-get install --no-install-recommends swaks libnet-ssleay-perl \(CI=true/;
    expect(() => has('swaks')).toThrow(message);
    expect(() => has('swaks')).toThrow(message);
    expect(() => has('no-such-tool')).toThrow(/apt-get install --no-install-recommends no-such-tool/);
  });

  it('is found when it is there, under CI too', async () => {
    const has = await helper({ CI: 'true' });
    // `sh` is on every machine that runs these tests; unknown names are probed with `command -v`.
    expect(has('sh')).toBe(true);
  });
});
