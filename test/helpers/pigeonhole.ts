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

/**
 * Sends a message through Mailpit's `POST /api/v1/send` (from a@example.test to b@example.test,
 * subject `x`, unless `fields` says otherwise) and returns its ID; throws unless the answer is 200.
 */
export async function sendThroughApi(httpUrl: string, fields: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${httpUrl}/api/v1/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      From: { Email: 'a@example.test' },
      To: [{ Email: 'b@example.test' }],
      Subject: 'x',
      ...fields,
    }),
  });
  if (res.status !== 200) throw new Error(`POST /api/v1/send answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { ID: string }).ID;
}
