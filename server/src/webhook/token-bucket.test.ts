import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('token bucket', () => {
  it('allows the burst, then one per 1/rate seconds', () => {
    let now = 0;
    const bucket = new TokenBucket(1, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.wait()).toBe(1000);
    now = 500;
    expect(bucket.take()).toBe(false);
    now = 1000;
    expect(bucket.take()).toBe(true);
    now = 100_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('is unlimited at rate 0', () => {
    const bucket = new TokenBucket(0, 1, () => 0);
    for (let i = 0; i < 100; i++) expect(bucket.take()).toBe(true);
    expect(bucket.wait()).toBe(0);
  });
});
