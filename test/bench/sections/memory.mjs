import { startChild } from '../lib/child.mjs';
import { get } from '../lib/http.mjs';
import { makeMessage } from '../lib/messages.mjs';
import { sendLoad } from '../lib/smtp-load.mjs';
import { mib, round, sleep } from '../lib/stats.mjs';

/** Distinct messages, each built once and sent once: n and a deterministic body per number. */
export function numbered(size, kind = 'filler') {
  const cache = new Map();
  return (i) => {
    let m = cache.get(i);
    if (!m) {
      m = makeMessage(i, size, kind);
      // Keep a window only: the generator must not hold 100,000 messages itself.
      if (cache.size > 4096) cache.clear();
      cache.set(i, m);
    }
    return m;
  };
}

/** Fills a server with `count` distinct 4 KiB messages (numbers `from` to `from + count - 1`). */
export async function fill(child, from, count, message = numbered(4096)) {
  const result = await sendLoad({ port: child.smtpPort, connections: 16, count, message: (i) => message(from + i) });
  if (result.accepted !== count) throw new Error(`${child.name}: only ${result.accepted} of ${count} accepted`);
  return result;
}

/** Idle time before the settled reading: V8's memory reducer shrinks the heap after about 20 s. */
export const SETTLE_MS = 35_000;

/**
 * Resident memory after 10,000 and 100,000 distinct 4 KiB messages with body text of `kind`,
 * Pigeonhole next to the sink holding the same messages, each in its own process. Two readings:
 * right after the load (after a full GC) and settled (after both processes sat idle for 35 s, then a
 * full GC), which is what a laptop sees after a load test. Right after the large burst, before
 * anything else, the first list request is timed. Returns the Pigeonhole child, still running with
 * 100,000 messages, for the API and UI sections, and the sink's settled RSS to compare with.
 */
export async function memorySection({ rows, quick, log, memorySizes }, kind = 'filler') {
  const [small, large] = memorySizes ?? (quick ? [2000, 10000] : [10000, 100000]);
  const settleMs = quick ? 5000 : SETTLE_MS;
  const children = { sink: await startChild('sink'), pigeonhole: await startChild('pigeonhole') };
  const messages = numbered(4096, kind);
  const at = { sink: {}, pigeonhole: {} };
  let firstListMs = null;
  try {
    for (const name of ['sink', 'pigeonhole']) at[name].idle = await children[name].stats(true);
    for (const [label, from, count] of [
      ['small', 0, small],
      ['large', small, large - small],
    ]) {
      for (const name of ['sink', 'pigeonhole']) {
        const result = await fill(children[name], from, count, messages);
        if (name === 'pigeonhole' && label === 'large') {
          firstListMs = (await get(`${children.pigeonhole.httpUrl}/api/v1/messages?limit=50`)).ms;
        }
        at[name][`${label}Rate`] = result.rate;
        at[name][label] = await children[name].stats(true);
      }
      await sleep(settleMs);
      for (const name of ['sink', 'pigeonhole']) at[name][`${label}Settled`] = await children[name].stats(true);
      log(
        `memory at ${from + count}: sink ${mib(at.sink[label].rss)} / settled ${mib(at.sink[`${label}Settled`].rss)}, ` +
          `pigeonhole ${mib(at.pigeonhole[label].rss)} / settled ${mib(at.pigeonhole[`${label}Settled`].rss)} MiB`,
      );
    }
  } catch (err) {
    await children.pigeonhole.stop();
    throw err;
  } finally {
    await children.sink.stop();
  }
  const { sink, pigeonhole } = at;
  const row = (metric, key, target) => {
    const p = pigeonhole[key].rss;
    const s = sink[key].rss;
    rows.push({
      section: 'memory',
      metric,
      pigeonhole: mib(p),
      baseline: mib(s),
      ratio: round(p / s),
      target: target ? '<= sink' : '',
      met: target ? p <= s : null,
      detail: { pigeonhole: pigeonhole[key], sink: sink[key] },
    });
  };
  const n = (x) => x.toLocaleString('en');
  const text = `${kind} text`;
  if (kind === 'filler') row('RSS idle, after GC (MiB)', 'idle', false);
  row(`RSS after ${n(small)} x 4 KiB ${text}, right after load (MiB)`, 'small', false);
  row(`RSS after ${n(small)} x 4 KiB ${text}, settled (MiB)`, 'smallSettled', true);
  row(`RSS after ${n(large)} x 4 KiB ${text}, right after load (MiB)`, 'large', false);
  row(`RSS after ${n(large)} x 4 KiB ${text}, settled (MiB)`, 'largeSettled', false);
  rows.push({
    section: 'api',
    metric: `first list page right after the ${n(large)}-message burst, ${text} (ms)`,
    pigeonhole: round(firstListMs),
    baseline: null,
    ratio: null,
    target: '< 250',
    met: firstListMs < 250,
  });
  rows.push({
    section: 'ingest',
    metric: `SMTP ingest sustained, ${n(large - small)} x 4 KiB ${text}, 16 conn (msg/s)`,
    pigeonhole: Math.round(pigeonhole.largeRate),
    baseline: Math.round(sink.largeRate),
    ratio: round(pigeonhole.largeRate / sink.largeRate),
    target: '',
    met: null,
  });
  return { child: children.pigeonhole, sinkRss: sink.largeSettled.rss, count: large };
}
