import type { ApiEvent } from '@pigeonhole/shared/events';
import { PigeonholeClient } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

type Pigeonhole = Awaited<ReturnType<typeof start>>;

/** A raw `ws` client of /api/events that records every frame. */
async function listen(p: Pigeonhole, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${p.httpUrl.replace('http', 'ws')}/api/events`, { headers });
  const frames: ApiEvent[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as ApiEvent);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  /** Resolves once a frame satisfies `test`. */
  const next = async (test: (e: ApiEvent) => boolean): Promise<ApiEvent> => {
    for (;;) {
      const found = frames.find(test);
      if (found) return found;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { ws, frames, next };
}

/** Resolves with the HTTP status a refused WebSocket handshake got. */
function refusedStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { Origin: origin } });
    ws.once('open', () => reject(new Error(`WebSocket from ${origin} was accepted`)));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

describe('/api/events', () => {
  it('sends new (the list summary), update, delete, truncate and stats as { Type, Data }', async () => {
    const p = await start();
    const { frames, next, ws } = await listen(p);
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'Live', text: 'x' });
    const created = await next((e) => e.Type === 'new');
    const [listed] = (await p.client.messages()).messages;
    expect(created.Data).toEqual(listed);
    const id = listed!.ID;

    await p.client.setRead(true, { ids: [id] });
    expect((await next((e) => e.Type === 'update')).Data).toEqual({ ID: id, Read: true, Tags: [] });
    await p.client.setTags([id], ['x']);
    await next((e) => e.Type === 'update' && e.Data.Tags.length === 1);
    await p.client.delete([id]);
    expect((await next((e) => e.Type === 'delete')).Data).toEqual({ ID: id });
    await p.client.send({ From: { Email: 'a@example.test' }, To: [{ Email: 'b@example.test' }], Subject: 's' });
    await p.client.clear();
    expect((await next((e) => e.Type === 'truncate')).Data).toBeNull();
    const stats = await next((e) => e.Type === 'stats' && e.Data.Total === 0);
    expect(stats.Data).toMatchObject({ Total: 0, Unread: 0 });
    expect(typeof (stats.Data as { Version: string }).Version).toBe('string');
    expect(frames.every((f) => Object.keys(f).join() === 'Type,Data')).toBe(true);
    ws.close();
  });

  it('throttles stats: a burst of changes gives one stats frame', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'One', text: 'x' });
    const { frames, next, ws } = await listen(p);
    const { ID } = (await p.client.messages()).messages[0]!;
    // Twenty changes in one tick of the server's event loop (it runs in this process).
    for (let i = 0; i < 10; i++) {
      p.store.setRead([ID], true);
      p.store.setRead([ID], false);
    }
    await next((e) => e.Type === 'stats');
    expect(frames.filter((e) => e.Type === 'update')).toHaveLength(20);
    // A later event marks the end: no second stats frame came from the burst before it.
    p.store.delete([ID]);
    await next((e) => e.Type === 'delete');
    expect(frames.filter((e) => e.Type === 'stats')).toHaveLength(1);
    ws.close();
  });

  it('refuses a foreign Origin and accepts its own and --api-cors ones', async () => {
    const p = await start({ apiCors: 'http://localhost:3000' });
    const url = `${p.httpUrl.replace('http', 'ws')}/api/events`;
    expect(await refusedStatus(url, 'http://evil.example')).toBe(403);
    expect(await refusedStatus(url, 'null')).toBe(403);
    expect(await refusedStatus(`${p.httpUrl.replace('http', 'ws')}/api/v2/websocket`, 'http://evil.example')).toBe(403);
    const own = await listen(p, { Origin: p.httpUrl });
    own.ws.close();
    const allowed = await listen(p, { Origin: 'http://localhost:3000' });
    allowed.ws.close();

    const plain = await start();
    const plainUrl = `${plain.httpUrl.replace('http', 'ws')}/api/events`;
    expect(await refusedStatus(plainUrl, 'http://localhost:3000')).toBe(403);
  });

  it('is what the typed client subscribes to (Node 20 passes ws as the constructor)', async () => {
    const p = await start();
    const client = new PigeonholeClient({ baseUrl: p.httpUrl, WebSocket });
    const seen: ApiEvent[] = [];
    let resolveNew!: () => void;
    const gotNew = new Promise<void>((resolve) => (resolveNew = resolve));
    const subscription = client.subscribe((event) => {
      seen.push(event);
      if (event.Type === 'new') resolveNew();
    });
    await subscription.opened;
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'Typed', text: 'x' });
    await gotNew;
    expect(seen.find((e) => e.Type === 'new')?.Data).toMatchObject({ Subject: 'Typed' });
    subscription.close();
  });
});
