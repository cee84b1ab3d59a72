#!/usr/bin/env node
// Sums the test runs of `.ci/run` (Vitest's JSON reports) into one closing line, in the same form as
// test/reporters/summary-line.ts: `tests: N passed, N failed, N skipped`.
//
//   node test/scripts/ci-summary.mjs 'node 20.19.0, every test=test/artifacts/ci/main.json' ...
//
// Each argument is LABEL=FILE. Names every failed and skipped test. Exits 1 when a test failed, a
// report is missing (the run died), or, under CI=true, when any test was skipped: CI must not pass
// with tests that never ran.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const total = { passed: 0, failed: 0, skipped: 0 };
const failed = [];
const skipped = [];
let broken = false;

for (const arg of process.argv.slice(2)) {
  const at = arg.lastIndexOf('=');
  const [label, file] = [arg.slice(0, at), arg.slice(at + 1)];
  if (!existsSync(file)) {
    console.log(`${label}: no report (${file}): the run did not finish`);
    broken = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const module of report.testResults) {
    const name = relative(process.cwd(), module.name);
    for (const test of module.assertionResults) {
      const where = `${label}: ${name} > ${test.fullName}`;
      if (test.status === 'passed') counts.passed++;
      else if (test.status === 'failed') {
        counts.failed++;
        failed.push(where);
      } else {
        counts.skipped++;
        skipped.push(where);
      }
    }
    // A file that fails before its tests are collected (an import error, a missing tool under CI)
    // has no tests to count: it counts as one failure, as in summary-line.ts.
    if (module.status === 'failed' && module.assertionResults.length === 0) {
      counts.failed++;
      failed.push(`${label}: ${name}: ${(module.message ?? '').split('\n')[0]}`);
    }
  }
  console.log(`${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const key of Object.keys(total)) total[key] += counts[key];
}

for (const line of failed) console.log(`failed: ${line}`);
for (const line of skipped) console.log(`skipped: ${line}`);
const ci = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
if (ci && skipped.length > 0)
  console.log('CI=true: a skipped test fails the run (install what it needs, see docs/ci.md)');
process.stdout.write(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exitCode = broken || total.failed > 0 || (ci && skipped.length > 0) ? 1 : 0;
