import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { summaryJsonOf } from './summary-job';
import { SummaryThread } from './summary-thread';

const job = (n: number) => ({
  id: `id${n}`,
  created: Date.UTC(2026, 0, 1, 0, 0, n),
  raw: Buffer.from(`From: A <a@example.test>\r\nTo: b@example.test\r\nSubject: number ${n}\r\n\r\nbody ${n}\r\n`),
  envelope: { mailFrom: 'a@example.test', rcptTo: ['b@example.test', 'hidden@example.test'] },
  username: '',
});

/** A worker file of our own making, in a fresh folder: the real one exists only in the build. */
function workerFile(code: string): URL {
  const file = join(mkdtempSync(join(tmpdir(), 'summary-thread-')), 'worker.mjs');
  writeFileSync(file, code);
  return pathToFileURL(file);
}

describe('SummaryThread', () => {
  it('answers on this thread, as summaryJsonOf would, where the build has no thread file', async () => {
    const thread = new SummaryThread(new URL('file:///nonexistent/summary-worker.js'));
    const jobs = [1, 2, 3].map(job);
    const texts = await Promise.all(jobs.map((j) => thread.summaryJson(j)));
    expect(texts).toEqual(jobs.map(summaryJsonOf));
    expect(JSON.parse(texts[0]!)).toMatchObject({
      ID: 'id1',
      Subject: 'number 1',
      Bcc: [{ Name: '', Address: 'hidden@example.test' }],
      Created: '2026-01-01T00:00:01.000Z',
    });
    thread.close();
  });

  it('takes the bytes when called: a lent buffer reused after the call changes nothing', async () => {
    const thread = new SummaryThread(new URL('file:///nonexistent/summary-worker.js'));
    const lent = job(7);
    const answer = thread.summaryJson(lent);
    lent.raw.fill(0x41);
    expect(JSON.parse(await answer)).toMatchObject({ Subject: 'number 7' });
    thread.close();
  });

  it('makes the summaries here when the thread dies with the batch, and when it answers null', async () => {
    const dies = new SummaryThread(
      workerFile(`import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));`),
    );
    const jobs = [1, 2].map(job);
    expect(await Promise.all(jobs.map((j) => dies.summaryJson(j)))).toEqual(jobs.map(summaryJsonOf));
    dies.close();

    const refuses = new SummaryThread(
      workerFile(
        `import { parentPort } from 'node:worker_threads';
         parentPort.on('message', (b) => parentPort.postMessage({ seq: b.seq, texts: b.jobs.map(() => null) }));`,
      ),
    );
    expect(await refuses.summaryJson(job(4))).toBe(summaryJsonOf(job(4)));
    refuses.close();
  });

  it('passes batches to a real thread and back, with each job its own bytes', async () => {
    // A thread that answers with what it was given, so the test sees what crossed over.
    const echo = new SummaryThread(
      workerFile(
        `import { parentPort } from 'node:worker_threads';
         parentPort.on('message', (b) => parentPort.postMessage({ seq: b.seq, texts: b.jobs.map((j) =>
           JSON.stringify({ id: j.id, text: Buffer.from(b.bytes, j.offset, j.length).toString('latin1') })) }));`,
      ),
    );
    const jobs = [1, 2, 3, 4].map(job);
    const texts = await Promise.all(jobs.map((j) => echo.summaryJson(j)));
    expect(texts.map((t) => JSON.parse(t))).toEqual(jobs.map((j) => ({ id: j.id, text: j.raw.toString('latin1') })));
    echo.close();
  });
});
