import { filledPigeonhole } from '../lib/filled.mjs';
import { get } from '../lib/http.mjs';
import { RARE_WORD, RECIPIENTS } from '../lib/messages.mjs';
import { median, percentile, round } from '../lib/stats.mjs';

/** Times `n` sequential GETs of `path(i)`; null when the route does not exist (404 on the first). */
async function timed(base, n, path) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const res = await get(`${base}${path(i)}`);
    if (res.status === 404 && i === 0) return { missing: true, status: 404 };
    if (res.status !== 200) throw new Error(`GET ${path(i)}: ${res.status} ${res.body.toString().slice(0, 200)}`);
    ms.push(res.ms);
  }
  return { ms };
}

/**
 * API latency with 100,000 messages stored: list pages, searches and single messages, each timed
 * from request to last byte over a keep-alive connection, median and p99.
 */
export async function apiSection(ctx, kind = ctx.texts[0]) {
  const { rows, notes, quick, log } = ctx;
  const { child, sinkRss } = await filledPigeonhole(ctx, kind);
  const text = `${kind} text`;
  const base = child.httpUrl;
  const total = (await child.stats(false)).count;
  const few = quick ? 0.3 : 1;
  const n = (x) => Math.max(3, Math.round(x * few));
  const q = (query) => `/api/v1/search?query=${encodeURIComponent(query)}&limit=50`;
  // Messages spread over the store, each opened once: cold means never parsed before.
  const ids = [];
  for (let start = 0; ids.length < 120; start += Math.floor(total / 120)) {
    const page = JSON.parse((await get(`${base}/api/v1/messages?start=${start}&limit=1`)).body.toString());
    if (!page.messages?.[0]) break;
    ids.push(page.messages[0].ID);
  }
  const cases = [
    { metric: 'list page of 50, first page', path: () => '/api/v1/messages?limit=50', n: n(300), target: 5 },
    {
      metric: `list page of 50, deep (start ${total - 100})`,
      path: () => `/api/v1/messages?start=${total - 100}&limit=50`,
      n: n(300),
      target: 5,
    },
    { metric: 'search to:', path: (i) => q(`to:user${(i * 7) % RECIPIENTS}@example.test`), n: n(40), target: 50 },
    {
      metric: 'search subject:',
      path: (i) => q(`subject:"Order ${(i * 7919) % total} confirmation"`),
      n: n(40),
      target: 50,
    },
    { metric: 'search body word, first', path: () => q(RARE_WORD), n: 1, target: 1000 },
    { metric: 'search body word', path: () => q(RARE_WORD), n: n(3), target: 300 },
    {
      metric: 'GET message, cold',
      path: (i) => `/api/v1/message/${ids[i % ids.length]}`,
      n: Math.min(ids.length, n(100)),
    },
    { metric: 'GET message, warm', path: () => `/api/v1/message/${ids[0]}`, n: n(300) },
  ];
  for (const c of cases) {
    const result = await timed(base, c.n, c.path);
    if (result.missing) {
      notes.push(`API: ${c.metric} skipped, the route answered 404 (not built yet).`);
      continue;
    }
    const med = median(result.ms);
    const p99 = percentile(result.ms, 99);
    log(`api ${c.metric}: median ${med.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
    rows.push({
      section: 'api',
      metric: `${c.metric}, ${total.toLocaleString('en')} stored, ${text}: median / p99 (ms)`,
      pigeonhole: `${round(med)} / ${round(p99)}`,
      baseline: null,
      ratio: null,
      target: c.target ? `median < ${c.target}` : '',
      met: c.target ? med < c.target : null,
      detail: { samples: result.ms.length },
    });
  }
  // Settled as the memory rows are: what stays once the API work is done and the heap has shrunk.
  await child.settle();
  await new Promise((resolve) => setTimeout(resolve, quick ? 5000 : 35_000));
  const after = await child.stats(true);
  const ratio = sinkRss ? after.rss / sinkRss : null;
  rows.push({
    section: 'memory',
    metric: `RSS after the API runs above, ${total.toLocaleString('en')} stored, ${text}, settled (MiB)`,
    pigeonhole: round(after.rss / 1048576, 1),
    baseline: sinkRss ? round(sinkRss / 1048576, 1) : null,
    ratio: ratio === null ? null : round(ratio),
    target: '<= 0.7 x sink',
    met: ratio === null ? null : ratio <= 0.7,
    detail: { pigeonhole: after },
  });
}
