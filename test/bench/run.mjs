/**
 * `npm run bench`: Pigeonhole's performance, each figure next to a baseline measured in the same run
 * (the machines are shared and noisy; ratios are what count). Prints one table and writes it as JSON.
 *
 *   node test/bench/run.mjs [--out bench-results.json] [--only ingest,memory,api,events,ui,storage] [--quick]
 *                           [--ingest-cases 1k,4k,4k1,4kw,64k,10m] [--text realistic,filler]
 *                           [--memory-sizes 10000,100000]
 *
 * `--text`: the kinds of body text the memory and API sections fill the store with, each in turn
 * (see TEXT_KINDS in lib/messages.mjs); the ingest, events and UI sections use the first.
 *
 * Needs `npm run build` first (the bench runs the built server, as users do).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ingestSection } from './sections/ingest.mjs';
import { memorySection } from './sections/memory.mjs';
import { formatTable } from './lib/table.mjs';
import { TEXT_KINDS } from './lib/messages.mjs';

const SECTIONS = ['ingest', 'memory', 'api', 'events', 'ui', 'storage'];

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench-results.json' },
    only: { type: 'string', default: SECTIONS.join(',') },
    quick: { type: 'boolean', default: false },
    /** Ingest cases to run: 1k, 4k, 4k1 (one connection), 64k, 10m. */
    'ingest-cases': { type: 'string' },
    text: { type: 'string', default: TEXT_KINDS.join(',') },
    /** The two store sizes of the memory section, e.g. 5000,100000 (5,000 is --max's default). */
    'memory-sizes': { type: 'string' },
  },
});
const only = new Set(values.only.split(',').map((s) => s.trim()));
const quick = values.quick;
const rows = [];
const notes = [];
const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const ingestCases = values['ingest-cases']?.split(',').map((s) => s.trim());
const texts = values.text.split(',').map((s) => s.trim());
for (const kind of texts) if (!TEXT_KINDS.includes(kind)) throw new Error(`--text: unknown kind ${kind}`);
/** `filled`: text kind to the Pigeonhole child holding 100,000 messages of it (see lib/filled.mjs). */
const memorySizes = values['memory-sizes']?.split(',').map(Number);
if (memorySizes && (memorySizes.length !== 2 || !(memorySizes[0] < memorySizes[1]))) {
  throw new Error('--memory-sizes: two sizes, the smaller first');
}
const ctx = { rows, notes, quick, log, ingestCases, texts, memorySizes, filled: new Map() };

const stopFilled = async (kind) => {
  await ctx.filled.get(kind)?.child.stop();
  ctx.filled.delete(kind);
};
const started = Date.now();
try {
  if (only.has('ingest')) await ingestSection(ctx);
  // One kind of text at a time: its memory, then its API figures on the same 100,000 messages.
  for (const [i, kind] of texts.entries()) {
    if (only.has('memory')) ctx.filled.set(kind, await memorySection(ctx, kind));
    if (only.has('api')) {
      const { apiSection } = await import('./sections/api.mjs');
      await apiSection(ctx, kind);
    }
    if (i > 0) await stopFilled(kind);
  }
  for (const name of ['events', 'ui', 'storage']) {
    if (!only.has(name)) continue;
    const { [`${name}Section`]: section } = await import(`./sections/${name}.mjs`);
    await section(ctx);
  }
} finally {
  for (const kind of [...ctx.filled.keys()]) await stopFilled(kind);
}

const cpu = os.cpus();
const result = {
  date: new Date().toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  quick,
  machine: {
    cpus: cpu.length,
    model: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  rows,
  notes,
};
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(formatTable(result));
process.stdout.write(`\nWritten to ${values.out}\n`);
