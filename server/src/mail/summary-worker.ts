// The summary thread's own code (see summary-thread.ts): summaries of a batch of messages, as JSON.
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { summaryJsonOf } from './summary-job';
import type { WireBatch, WireAnswer } from './summary-thread';

// Below the event loop's thread: summaries for an inbox can wait a moment, SMTP replies should not.
// On a machine whose cores are all busy, the scheduler then runs the main thread first; with a core
// free this thread still gets all of it. Linux only: a thread's id is its /proc/thread-self, and
// setpriority(2) takes it. Elsewhere it runs at the same priority.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) setPriority(tid, constants.priority.PRIORITY_BELOW_NORMAL);
} catch {
  // Not Linux, or not allowed: same priority as the main thread.
}

parentPort?.on('message', (batch: WireBatch) => {
  const bytes = Buffer.from(batch.bytes);
  const texts = batch.jobs.map(({ offset, length, ...job }) => {
    try {
      return summaryJsonOf({ ...job, raw: bytes.subarray(offset, offset + length) });
    } catch {
      // The main thread tries again and reports it (the same bytes throw the same there).
      return null;
    }
  });
  parentPort!.postMessage({ seq: batch.seq, texts } satisfies WireAnswer);
});
