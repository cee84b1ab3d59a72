import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The test files that assert a latency bound ("SMTP keeps answering within 100 ms while ..."). They
 * run after every other file, one at a time, so that no browser or server of another file takes a
 * core from the server they time (the machine has two). Each runs Pigeonhole and its SMTP probe in
 * a child process (`test/helpers/pigeonhole-process.ts`), away from the test runner's event loop.
 */
export const LATENCY_FILES = [
  'test/security-origin-content.test.ts',
  'test/security-search.test.ts',
  'test/security-smtp-redos.test.ts',
  'test/security-websocket.test.ts',
  'test/security-smtp-flood.test.ts',
];

/**
 * One runner for everything: unit tests beside the code (`server/src/**\/*.test.ts`, `shared/`,
 * `web/`) and black-box tests in `test/` that start the real thing on port 0. Two projects: `main`
 * (two files at a time), then `latency` (see above). A file list on the command line filters both.
 */
export default defineConfig({
  // `source`: workspace packages resolve to their TypeScript, so tests never run a stale build.
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  resolve: { conditions: ['source', ...defaultServerConditions] },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: black-box files each start servers; keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './test/reporters/summary-line.ts'],
    // `extends: true`: each project inherits the options above, the resolve conditions included.
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['{server,shared,web}/src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...LATENCY_FILES],
        },
      },
      {
        extends: true,
        test: {
          name: 'latency',
          include: LATENCY_FILES,
          // One file at a time, and (a higher group order) only once every `main` file has finished.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
