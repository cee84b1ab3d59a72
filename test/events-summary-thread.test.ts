import { readFileSync } from 'node:fs';
import type { ApiEvent } from '@pigeonhole/shared/events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startProcess } from './helpers/pigeonhole-process';
import { transport } from './helpers/smtp';

/** Threads of a process, from Linux's /proc. */
function threads(pid: number): number {
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

describe('new events from the summary thread (the built package)', () => {
  it('carry the same summaries as the API, in arrival order, with later events behind them', async () => {
    const p = await startProcess();
    const before = threads(p.pid);
    const ws = new WebSocket(`${p.httpUrl.replace('http', 'ws')}/api/events`);
    const frames: ApiEvent[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as ApiEvent));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    // The thread starts as the inbox opens, before any mail: its start-up is not paid by the first message.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const opened = threads(p.pid);

    // Four connections at once, as an app's mail pool sends (the helper's type knows no pool options).
    const smtp = transport(p, { pool: true, maxConnections: 4 } as never);
    const sent = Array.from({ length: 60 }, (_, i) =>
      smtp.sendMail({
        from: `Sender ${i} <s${i}@example.test>`,
        to: 'to@example.test',
        cc: i % 3 === 0 ? 'Copy <cc@example.test>' : undefined,
        bcc: i % 4 === 0 ? 'hidden@example.test' : undefined,
        subject: `Message ${i} \u00e9t\u00e9`,
        text: `Body of message ${i}, with words to snip.`,
        // Tag-carrying mail is summarized at once, on the event loop's thread: both kinds mix.
        headers: i % 5 === 0 ? { 'X-Tags': `batch-${i}` } : {},
        attachments: i % 6 === 0 ? [{ filename: 'a.txt', content: 'attached' }] : [],
      }),
    );
    await Promise.all(sent);
    smtp.close();
    const during = threads(p.pid);

    const listed = (await p.client.messages({ limit: 100 })).messages;
    expect(listed).toHaveLength(60);
    // Deleted right after: its delete event must come after its new event.
    const last = listed[0]!;
    await p.client.delete([last.ID]);
    const deadline = Date.now() + 10_000;
    while (!frames.some((f) => f.Type === 'delete') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ws.close();

    const news = frames.filter((f) => f.Type === 'new').map((f) => f.Data);
    // The list is newest first; events come oldest first. Read state is false in both: nobody opened any.
    expect(news).toEqual([...listed].reverse());
    const kinds = frames.map((f) => f.Type);
    expect(kinds.lastIndexOf('new')).toBeLessThan(kinds.indexOf('delete'));
    // The summaries were made on a thread of their own (it stops again after 10 s idle).
    expect(opened, `threads before the inbox opened ${before}, after ${opened}`).toBeGreaterThan(before);
    expect(during).toBeGreaterThanOrEqual(opened);
  });
});
