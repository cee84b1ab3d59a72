import { describe, expect, it } from 'vitest';
import { Paced } from './paced';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Paced', () => {
  it('runs a lone request at the end of its turn, and many requests within the interval once', async () => {
    const runs: number[] = [];
    const paced = new Paced(50, () => runs.push(performance.now()));
    const start = performance.now();
    paced.request();
    expect(runs).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toHaveLength(1);
    // Within the interval: one run for all, no sooner than the interval after the first.
    for (let i = 0; i < 20; i++) paced.request();
    await sleep(10);
    expect(runs).toHaveLength(1);
    await sleep(80);
    expect(runs).toHaveLength(2);
    expect(runs[1]! - start).toBeGreaterThanOrEqual(49);
    // Long after the last run, a request runs at the end of its turn again.
    await sleep(60);
    paced.request();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toHaveLength(3);
  });
});
