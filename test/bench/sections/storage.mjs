import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startChild } from '../lib/child.mjs';
import { get } from '../lib/http.mjs';
import { makeMessage, RECIPIENTS } from '../lib/messages.mjs';
import { sendLoad } from '../lib/smtp-load.mjs';
import { median, mib, round } from '../lib/stats.mjs';
import { fill, numbered, SETTLE_MS } from './memory.mjs';

const KIB = 1024;

/** One ingest round; the rate is SMTP's, first connection to last 250 (every one durable with --storage). */
async function ingestRound(child, count, message) {
  const result = await sendLoad({ port: child.smtpPort, connections: 16, count, message });
  await child.settle();
  await child.clear();
  if (result.accepted !== count) throw new Error(`${child.name}: ${result.accepted} of ${count} accepted`);
  return result.rate;
}

/** Medians of `n` timed GETs of `path(i)`, ms. */
async function timed(base, path, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const res = await get(`${base}${path(i)}`);
    if (res.status !== 200) throw new Error(`GET ${path(i)}: ${res.status}`);
    times.push(res.ms);
  }
  return median(times);
}

/**
 * `--storage DIR` (a Maildir on this machine's disk): ingest with every 250 durable against the
 * in-memory sink, RSS with 100,000 x 4 KiB stored against the sink's, start-up on the full folder to
 * the first list answer and the first 250, and list and `to:` search medians with storage.
 */
export async function storageSection({ rows, quick, log, texts }) {
  const kind = texts[0];
  const count = quick ? 10_000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'pigeonhole-bench-storage-'));
  const args = [JSON.stringify({ storage: dir })];
  const sink = await startChild('sink');
  let pigeonhole = await startChild('pigeonhole', { args });
  try {
    const pool = Array.from({ length: 512 }, (_, i) => makeMessage(i, 4 * KIB, kind));
    const message = (i) => pool[i % pool.length];
    const n = quick ? 1600 : 16_000;
    for (const child of [sink, pigeonhole]) await ingestRound(child, quick ? 500 : 3000, message);
    const rates = { sink: [], pigeonhole: [] };
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      const order = r % 2 === 0 ? [sink, pigeonhole] : [pigeonhole, sink];
      for (const child of order) rates[child.name].push(await ingestRound(child, n, message));
      log(
        `storage ingest round ${r + 1}: sink ${Math.round(rates.sink.at(-1))}/s, pigeonhole ${Math.round(rates.pigeonhole.at(-1))}/s`,
      );
    }
    const p = median(rates.pigeonhole);
    const s = median(rates.sink);
    rows.push({
      section: 'storage',
      metric: 'SMTP ingest 4 KiB, 16 conn, --storage, every 250 durable (msg/s)',
      pigeonhole: Math.round(p),
      baseline: Math.round(s),
      ratio: round(p / s),
      target: '>= 0.5 x sink',
      met: p / s >= 0.5,
      detail: { rates },
    });

    log(`storage: filling sink and Pigeonhole --storage with ${count} messages`);
    const messages = numbered(4096, kind);
    await fill(sink, 0, count, messages);
    await fill(pigeonhole, 0, count, messages);
    await pigeonhole.settle();
    // Read settled, as the memory section reads both: after both sat idle, then a full GC.
    await new Promise((resolve) => setTimeout(resolve, quick ? 5000 : SETTLE_MS));
    const sinkStats = await sink.stats(true);
    const storedStats = await pigeonhole.stats(true);
    const sinkRss = sinkStats.rss;
    const storedRss = storedStats.rss;
    rows.push({
      section: 'storage',
      metric: `RSS with ${count.toLocaleString('en')} x 4 KiB stored, --storage, settled (MiB)`,
      pigeonhole: mib(storedRss),
      baseline: mib(sinkRss),
      ratio: round(storedRss / sinkRss),
      target: '<= 0.35 x sink',
      met: storedRss / sinkRss <= 0.35,
      // What the figure is made of: V8's heap and young generation, what the store says it holds.
      detail: { sink: sinkStats, pigeonhole: storedStats },
    });

    await pigeonhole.stop();
    const started = performance.now();
    pigeonhole = await startChild('pigeonhole', { args });
    const list = await get(`${pigeonhole.httpUrl}/api/v1/messages?limit=50`);
    const listMs = performance.now() - started;
    const listed = JSON.parse(list.body.toString()).total;
    if (listed !== count) throw new Error(`storage: ${listed} of ${count} listed after the restart`);
    await sendLoad({ port: pigeonhole.smtpPort, connections: 1, count: 1, message: () => pool[0] });
    const smtpMs = performance.now() - started;
    const q = (query) => `/api/v1/search?query=${encodeURIComponent(query)}&limit=50`;
    // The first search right after the start: every summary comes from the snapshot.
    const firstSearch = await get(`${pigeonhole.httpUrl}${q('to:user1@example.test')}`);
    log(
      `storage: restart on ${count} messages: first list ${Math.round(listMs)} ms, first 250 ${Math.round(smtpMs)} ms`,
    );
    const startRow = {
      section: 'storage',
      metric: `start-up on ${count.toLocaleString('en')} stored to the first list answer (ms)`,
      pigeonhole: Math.round(listMs),
      baseline: null,
      ratio: null,
      target: '< 5000',
      met: listMs < 5000,
      detail: { firstSmtp250Ms: Math.round(smtpMs), firstToSearchMs: round(firstSearch.ms), settledMs: null },
    };
    rows.push(startRow);

    // As the API section measures a settled store: the body index is rebuilt after a start, and
    // the checkpoint folds in the journal the stop kept (fsyncing the files it covers).
    const settling = performance.now();
    await pigeonhole.settle();
    const settleMs = performance.now() - settling;
    log(`storage: index rebuilt and folder checkpointed after the restart in ${Math.round(settleMs)} ms`);
    startRow.detail.settledMs = Math.round(settleMs);
    const base = pigeonhole.httpUrl;
    const cases = [
      { metric: 'list page of 50, --storage', path: () => '/api/v1/messages?limit=50', n: quick ? 30 : 300, target: 5 },
      {
        metric: 'search to:, --storage',
        path: (i) => q(`to:user${(i * 7) % RECIPIENTS}@example.test`),
        n: quick ? 10 : 40,
        target: 50,
      },
    ];
    for (const c of cases) {
      const ms = await timed(base, c.path, c.n);
      rows.push({
        section: 'storage',
        metric: `${c.metric}, ${count.toLocaleString('en')} stored, median (ms)`,
        pigeonhole: round(ms),
        baseline: null,
        ratio: null,
        target: `< ${c.target}`,
        met: ms < c.target,
      });
    }
  } finally {
    await Promise.all([sink.stop(), pigeonhole.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
