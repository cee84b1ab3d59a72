import v8 from 'node:v8';

/**
 * Waits until the resident size stops falling after a full GC (10 s without a drop of 1 MiB, 40 s at
 * most): V8 gives the pages it freed back to the system from other threads, and shrinks its heap
 * after a collection, over seconds. Read at once, a process whose heap had just shrunk from 330 to
 * 90 MB (Pigeonhole with --storage, 100,000 messages) showed 263 MiB, and 186 ten seconds later,
 * with steps seconds apart. The young generation (32 MiB after a burst) shrinks only in V8's own
 * idle collection (its memory reducer, which waits 8 s after a full collection before it looks):
 * a full run's reading after 5 s of quiet found it still at 32 MiB. The sink and Pigeonhole wait
 * alike.
 */
async function releasedRss() {
  let low = process.memoryUsage.rss();
  let quiet = 0;
  for (let waited = 0; waited < 40_000 && quiet < 10_000; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = process.memoryUsage.rss();
    if (low - now >= 1024 * 1024) {
      low = now;
      quiet = 0;
    } else quiet += 500;
  }
}

/**
 * The child side of the bench's IPC: announces `ready`, then answers `stats` (resident memory after a
 * full GC when the child runs with --expose-gc, CPU time, messages held), `clear`, `settle` (finish
 * work deferred past a burst of mail), `snapshot` and `exit` (after `stop`, the server's own).
 */
export function serve({ ready, count, bytes, clear, settle = async () => {}, memory = () => null, stop = async () => {} }) {
  process.on('message', async (request) => {
    const { id, type } = request;
    let result = null;
    if (type === 'stats') {
      if (request.gc && globalThis.gc) {
        // Two passes and a pause: the second collects what the first's finalisers freed.
        globalThis.gc();
        await new Promise((resolve) => setTimeout(resolve, 50));
        globalThis.gc();
        await releasedRss();
      }
      const m = process.memoryUsage();
      const cpu = process.cpuUsage();
      result = {
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        heapTotal: m.heapTotal,
        newSpace: v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0,
        cpuMicros: cpu.user + cpu.system,
        cpuUser: cpu.user,
        cpuSystem: cpu.system,
        count: count(),
        bytes: bytes(),
        /** What the server says it holds, by kind (Pigeonhole's store), when it says. */
        held: memory(),
      };
    } else if (type === 'clear') {
      clear();
    } else if (type === 'settle') {
      await settle();
    } else if (type === 'snapshot') {
      result = v8.writeHeapSnapshot(request.path);
    } else if (type === 'exit') {
      // A graceful stop first: Pigeonhole with --storage writes its snapshot then.
      await stop();
      process.send({ id, result: null }, () => process.exit(0));
      return;
    }
    process.send({ id, result });
  });
  process.send({ type: 'ready', ...ready });
}
