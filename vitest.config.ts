import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * One runner for everything: unit tests beside the code (`server/src/**\/*.test.ts`, `shared/`,
 * `web/`) and black-box tests in `test/` that start the real thing on port 0.
 */
export default defineConfig({
  // `source`: workspace packages resolve to their TypeScript, so tests never run a stale build.
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  resolve: { conditions: ['source', ...defaultServerConditions] },
  test: {
    include: ['{server,shared,web}/src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: black-box files each start servers; keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './test/reporters/summary-line.ts'],
  },
});
