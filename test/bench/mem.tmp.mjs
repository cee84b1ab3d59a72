import { startPigeonhole } from '/work/main/server/dist/index.js';
import { sendLoad } from '/work/main/test/bench/lib/smtp-load.mjs';
import { numbered } from '/work/main/test/bench/sections/memory.mjs';
const N = Number(process.argv[2] ?? 20000);
const kind = process.argv[3] ?? 'realistic';
const p = await startPigeonhole({ max: 0, maxBytes: 0, logLevel: 'warn' });
const msg = numbered(4096, kind);
const gc = async () => { globalThis.gc(); await new Promise((r) => setTimeout(r, 50)); globalThis.gc(); };
await gc();
const base = process.memoryUsage();
await sendLoad({ port: p.smtpPort, connections: 16, count: N, message: (i) => msg(i) });
await p.store.settled();
await gc();
const m = process.memoryUsage();
const mb = (x) => (x / 1048576).toFixed(1);
const per = (x) => ((x) / N).toFixed(0);
console.log(`N=${N} ${kind}: rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} (+${per(m.heapUsed - base.heapUsed)} B/msg) external ${mb(m.external)} (+${per(m.external - base.external)} B/msg)`, JSON.stringify(Object.fromEntries(Object.entries(p.store.memory).map(([k, v]) => [k, mb(v)]))));
{
  const { readFileSync } = await import('node:fs');
  const smaps = readFileSync('/proc/self/smaps', 'utf8').split('\n');
  let name = ''; const by = new Map();
  for (const line of smaps) {
    const h = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (h) { name = h[1] || '[anon]'; continue; }
    const r = /^Rss:\s+(\d+) kB/.exec(line);
    if (r) by.set(name, (by.get(name) ?? 0) + Number(r[1]));
  }
  console.log('smaps rss MB:', [...by].filter(([, v]) => v > 2048).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k.split('/').pop()}=${(v / 1024).toFixed(1)}`).join(' '));
}
if (process.argv[4]) { const v8 = await import('node:v8'); v8.writeHeapSnapshot(process.argv[4]); }
await p.stop();
