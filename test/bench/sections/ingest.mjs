import { fork } from 'node:child_process';
import { startChild } from '../lib/child.mjs';
import { makeLargeMessage, makeMessage } from '../lib/messages.mjs';
import { sendLoad } from '../lib/smtp-load.mjs';
import { median, mib, round } from '../lib/stats.mjs';
import { getJson, getBytes } from '../lib/http.mjs';

const KIB = 1024;

/** A pool of distinct messages of one size, reused round-robin (building 16,000 would dominate). */
function pool(size, n = 512) {
  const messages = Array.from({ length: n }, (_, i) => makeMessage(i, size));
  return (i) => messages[i % n];
}

/**
 * One round: the rate is SMTP's (first connection to last 250). CPU per message is read once the
 * server has finished what it deferred past the burst (Pigeonhole's summaries), so it counts all the
 * work a message costs. `watched`: a WebSocket client follows /api/events meanwhile, as an open inbox
 * in a browser does.
 */
async function run(child, { connections, count, message, watched = false }) {
  const watcher = watched && child.httpUrl ? await watch(child) : null;
  const before = await child.stats(false);
  const result = await sendLoad({ port: child.smtpPort, connections, count, message });
  await child.settle();
  const after = await child.stats(false);
  const seen = watcher ? await watcher.close() : 0;
  await child.clear();
  if (result.refused > 0 || result.accepted !== count) {
    throw new Error(`${child.name}: ${result.accepted} of ${count} accepted, ${result.refused} refused`);
  }
  if (watcher && seen < count) throw new Error(`${child.name}: ${seen} of ${count} new events seen`);
  return { rate: result.rate, cpuPerMessage: (after.cpuMicros - before.cpuMicros) / count };
}

/**
 * An open inbox: a WebSocket client of /api/events in a process of its own (servers/watcher.mjs)
 * counting `new` events; close() resolves with the count.
 */
async function watch(child) {
  const watcher = fork(new URL('../servers/watcher.mjs', import.meta.url), [
    `${child.httpUrl.replace(/^http/, 'ws')}/api/events`,
    child.httpUrl,
  ]);
  const next = () =>
    new Promise((resolve, reject) => {
      watcher.once('message', (m) => (m.type === 'error' ? reject(new Error(`watcher: ${m.message}`)) : resolve(m)));
    });
  await next();
  return {
    async close() {
      const done = next();
      watcher.send({ type: 'close' });
      return (await done).seen;
    },
  };
}

/**
 * SMTP ingest: Pigeonhole and the bare sink, each in its own process, take the same load in
 * alternating rounds; the median rate of each and their ratio. Then one 10 MB message.
 */
export async function ingestSection({ rows, quick, log, ingestCases }) {
  const sink = await startChild('sink');
  const pigeonhole = await startChild('pigeonhole');
  try {
    const scale = quick ? 0.1 : 1;
    const cases = [
      { key: '1k', label: '1 KiB', size: KIB, connections: 16, count: Math.round(16000 * scale) },
      { key: '4k', label: '4 KiB', size: 4 * KIB, connections: 16, count: Math.round(16000 * scale), target: 0.9 },
      { key: '4k1', label: '4 KiB', size: 4 * KIB, connections: 1, count: Math.round(4000 * scale) },
      {
        key: '4kw',
        label: '4 KiB, inbox open',
        size: 4 * KIB,
        connections: 16,
        count: Math.round(16000 * scale),
        watched: true,
        target: 0.8,
      },
      { key: '64k', label: '64 KiB', size: 64 * KIB, connections: 16, count: Math.round(1600 * scale) },
    ].filter((c) => !ingestCases || ingestCases.includes(c.key));
    const rounds = quick ? 1 : 3;
    // Warm both up so the JIT has compiled the hot path before anything is timed.
    const warm = pool(4 * KIB);
    for (const child of [sink, pigeonhole])
      await run(child, { connections: 16, count: quick ? 500 : 3000, message: warm });

    for (const c of cases) {
      const message = pool(c.size);
      const runs = { sink: [], pigeonhole: [] };
      for (let r = 0; r < rounds; r++) {
        // Alternate who goes first, so a slow moment of the shared machine hits both alike.
        const order = r % 2 === 0 ? [sink, pigeonhole] : [pigeonhole, sink];
        for (const child of order) runs[child.name].push(await run(child, { ...c, message }));
        log(
          `ingest ${c.label} round ${r + 1}: sink ${Math.round(runs.sink.at(-1).rate)}/s, ` +
            `pigeonhole ${Math.round(runs.pigeonhole.at(-1).rate)}/s`,
        );
      }
      const p = median(runs.pigeonhole.map((x) => x.rate));
      const s = median(runs.sink.map((x) => x.rate));
      const ratio = p / s;
      rows.push({
        section: 'ingest',
        metric: `SMTP ingest ${c.label}, ${c.connections} conn (msg/s)`,
        pigeonhole: Math.round(p),
        baseline: Math.round(s),
        ratio: round(ratio),
        target: c.target ? `>= ${c.target} x sink` : '',
        met: c.target ? ratio >= c.target : null,
        detail: {
          rounds: runs,
          cpuMicrosPerMessage: {
            pigeonhole: round(median(runs.pigeonhole.map((x) => x.cpuPerMessage)), 1),
            sink: round(median(runs.sink.map((x) => x.cpuPerMessage)), 1),
          },
        },
      });
    }

    if (!ingestCases || ingestCases.includes('10m')) await largeMessage({ rows, log });
  } finally {
    await Promise.all([sink.stop(), pigeonhole.stop()]);
  }
}

