import { fork } from 'node:child_process';

/**
 * Starts a bench server (`servers/<name>.mjs`) in a child process of its own, so that its memory and
 * CPU are its own, and resolves once it listens. `execArgv` defaults to `--expose-gc`.
 */
export async function startChild(name, { args = [], execArgv = ['--expose-gc'] } = {}) {
  const child = fork(new URL(`../servers/${name}.mjs`, import.meta.url), args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 1;
  const ready = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.on('message', (message) => {
      if (message.type === 'ready') resolve(message);
      else pending.get(message.id)?.(message.result);
    });
  });
  const call = (type, extra = {}) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ id, type, ...extra });
    });
  return {
    name,
    pid: child.pid,
    smtpPort: ready.smtpPort,
    httpUrl: ready.httpUrl,
    /** Resident memory (after GC when `gc`), CPU microseconds, messages and bytes held. */
    stats: (gc = true) => call('stats', { gc }),
    clear: () => call('clear'),
    /** Waits for work the server deferred past the load (Pigeonhole's summaries). */
    settle: () => call('settle'),
    snapshot: (path) => call('snapshot', { path }),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await Promise.race([call('exit'), exited]);
      await exited;
    },
  };
}
