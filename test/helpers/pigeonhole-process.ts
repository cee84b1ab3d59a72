import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PigeonholeClient, type PigeonholeOptions } from 'pigeonhole';
import { afterEach } from 'vitest';
import type { ProbeOptions, ProbeReport } from './smtp-probe.mjs';

/**
 * Pigeonhole in a child process of its own, for the tests that assert a latency bound ("SMTP keeps
 * answering within 100 ms while ..."). In-process, the test's own work (a browser's CDP traffic,
 * nodemailer, building 100 KB messages, the probe itself) shares Pigeonhole's event loop, so a stall
 * of the test runner shows up as a slow SMTP reply. Here the server runs alone on its loop, from the
 * built package (`server/dist`, as users run it), and the SMTP probe runs inside that same process,
 * so what it times is Pigeonhole's loop and nothing of the test runner's.
 */

/** The built package's entry; `npm test` builds it before Vitest runs. */
export const DIST_INDEX = fileURLToPath(new URL('../../server/dist/index.js', import.meta.url));
const CHILD = fileURLToPath(new URL('./pigeonhole-child.mjs', import.meta.url));
/** How long a child may take to stop before it is killed: stopping waits for open sockets. */
const STOP_GRACE_MS = 10_000;

/** An HTTP request the child's server answered. */
export interface ServedRequest {
  url: string;
  status: number;
}

/** An event-loop stall of the Pigeonhole process while a probe ran. */
export interface Stall {
  /** When, ms after the probe started. */
  atMs: number;
  /** How long the loop did not turn, ms. */
  wallMs: number;
  /** CPU time the process used meanwhile, ms: near `wallMs`, the server's own work; far below, a busy machine. */
  cpuMs: number;
}

/** What a probe inside the Pigeonhole process saw, and the stalls of that process's loop meanwhile. */
export interface RemoteReport extends ProbeReport {
  stalls: Stall[];
}

/** An SMTP probe running inside the Pigeonhole process. */
export interface RemoteProbe {
  /** Stops it after its current round; resolves with what it saw. */
  stop(): Promise<RemoteReport>;
  /** Resolves with what it saw once the rounds asked for are done. */
  finished(): Promise<RemoteReport>;
}

/**
 * A line for a latency assertion's message: the slowest reply and the loop's stalls with their CPU
 * time, so that a failure says whether the server worked or the machine was busy.
 */
export function latencyNote(report: RemoteReport): string {
  const stalls = report.stalls.map((s) => `${s.wallMs} ms at ${s.atMs} ms (${s.cpuMs} ms CPU)`).join(', ');
  return `slowest reply ${report.maxMs.toFixed(1)} ms of ${report.replies}; loop stalls: ${stalls || 'none'}`;
}

/** A Pigeonhole running in a child process. */
export interface PigeonholeProcess {
  smtpPort: number;
  smtpHost: string;
  httpUrl: string;
  /** The child's process id. */
  pid: number;
  /** A typed client of its API (no `--ui-auth` credentials: give them to a client of your own). */
  client: PigeonholeClient;
  /** The configuration in force, through JSON: URLs as strings, regular expressions as `{}`. */
  config: Readonly<Record<string, unknown>>;
  /** Starts an SMTP probe inside the child; resolves once it is sending timed rounds. */
  probe(options?: ProbeOptions): Promise<RemoteProbe>;
  /** Starts recording the HTTP requests the server answers (from its `request` events), afresh. */
  recordRequests(): Promise<void>;
  /** The requests answered since `recordRequests()`, each once its answer finished. */
  requests(): Promise<ServedRequest[]>;
  /** Messages in the store. */
  storeCount(): Promise<number>;
  /** Log lines containing `text` (only with `logLevel` given to `startProcess`). */
  logCount(text: string): Promise<number>;
  /** Server-side SMTP sockets still open in the child. */
  smtpSockets(): Promise<number>;
  /** Stops Pigeonhole and waits for the child to exit (killed after a grace period). */
  stop(): Promise<void>;
}

/** How to start it: Pigeonhole's own options, and a log level whose lines `logCount` can read. */
export interface ProcessOptions {
  options?: PigeonholeOptions;
  /** Capture log lines at this level in the child (default: silent). */
  logLevel?: 'info' | 'warn' | 'debug';
}

const running = new Set<PigeonholeProcess>();

afterEach(async () => {
  await Promise.all([...running].map((p) => p.stop()));
  running.clear();
});

type Answer = { id: number; value?: unknown; error?: string } | { ready: true };

/** A request/answer channel over the child's IPC. */
function channel(child: ChildProcess, exited: Promise<unknown>) {
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.on('message', (message: Answer) => {
    if ('ready' in message) return onReady();
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(`in the Pigeonhole process: ${message.error}`));
    else waiter?.resolve(message.value);
  });
  // Errors of the channel itself (EPIPE to a child that is gone) surface through `call`.
  child.on('error', () => undefined);
  void exited.then((code) => {
    const error = new Error(`the Pigeonhole process exited (${String(code)}) before answering`);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  const call = <T>(op: string, args: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // A child that is gone (killed after a test's timeout) fails the call, not the test run.
      child.send({ id, op, ...args }, (err) => {
        if (!err) return;
        pending.delete(id);
        reject(err);
      });
    });
  return { ready: Promise.race([ready, exited.then(() => undefined)]), call };
}

/**
 * Starts a real Pigeonhole of the built package in a child process, on free ports of 127.0.0.1,
 * stopped after the current test. Fails with a clear message when the package is not built.
 */
export async function startProcess({ options = {}, logLevel }: ProcessOptions = {}): Promise<PigeonholeProcess> {
  if (!existsSync(DIST_INDEX)) {
    throw new Error(`${DIST_INDEX} is missing: run \`npm run build\` first (\`npm test\` does)`);
  }
  // No execArgv: a Vitest worker's own (`--conditions source` among them) would make the built
  // package resolve its dependencies as the TypeScript sources.
  const child = fork(CHILD, [pathToFileURL(DIST_INDEX).href], { execArgv: [], stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const { ready, call } = channel(child, exited);
  type Started = { smtpPort: number; smtpHost: string; httpUrl: string; config: Record<string, unknown> };
  let started: Started;
  try {
    await ready;
    started = await call<Started>('start', { options, logLevel });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const p: PigeonholeProcess = {
    ...started,
    pid: child.pid!,
    client: new PigeonholeClient({ baseUrl: started.httpUrl }),
    async probe(probeOptions = {}) {
      const probe = await call<number>('probeStart', { options: probeOptions });
      return {
        stop: () => call<RemoteReport>('probeStop', { probe }),
        finished: () => call<RemoteReport>('probeFinished', { probe }),
      };
    },
    recordRequests: () => call<void>('record'),
    requests: () => call<ServedRequest[]>('requests'),
    storeCount: () => call<number>('storeCount'),
    logCount: (text) => call<number>('logCount', { text }),
    smtpSockets: () => call<number>('smtpSockets'),
    stop() {
      stopping ??= (async () => {
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        if (child.exitCode === null && child.connected) await call('stop').catch(() => undefined);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
  running.add(p);
  return p;
}
