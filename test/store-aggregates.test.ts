import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/**
 * What an embedder of startPigeonhole() reads from its store right after a burst must agree with
 * the API at every moment: the store defers summaries past a burst, which must not show outside.
 */
describe('store aggregates right after a burst', () => {
  it('counts tags, unread and messages the same in process and over HTTP, before any request', async () => {
    const p = await start();
    try {
      const smtp = transport(p, { pool: true, maxConnections: 4 } as Parameters<typeof transport>[1]);
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < 300; i++) {
        // Every 60th by X-Tags, every 50th by plus-addressing, the rest untagged.
        const headers = i % 60 === 0 ? { 'X-Tags': `batch${i % 120 === 0 ? 'A' : 'B'}, burst` } : undefined;
        const to = i % 50 === 0 ? `user+${i % 100 === 0 ? 'even' : 'odd'}@example.test` : `user${i}@example.test`;
        sends.push(smtp.sendMail({ from: 'app@example.test', to, subject: `m ${i}`, text: 'hello', ...(headers ? { headers } : {}) }));
      }
      await Promise.all(sends);
      smtp.close();
      // Read in process first: no HTTP request has run, and SMTP has not been quiet for long.
      const tagsInProcess = p.store.tags;
      expect(tagsInProcess).toEqual(['batchA', 'batchB', 'burst', 'even', 'odd']);
      const countsInProcess = Object.fromEntries(p.store.tagCounts);
      expect(countsInProcess).toEqual({ batchA: 3, batchB: 2, burst: 5, even: 3, odd: 3 });
      expect([p.store.count, p.store.unread]).toEqual([300, 300]);
      const tagsOverHttp = (await (await fetch(`${p.httpUrl}/api/v1/tags`)).json()) as string[];
      expect(tagsOverHttp).toEqual(tagsInProcess);
      const info = (await (await fetch(`${p.httpUrl}/api/v1/info`)).json()) as { Tags: Record<string, number> };
      expect(info.Tags).toEqual(countsInProcess);
      // A delete takes its tags with it, in process as over HTTP.
      const tagged = (await p.client.search('tag:even')).messages.map((m) => m.ID);
      expect(tagged).toHaveLength(3);
      p.store.delete(tagged);
      expect(p.store.tags).toEqual(['batchA', 'batchB', 'burst', 'odd']);
      expect(((await (await fetch(`${p.httpUrl}/api/v1/tags`)).json()) as string[]).includes('even')).toBe(false);
    } finally {
      await p.stop();
    }
  });
});
