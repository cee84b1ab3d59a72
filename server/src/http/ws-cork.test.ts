import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { corkForTurn } from './ws-cork';

describe('corking a ws socket for a turn of the event loop', () => {
  it('reaches the net.Socket under a ws WebSocket, and sends frames written in one turn in one write', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    const accepted = once(server, 'connection') as Promise<[WebSocket]>;
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    await once(client, 'open');
    const [ws] = await accepted;
    const raw = (ws as unknown as { _socket: net.Socket })._socket;
    // The shape relied on: ws keeps the net.Socket as `_socket` (ws 8).
    expect(raw, 'ws no longer keeps its net.Socket as _socket: ws-cork.ts falls back to one write a frame').toBeInstanceOf(
      net.Socket,
    );
    let writes = 0;
    const write = raw._write.bind(raw);
    const writev = raw._writev?.bind(raw);
    raw._write = (...args: Parameters<typeof raw._write>) => {
      writes++;
      write(...args);
    };
    if (writev) {
      raw._writev = (...args: Parameters<NonNullable<typeof raw._writev>>) => {
        writes++;
        writev(...args);
      };
    }
    const got: string[] = [];
    client.on('message', (data) => got.push(data.toString()));
    for (let i = 0; i < 50; i++) {
      corkForTurn(ws);
      ws.send(`frame ${i}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `frame ${i}`));
    expect(writes).toBe(1);
    client.close();
    server.close();
  });
});
