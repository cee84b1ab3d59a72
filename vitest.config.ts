import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The test files that assert a latency bound ("SMTP keeps answering within 100 ms while ..."). They
 * run after every other file, one at a time, so that no browser or server of another file takes a
 * core from the server they time (the machine has two). Each runs Pigeonhole and its SMTP probe in
 * a child process (`test/helpers/pigeonhole-process.ts`), away from the test runner's event loop.
 * One of them drives Chromium and so lives in `test/browser/`; it runs here, not in `browser`.
 */
export const LATENCY_FILES = [
  'test/browser/security-origin-content.test.ts',
  'test/security-search.test.ts',
  'test/security-smtp-redos.test.ts',
  'test/security-websocket.test.ts',
  'test/security-smtp-flood.test.ts',
];

/** Every test that drives Debian's Chromium (`test/helpers/browser.ts`) lives here. */
const BROWSER_FILES = 'test/browser/**/*.test.ts';

/**
 * One runner for everything, four projects (`test/README.md` says which test belongs where):
 * `unit` beside the code, `black-box` in `test/` (real servers on port 0, real clients), `browser`
 * in `test/browser/`, and `latency` (see above). The first three share one pool of two workers;
 * `latency` starts once they have all finished. `--project NAME` picks projects; a file list on the
 * command line filters them all.
 */
export default defineConfig({
  // `source`: workspace packages resolve to their TypeScript, so tests never run a stale build.
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  resolve: { conditions: ['source', ...defaultServerConditions] },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: black-box and browser files each start servers; keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './test/reporters/summary-line.ts'],
    // The MCP SDK's client imports eventsource and eventsource-parser, which publish TypeScript under
    // `source` too: Node, given that condition for external modules, cannot load them, so the three
    // are loaded through Vite, which can.
    server: {
      deps: {
        inline: [
          /\/@modelcontextprotocol\/sdk\/dist\/esm\/client\/(streamableHttp|sse)\.js$/,
          /\/eventsource(-parser)?\//,
        ],
      },
    },
    // `extends: true`: each project inherits the options above, the resolve conditions included.
    // Projects of one `sequence.groupOrder` (here the default, 0) run side by side in that one pool.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['{server,shared,web}/src/**/*.test.{ts,tsx}'] },
      },
      {
        extends: true,
        test: {
          name: 'black-box',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, BROWSER_FILES, ...LATENCY_FILES],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [BROWSER_FILES],
          exclude: [...configDefaults.exclude, ...LATENCY_FILES],
        },
      },
      {
        extends: true,
        test: {
          name: 'latency',
          include: LATENCY_FILES,
          // One file at a time, and (a higher group order) only once every other file has finished.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
