/* global MutationObserver, PerformanceObserver, performance, requestAnimationFrame -- run in the page */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { filledPigeonhole } from '../lib/filled.mjs';
import { round } from '../lib/stats.mjs';

// playwright-core is a dependency of the test workspace; it drives Debian's Chromium, never its own.
const require = createRequire(new URL('../../package.json', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
/** A real row of the inbox list (not a loading placeholder). */
const ROW = '[role="listbox"] [role="option"]:not([aria-busy="true"])';
const ROWS_TO_SCROLL = 10000;
/** Rows scrolled per animation frame: 10,000 rows in about 500 frames, a brisk fling. */
const ROWS_PER_FRAME = 20;

/**
 * The inbox in Chromium with 100,000 messages stored: time from navigation to the first real rows
 * painted, then a scroll through 10,000 rows one step per animation frame, counting long frames.
 */
export async function uiSection(ctx) {
  const { rows, notes, quick, log } = ctx;
  if (!existsSync(CHROMIUM)) {
    notes.push(`UI: ${CHROMIUM} not found; UI figures skipped.`);
    return;
  }
  const { child } = await filledPigeonhole(ctx);
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Marks the first frame painted with real rows, from a MutationObserver set up before any script.
    await page.addInitScript((selector) => {
      new MutationObserver((_m, observer) => {
        if (document.querySelector(selector)) {
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => (window.__firstRows = performance.now()), 0));
        }
      }).observe(document, { childList: true, subtree: true });
    }, ROW);
    const firstRuns = [];
    const loads = [];
    for (let run = 0; run < (quick ? 1 : 3); run++) {
      await page.goto(child.httpUrl, { waitUntil: 'commit' });
      const ok = await page
        .waitForFunction(() => window.__firstRows !== undefined, null, { timeout: 60000, polling: 50 })
        .then(() => true)
        .catch(() => false);
      if (!ok) {
        const hasList = await page.locator('[role="listbox"]').count();
        notes.push(
          hasList
            ? 'UI: the inbox list showed no message rows within 60 s; UI figures not measured.'
            : 'UI: no inbox list (role=listbox) on the page; UI figures skipped.',
        );
        return;
      }
      firstRuns.push(await page.evaluate(() => window.__firstRows));
      // What the first rows waited for: the page's own files and API calls, in ms from navigation.
      loads.push(
        await page.evaluate(() => ({
          domContentLoaded: Math.round(performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0),
          requests: performance
            .getEntriesByType('resource')
            .filter((r) => r.startTime < window.__firstRows)
            .map((r) => `${new URL(r.name).pathname} ${Math.round(r.startTime)}+${Math.round(r.duration)}`),
        })),
      );
    }
    firstRuns.sort((a, b) => a - b);
    const first = firstRuns[Math.floor(firstRuns.length / 2)];
    log(`ui first rows: ${firstRuns.map((x) => x.toFixed(0)).join(', ')} ms`);

    const scroll = await page.evaluate(
      async ({ rowsToScroll, rowsPerFrame }) => {
        const list = document.querySelector('[role="listbox"]');
        const rowHeight = list.querySelector('[role="option"]')?.getBoundingClientRect().height || 84;
        const target = rowsToScroll * rowHeight;
        const frames = [];
        let last = performance.now();
        const longTasks = [];
        const observer = new PerformanceObserver((entries) => {
          for (const e of entries.getEntries()) longTasks.push(e.duration);
        });
        try {
          observer.observe({ type: 'longtask', buffered: false });
        } catch {
          // Not every Chromium reports long tasks; frames still count.
        }
        await new Promise((resolve) => {
          const step = (now) => {
            frames.push(now - last);
            last = now;
            list.scrollTop = Math.min(target, list.scrollTop + rowsPerFrame * rowHeight);
            if (list.scrollTop >= target - 1 || list.scrollTop + list.clientHeight >= list.scrollHeight - 1) resolve();
            else requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        });
        // Then wait for the rows at the end of the scroll to be real rows.
        const settleStart = performance.now();
        while (list.querySelector('[role="option"][aria-busy="true"]') && performance.now() - settleStart < 10000) {
          await new Promise((r) => setTimeout(r, 16));
        }
        observer.disconnect();
        return {
          frames: frames.slice(1),
          longTasks,
          scrolledRows: Math.round(list.scrollTop / rowHeight),
          fillMs: performance.now() - settleStart,
        };
      },
      { rowsToScroll: ROWS_TO_SCROLL, rowsPerFrame: ROWS_PER_FRAME },
    );
    const over50 = scroll.frames.filter((f) => f > 50).length;
    const over100 = scroll.frames.filter((f) => f > 100).length;
    const worst = Math.max(...scroll.frames);
    log(`ui scroll ${scroll.scrolledRows} rows: ${scroll.frames.length} frames, worst ${worst.toFixed(1)} ms`);
    rows.push({
      section: 'ui',
      metric: `UI first rows painted, ${(await child.stats(false)).count.toLocaleString('en')} stored (ms)`,
      pigeonhole: round(first, 0),
      baseline: null,
      ratio: null,
      target: '< 1000',
      met: first < 1000,
      detail: { runs: firstRuns, loads },
    });
    rows.push({
      section: 'ui',
      metric: `UI scroll ${scroll.scrolledRows.toLocaleString('en')} rows: frames > 50 ms / > 100 ms / worst (ms)`,
      pigeonhole: `${over50} / ${over100} / ${round(worst, 0)}`,
      baseline: null,
      ratio: null,
      target: 'none > 100',
      met: over100 === 0 && scroll.scrolledRows >= ROWS_TO_SCROLL * 0.99,
      detail: {
        frames: scroll.frames.length,
        longTasks: scroll.longTasks.length,
        worstLongTask: scroll.longTasks.length ? Math.max(...scroll.longTasks) : 0,
        rowsFilledAfterScrollMs: round(scroll.fillMs, 0),
      },
    });
  } finally {
    await browser.close();
  }
}
