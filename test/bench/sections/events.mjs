import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { startChild } from '../lib/child.mjs';
import { makeMessage } from '../lib/messages.mjs';
import { sendLoad } from '../lib/smtp-load.mjs';
import { percentile, round, sleep } from '../lib/stats.mjs';

// ws is a dependency of the test workspace.
const require = createRequire(new URL('../../package.json', import.meta.url));
const WebSocket = require('ws');

/**
 * Event latency: the time from the SMTP 250 reply to the `new` event at a WebSocket client of
 * /api/events, both seen by this process, while messages arrive at 500 a second.
 */
export async function eventsSection({ rows, notes, quick, log }) {
  const child = await startChild('pigeonhole');
  try {
    const url = `${child.httpUrl.replace(/^http/, 'ws')}/api/events`;
    const ws = new WebSocket(url, { origin: child.httpUrl });
    const opened = await new Promise((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('error', () => resolve(false));
      ws.once('unexpected-response', () => resolve(false));
    });
    if (!opened) {
      notes.push('Events: /api/events did not accept a WebSocket; event latency skipped.');
      return;
    }
    const events = new Map();
    ws.on('message', (data) => {
      const at = performance.now();
      const event = JSON.parse(data.toString());
      if (event.Type === 'new' && event.Data?.ID) events.set(event.Data.ID, at);
    });
    const rate = 500;
    const count = quick ? 1000 : 5000;
    const messages = Array.from({ length: 256 }, (_, i) => makeMessage(i, 4096));
    const accepted = new Map();
    // Warm up, then measure.
    await sendLoad({ port: child.smtpPort, connections: 4, count: 500, rate, message: (i) => messages[i % 256] });
    events.clear();
    const result = await sendLoad({
      port: child.smtpPort,
      connections: 8,
      count,
      rate,
      message: (i) => messages[i % 256],
      onAccepted: (_m, reply) => {
        const id = /queued as (\S+)/.exec(reply.text)?.[1];
        if (id) accepted.set(id, reply.at);
      },
    });
    await sleep(500);
    ws.close();
    const latencies = [];
    let early = 0;
    for (const [id, at] of accepted) {
      const seen = events.get(id);
      if (seen === undefined) continue;
      // The event can overtake the SMTP reply: both leave the server in the same tick.
      if (seen < at) early++;
      latencies.push(Math.max(0, seen - at));
    }
    const missing = accepted.size - latencies.length;
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log(
      `events at ${Math.round(result.rate)}/s: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, missing ${missing}`,
    );
    if (accepted.size === 0) notes.push('Events: the 250 replies carry no message ID; event latency not measured.');
    rows.push({
      section: 'events',
      metric:
        `250 reply to WebSocket 'new' at ${Math.round(result.rate)} msg/s: p50 / p99 (ms; ` +
        `event before the 250 for ${Math.round((100 * early) / Math.max(1, latencies.length))}%)`,
      pigeonhole: `${round(p50)} / ${round(p99)}`,
      baseline: null,
      ratio: null,
      target: 'p99 < 25',
      met: missing === 0 && p99 < 25,
      detail: { messages: accepted.size, missing, eventBeforeReply: early },
    });
  } finally {
    await child.stop();
  }
}
