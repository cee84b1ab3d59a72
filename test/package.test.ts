import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir = '';
let app = '';

/**
 * The npm package as a user gets it: packed, installed into an empty folder from the tarball alone
 * (dependencies from the local npm cache where it has them), then used there.
 *
 * `npm test` builds first. The pack here skips `prepack` (which rebuilds the web UI into
 * server/dist/web and would pull it from under browser tests running beside this file); prepack's
 * own run is what the Dockerfile's build stage does.
 */
beforeAll(async () => {
  for (const built of [
    'server/dist/cli.js',
    'server/dist/index.js',
    'server/dist/index.cjs',
    'server/dist/web/index.html',
  ]) {
    if (!existsSync(join(root, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'pigeonhole-package-'));
  await run(npm, ['run', 'build:types', '-w', 'server'], { cwd: root });
  await run(npm, ['pack', '-w', 'server', '--ignore-scripts', '--pack-destination', dir], { cwd: root });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  app = join(dir, 'app');
  await run('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: app });
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the pigeonhole npm package', () => {
  it('ships the bundles, the types and the built web UI, and no sources', async () => {
    const installed = join(app, 'node_modules', 'pigeonhole');
    const files = readdirSync(join(installed, 'dist'));
    expect(files).toEqual(
      expect.arrayContaining(['cli.js', 'index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'openapi.json', 'web']),
    );
    expect(existsSync(join(installed, 'dist', 'web', 'index.html'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules', '@pigeonhole'))).toBe(false);
  });

  it('runs `npx pigeonhole --version`', async () => {
    const { stdout } = await run('npx', ['--no-install', 'pigeonhole', '--version'], { cwd: app });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, 60_000);

  it('lets a script import startPigeonhole, catch mail and serve the web UI', async () => {
    writeFileSync(
      join(app, 'check.mjs'),
      `import { startPigeonhole, links } from 'pigeonhole';
import nodemailer from 'nodemailer';
const mail = await startPigeonhole();
await nodemailer.createTransport({ host: mail.smtpHost, port: mail.smtpPort, ignoreTLS: true })
  .sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'packed', html: '<a href="https://x.test/y">y</a>' });
const message = await mail.client.waitForMessage({ to: 'b@example.test' });
const ui = await fetch(mail.httpUrl + '/');
console.log(JSON.stringify({ subject: message.Subject, links: links(message), ui: ui.headers.get('content-type'), root: (await ui.text()).includes('id="root"') }));
await mail.stop();
`,
    );
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({
      subject: 'packed',
      links: ['https://x.test/y'],
      ui: 'text/html; charset=utf-8',
      root: true,
    });
  });

  it('serves the OpenAPI document it ships, without @fastify/swagger installed', async () => {
    // The document is made by `npm run build`; swagger is a build tool, not a dependency.
    expect(existsSync(join(app, 'node_modules', '@fastify', 'swagger'))).toBe(false);
    writeFileSync(
      join(app, 'openapi.mjs'),
      `import { startPigeonhole } from 'pigeonhole';
const mail = await startPigeonhole();
const answers = await Promise.all(['openapi', 'swagger'].map((name) => fetch(mail.httpUrl + '/api/v1/' + name + '.json')));
const docs = await Promise.all(answers.map((res) => res.json()));
console.log(JSON.stringify({ status: answers.map((res) => res.status), version: docs.map((doc) => doc.openapi), paths: Object.keys(docs[1].paths).length }));
await mail.stop();
`,
    );
    const { stdout } = await run(process.execPath, ['openapi.mjs'], { cwd: app });
    const served = JSON.parse(stdout) as { status: number[]; version: string[]; paths: number };
    expect(served.status).toEqual([200, 200]);
    expect(served.version).toEqual(['3.0.3', '3.0.3']);
    expect(served.paths).toBeGreaterThan(20);
  });

  it('loads with require() too (Jest, CommonJS)', async () => {
    writeFileSync(
      join(app, 'check.cjs'),
      `const { startPigeonhole, code } = require('pigeonhole');
const nodemailer = require('nodemailer');
startPigeonhole().then(async (mail) => {
  await nodemailer.createTransport({ host: mail.smtpHost, port: mail.smtpPort, ignoreTLS: true })
    .sendMail({ from: 'a@example.test', to: 'c@example.test', subject: 'cjs', text: 'Your code is 123456' });
  const message = await mail.client.waitForMessage({ to: 'c@example.test' });
  console.log(message.Subject, code(message));
  await mail.stop();
});
`,
    );
    const { stdout } = await run(process.execPath, ['check.cjs'], { cwd: app });
    expect(stdout.trim()).toBe('cjs 123456');
  }, 60_000);

  it('types a TypeScript consumer, shared types included', async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { startPigeonhole, links, code, WaitTimeoutError, type Message, type MessageSummary } from 'pigeonhole';
const mail = await startPigeonhole({ max: 10, smtpHostname: 'x' });
const message: Message = await mail.client.waitForMessage({ to: 'a@example.test', timeout: 1000 });
const found: string[] = links(message);
const otp: string = code(message, { digits: 6 });
const list: MessageSummary[] = (await mail.client.messages()).messages;
const port: number = mail.smtpPort;
console.log(found, otp, list, port, WaitTimeoutError.name);
// @ts-expect-error: the client has no such method
await mail.client.nope();
// @ts-expect-error: timeout is a number of milliseconds
await mail.client.waitForMessage({ timeout: '10s' });
await mail.stop();
`,
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(root, 'node_modules', '@types'),
        '--skipLibCheck',
        'consumer.ts',
      ],
      { cwd: app },
    ).catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
    expect(result.stdout).toBe('');
  }, 180_000);
});
