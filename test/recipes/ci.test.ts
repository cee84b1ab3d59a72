import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, runCli, until } from '../helpers/cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = (path: string) => readFileSync(new URL(`../../docs/examples/${path}`, import.meta.url), 'utf8');

/** The recipe's text with its fixed ports swapped for free ones, so tests never clash. */
function withPorts(text: string, smtp: number, http: number): string {
  return text.replace(/\b1025\b/g, String(smtp)).replace(/\b8025\b/g, String(http));
}

/** The `run:` block of the workflow step with this name. */
function stepRun(workflow: string, name: string): string {
  const match = new RegExp(`- name: ${name}\\n\\s+run: (\\|\\n((?:\\s{10}.*\\n)+)|(.*)\\n)`).exec(workflow);
  if (!match) throw new Error(`no step "${name}"`);
  return (match[2] ?? match[3] ?? '').replace(/^ {10}/gm, '');
}

/** Runs a script in bash as its own process group, so what it leaves in the background can be stopped. */
function sh(script: string, env: Record<string, string> = {}) {
  const child = spawn('bash', ['-c', script], { cwd: root, env: { ...process.env, ...env }, detached: true });
  groups.push(child.pid!);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, output })),
  );
}

const cleanups: (() => void)[] = [];
const groups: number[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const group of groups.splice(0)) {
    try {
      process.kill(-group, 'SIGTERM');
    } catch {
      // The group is gone: nothing was left running.
    }
  }
});

/**
 * Docker and GitHub's runners are not on these machines. These tests run the shell steps of the
 * GitHub Actions recipe as written (ports swapped), and start the CLI with the environment and
 * health check of the compose recipe, which is what the container runs.
 */
describe('the CI recipes (docs/ci.md)', () => {
  it('GitHub Actions: the start step, a mail from the tests, and the wait step', async () => {
    const [smtp, http] = [await freePort(), await freePort()];
    const workflow = withPorts(example('github-actions/test.yml'), smtp, http);
    const startStep = stepRun(workflow, 'Start Pigeonhole');
    // The step leaves the server running in the background; afterEach stops its process group.
    const started = await sh(startStep);
    expect(started.code, started.output).toBe(0);

    // What `npm test` does in the app: send the welcome mail to SMTP_HOST:SMTP_PORT.
    const env = /SMTP_PORT: '(\d+)'/.exec(workflow)![1]!;
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: Number(env), ignoreTLS: true })
      .sendMail({ from: 'app@example.test', to: 'alice@example.test', subject: 'Welcome aboard', text: 'hi' });

    const waited = await sh(stepRun(workflow, 'The welcome mail was sent'), {
      PIGEONHOLE_URL: /PIGEONHOLE_URL: (\S+)/.exec(workflow)![1]!,
    });
    expect(waited.code, waited.output).toBe(0);
    expect(waited.output).toContain('"Welcome aboard"');
  });

  it('docker compose: the container environment binds every interface and passes the health check', async () => {
    const [smtp, http] = [await freePort(), await freePort()];
    const compose = withPorts(example('docker-compose/compose.yml'), smtp, http);
    const env = Object.fromEntries(
      [...compose.matchAll(/^\s+(PIGEONHOLE_[A-Z_]+): '?([^'\s#]+)'?/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(env).toEqual({
      PIGEONHOLE_SMTP: `0.0.0.0:${smtp}`,
      PIGEONHOLE_LISTEN: `0.0.0.0:${http}`,
      PIGEONHOLE_MAX: '1000',
    });
    const server = runCli([], env);
    cleanups.push(() => server.child.kill('SIGTERM'));
    await until(() => server.stdout().includes('Web UI') || server.child.exitCode !== null, 60_000);
    expect(server.stdout(), server.stderr()).toContain('Web UI');
    expect(server.stdout()).toContain(`0.0.0.0:${smtp}`);

    // The image's HEALTHCHECK command, run as the container would run it.
    const check = /HEALTHCHECK .* CMD \["node", "-e", "(.+)"\]/.exec(compose)![1]!;
    const health = await sh(`node -e "${check.replace(/"/g, '\\"')}"`);
    expect(health.code, health.output).toBe(0);

    // The app reaches it by address (pigeonhole:1025 in compose; this machine's loopback here).
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: smtp, ignoreTLS: true })
      .sendMail({ from: 'app@example.test', to: 'ops@example.test', subject: 'from the app', text: 'x' });
    const list = (await (await fetch(`http://127.0.0.1:${http}/api/v1/messages`)).json()) as { total: number };
    expect(list.total).toBe(1);
  });
});
