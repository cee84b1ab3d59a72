// The summary thread's own code (see summary-thread.ts): summaries of a batch of messages, as JSON.
import { parentPort } from 'node:worker_threads';
import { summaryJsonOf } from './summary-job';
import type { WireBatch, WireAnswer } from './summary-thread';

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
