/**
 * What `--metrics on` and `--tags-config` cost SMTP ingest: the bare sink, Pigeonhole as it ships
 * (metrics off, no rules), with metrics on, and with three tag rules, each in its own process, take
 * the same 4 KiB load over 16 connections in alternating rounds. Prints the median rate of each and
 * its ratio to the sink of the same run, plus CPU per message (summaries made after the burst
 * included). A bench script, not a test: nothing asserts.
 *
 *     npm run build -w server && node test/bench/metrics-overhead.mjs [--rounds 3] [--count 16000]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startChild } from './lib/child.mjs';
import { makeMessage } from './lib/messages.mjs';
import { sendLoad } from './lib/smtp-load.mjs';
import { median, round } from './lib/stats.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, count: { type: 'string', default: '16000' } },
});
const rounds = Number(values.rounds);
const count = Number(values.count);

const rules = join(mkdtempSync(join(tmpdir(), 'pigeonhole-bench-tags-')), 'tags.yml');
writeFileSync(
  rules,
  [
    'filters:',
    '  - match: from:billing@example.com',
    '    tags: invoices',
    '  - match: subject:"password reset"',
    '    tags: auth',
    '  - match: to:ops@example.com has:attachment',
    '    tags: ops',
    '',
  ].join('\n'),
);

const variants = [
  { label: 'sink', name: 'sink', options: null },
  { label: 'pigeonhole', name: 'pigeonhole', options: {} },
  { label: 'pigeonhole --metrics on', name: 'pigeonhole', options: { metrics: 'on' } },
  { label: 'pigeonhole --tags-config (3 rules)', name: 'pigeonhole', options: { tagsConfig: rules } },
];
const messages = Array.from({ length: 512 }, (_, i) => makeMessage(i, 4096));
const message = (i) => messages[i % messages.length];

const children = [];
for (const v of variants)
  children.push(await startChild(v.name, { args: v.options ? [JSON.stringify(v.options)] : [] }));
try {
  for (const child of children) await once(child, 3000);
  const runs = variants.map(() => ({ rate: [], cpu: [] }));
  for (let r = 0; r < rounds; r++) {
    // A different order each round, so that a slow moment of the shared machine hits all alike.
    const order = variants.map((_, i) => (i + r) % variants.length);
    for (const i of order) {
      const { rate, cpuPerMessage } = await once(children[i], count);
      runs[i].rate.push(rate);
      runs[i].cpu.push(cpuPerMessage);
    }
    console.error(
      `round ${r + 1}: ${variants.map((v, i) => `${v.label} ${Math.round(runs[i].rate.at(-1))}/s`).join(', ')}`,
    );
  }
  const sink = median(runs[0].rate);
  console.log('| server | msg/s (median) | x sink | CPU µs/message |');
  console.log('| --- | --- | --- | --- |');
  variants.forEach((v, i) => {
    const rate = median(runs[i].rate);
    console.log(`| ${v.label} | ${Math.round(rate)} | ${round(rate / sink)} | ${round(median(runs[i].cpu), 1)} |`);
  });
} finally {
  await Promise.all(children.map((c) => c.stop()));
}

/** One load of `n` messages; resolves with the SMTP rate and the CPU per message once settled. */
async function once(child, n) {
  const before = await child.stats(false);
  const result = await sendLoad({ port: child.smtpPort, connections: 16, count: n, message });
  await child.settle();
  const after = await child.stats(false);
  await child.clear();
  if (result.accepted !== n) throw new Error(`${child.name}: ${result.accepted} of ${n} accepted`);
  return { rate: result.rate, cpuPerMessage: (after.cpuMicros - before.cpuMicros) / n };
}
