import v8 from 'node:v8';

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
