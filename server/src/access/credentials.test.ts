import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { CredentialChecker } from './credentials';

/** Median time of `runs` calls of `fn`, in milliseconds. */
async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

describe('the one credential rule', () => {
  it('checks plain passwords and bcrypt hashes, and refuses anything else', async () => {
    const hash = await bcrypt.hash('hashed-pass', 4);
    const checker = new CredentialChecker([
      { username: 'plain', password: 'plain-pass' },
      { username: 'hashed', password: hash },
    ]);
    expect(await checker.verify('plain', 'plain-pass')).toBe(true);
    expect(await checker.verify('hashed', 'hashed-pass')).toBe(true);
    expect(await checker.verify('hashed', hash)).toBe(false);
    expect(await checker.verify('plain', 'hashed-pass')).toBe(false);
    expect(await checker.verify('nobody', 'plain-pass')).toBe(false);
    expect(checker.plainPassword('plain')).toBe('plain-pass');
    expect(checker.plainPassword('hashed')).toBeNull();
    expect(checker.plainPassword('nobody')).toBeNull();
  });

  it('takes as long for an unknown user name as for a known one with a bcrypt hash', async () => {
    const checker = new CredentialChecker([{ username: 'alice', password: await bcrypt.hash('right', 10) }]);
    await checker.verify('warm-up', 'x');
    const known = await median(5, () => checker.verify('alice', 'wrong'));
    const unknown = await median(5, () => checker.verify('mallory', 'wrong'));
    // bcrypt at cost 10 is tens of milliseconds; without the dummy hash an unknown name took ~1 %.
    expect(unknown / known).toBeGreaterThan(0.3);
  });
});
