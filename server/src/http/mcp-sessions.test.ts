import { createServer, type Server } from 'node:http';
import { PigeonholeClient } from '@pigeonhole/shared/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpServer } from '../mcp/server';
import { McpSessions } from './mcp-sessions';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers.length = 0;
});

/** A real HTTP listener that opens a session per initialize, as routes/mcp.ts does. */
async function listen(sessions: McpSessions): Promise<string> {
  const backend = { client: () => new PigeonholeClient({ baseUrl: 'http://127.0.0.1:9' }) };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      void (async () => {
        const transport = await sessions.open(createMcpServer(backend));
        await transport.handleRequest(req, res, JSON.parse(body));
        await sessions.settle(transport);
      })();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
}

async function initialize(url: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  });
  await res.text();
  return res.headers.get('mcp-session-id') ?? '';
}

describe('McpSessions', () => {
  it('keeps at most max sessions: the least recently used idle one is closed for a new one', async () => {
    const sessions = new McpSessions(2, 60_000);
    const url = await listen(sessions);
    const a = await initialize(url);
    const b = await initialize(url);
    expect(sessions.size).toBe(2);
    sessions.use(a); // a is now more recently used than b
    const c = await initialize(url);
    expect(sessions.size).toBe(2);
    expect(sessions.use(b)).toBeUndefined();
    expect(sessions.use(a)?.id).toBe(a);
    expect(sessions.use(c)?.id).toBe(c);
    await sessions.closeAll();
    expect(sessions.size).toBe(0);
  });

  it('closes sessions idle past their idle life, never one with a request open', async () => {
    const sessions = new McpSessions(10, 1000);
    const url = await listen(sessions);
    const idle = await initialize(url);
    const busy = await initialize(url);
    sessions.use(busy)!.busy = 1;
    sessions.sweep(Date.now() + 500);
    expect(sessions.size).toBe(2);
    sessions.sweep(Date.now() + 5000);
    expect(sessions.use(idle)).toBeUndefined();
    expect(sessions.use(busy)?.id).toBe(busy);
    await sessions.closeAll();
  });

  it('drops a transport whose initialize was refused', async () => {
    const sessions = new McpSessions(10, 1000);
    const url = await listen(sessions);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/plain' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(res.status).toBe(406);
    expect(sessions.size).toBe(0);
    await sessions.closeAll();
  });
});
