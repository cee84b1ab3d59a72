import { startPigeonhole, type Pigeonhole, type StartOptions } from 'pigeonhole';
import { afterEach } from 'vitest';

const running = new Set<Pigeonhole>();

afterEach(async () => {
  await Promise.all([...running].map((p) => p.stop()));
  running.clear();
});

/** Starts a real Pigeonhole on free ports of 127.0.0.1, stopped after the current test. */
export async function start(options: StartOptions = {}): Promise<Pigeonhole> {
  const pigeonhole = await startPigeonhole({ logLevel: 'silent', ...options });
  running.add(pigeonhole);
  return pigeonhole;
}