/** Sends one message and resolves with its ID (from the 250 reply). */
async function sendOne(child, message) {
  let id = '';
  const result = await sendLoad({
    port: child.smtpPort,
    connections: 1,
    count: 1,
    message: () => message,
    onAccepted: (_m, reply) => {
      id = /queued as (\S+)/.exec(reply.text)?.[1] ?? '';
    },
  });
  return { id, result };
}

/**
 * One 10 MB message: time to 250 and resident-memory growth while stored and viewed, each server in
 * a fresh process (one that took load before has freed memory to reuse, which would hide growth).
 * Pigeonhole is measured twice: cold, and warm, after a small message of the same shape (a text part
 * with a charset and a base64 attachment) was opened first. The first such message anyone opens
 * loads the MIME code it needs (libmime's charset tables among it: about 11 MB resident, whatever
 * the message's size), so only the warm figure is the message's own cost.
 */
async function largeMessage({ rows, log }) {
  const large = makeLargeMessage(10 * 1024 * 1024);
  const size = large.raw.length;
  const measure = async (child, warm = false) => {
    if (warm) {
      // The same shape, small: a plain message no longer loads what this one does (the charset
      // decoder of a declared text part, the attachment path).
      const { id } = await sendOne(child, makeLargeMessage(64 * 1024));
      await getJson(`${child.httpUrl}/api/v1/message/${id}`);
      await child.clear();
    }
    const before = await child.stats(true);
    const { id, result } = await sendOne(child, large);
    const stored = await child.stats(false);
    const storedGc = await child.stats(true);
    let viewed = storedGc;
    let viewedGc = storedGc;
    if (child.httpUrl && id) {
      await getJson(`${child.httpUrl}/api/v1/message/${id}`).catch(() => undefined);
      await getBytes(`${child.httpUrl}/api/v1/message/${id}/raw`);
      viewed = await child.stats(false);
      viewedGc = await child.stats(true);
    }
    await child.clear();
    return {
      seconds: result.seconds,
      accepted: result.accepted === 1,
      growth: Math.max(stored.rss, viewed.rss) - before.rss,
      growthAfterGc: Math.max(storedGc.rss, viewedGc.rss) - before.rss,
    };
  };
  const fresh = async (name, warm) => {
    const child = await startChild(name);
    try {
      return await measure(child, warm);
    } finally {
      await child.stop();
    }
  };
  const s = await fresh('sink');
  const cold = await fresh('pigeonhole');
  const p = await fresh('pigeonhole', true);
  log(`10 MB: sink ${s.seconds.toFixed(2)} s, pigeonhole ${p.seconds.toFixed(2)} s, growth ${mib(p.growth)} MiB`);
  rows.push({
    section: 'ingest',
    metric: 'one 10 MB message, 250 after (ms)',
    pigeonhole: round(p.seconds * 1000, 0),
    baseline: round(s.seconds * 1000, 0),
    ratio: round(s.seconds / p.seconds),
    target: 'accepted',
    met: p.accepted,
  });
  rows.push({
    section: 'memory',
    metric: 'one 10 MB message, RSS growth stored + viewed: held after GC / peak (MiB); cold in brackets',
    pigeonhole: `${mib(p.growthAfterGc)} / ${mib(p.growth)} (${mib(cold.growthAfterGc)} / ${mib(cold.growth)})`,
    baseline: `${mib(s.growthAfterGc)} / ${mib(s.growth)}`,
    ratio: round(p.growth / size),
    target: `< 3 x size (${mib(3 * size)})`,
    met: p.accepted && p.growth < 3 * size,
    detail: { size, heldRatio: round(p.growthAfterGc / size), cold },
  });
}
