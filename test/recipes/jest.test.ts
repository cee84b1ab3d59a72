import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const jest = fileURLToPath(new URL('../../node_modules/jest/bin/jest.js', import.meta.url));

describe('the Jest recipe (docs/testing-node.md)', () => {
  it('passes under real Jest, loading pigeonhole through require()', async () => {
    // Jest runs test files as CommonJS by default: this proves the package's "require" export.
    const child = spawn(
      process.execPath,
      // Jest's 5 s default is for a quiet machine; CI shares two cores with other test files.
      [
        jest,
        '--ci',
        '--rootDir',
        'docs/examples/jest',
        '--testMatch',
        '**/*.test.cjs',
        '--colors=false',
        '--testTimeout=30000',
      ],
      { cwd: root, stdio: 'pipe', env: { ...process.env, FORCE_COLOR: '0' } },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(code, output).toBe(0);
  }, 120_000);
});
