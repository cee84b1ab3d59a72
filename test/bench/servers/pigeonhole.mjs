/**
 * Pigeonhole as the bench runs it: the built package (server/dist), started in-process in this child
 * with unlimited count and bytes so that it keeps what the sink keeps. Talks to the parent over IPC.
 */
import { startPigeonhole } from '../../../server/dist/index.js';
import { serve } from './ipc.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const pigeonhole = await startPigeonhole({ max: 0, maxBytes: 0, logLevel: 'warn', ...options });
serve({
  ready: { smtpPort: pigeonhole.smtpPort, httpUrl: pigeonhole.httpUrl },
  count: () => pigeonhole.store.count,
  bytes: () => pigeonhole.store.bytes,
  clear: () => pigeonhole.store.clear(),
  // Work deferred past the burst (summaries, the body index, compression; with --storage the files
  // fsynced and the sidecar's snapshot written): done now, so that CPU per message counts it and
  // memory is read once it is done.
  settle: () => pigeonhole.store.checkpoint(),
  memory: () => pigeonhole.store.memory,
  stop: () => pigeonhole.stop(),
});
