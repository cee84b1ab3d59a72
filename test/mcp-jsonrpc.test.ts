import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/**
 * A second, independent MCP client: plain JSON-RPC over fetch, as the specification's examples
 * write it (Streamable HTTP, protocol 2025-06-18), without the SDK. The MCP Inspector's CLI would
 * do as much, but its 2.x release pulls in a React UI, Vite and a native keyring module.
 */
// JSON-RPC answers are read field by field, as a test of their shape; `any` keeps that short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

class JsonRpcOverHttp {
  session = '';
  #id = 0;
  constructor(readonly url: string) {}

  /** POSTs one message; answers the JSON-RPC response (read from JSON or from an SSE stream). */
  async send(method: string, params?: unknown, notification = false): Promise<{ status: number; body: Json }> {
    const message = notification
      ? { jsonrpc: '2.0', method, ...(params ? { params } : {}) }
      : { jsonrpc: '2.0', id: ++this.#id, method, ...(params ? { params } : {}) };
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(this.session ? { 'mcp-session-id': this.session, 'mcp-protocol-version': '2025-06-18' } : {}),
      },
      body: JSON.stringify(message),
    });
    this.session ||= res.headers.get('mcp-session-id') ?? '';
    const type = res.headers.get('content-type') ?? '';
    const raw = await res.text();
    if (type.startsWith('text/event-stream')) {
      const data = raw
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JSON.parse(l.slice(6)) as { id?: number });
      return { status: res.status, body: data.find((d) => d.id === this.#id) };
    }
    return { status: res.status, body: raw ? JSON.parse(raw) : null };
  }
}

describe('MCP over Streamable HTTP, with plain JSON-RPC over fetch', () => {
  it('initializes a session, lists and calls tools, reads a resource, and ends the session with DELETE', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'frank@example.test',
      subject: 'Your code',
      text: 'Your login code is 771204. It expires in 10 minutes.',
    });
    const rpc = new JsonRpcOverHttp(`${p.httpUrl}/mcp`);
    const init = await rpc.send('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'fetch', version: '1' },
    });
    expect(init.status).toBe(200);
    expect(init.body.result.serverInfo.name).toBe('pigeonhole');
    expect(init.body.result.capabilities).toHaveProperty('tools');
    expect(init.body.result.instructions).toContain('wait_for_message');
    expect(rpc.session).toMatch(/^[0-9a-f-]{36}$/);
    expect((await rpc.send('notifications/initialized', undefined, true)).status).toBe(202);

    const tools = await rpc.send('tools/list');
    const wait = tools.body.result.tools.find((t: { name: string }) => t.name === 'wait_for_message');
    expect(wait.inputSchema.properties.timeoutSeconds.maximum).toBe(120);

    const waited = await rpc.send('tools/call', {
      name: 'wait_for_message',
      arguments: { to: 'frank@example.test', timeoutSeconds: 5 },
    });
    const { message } = JSON.parse(waited.body.result.content[0].text);
    const code = await rpc.send('tools/call', { name: 'get_code', arguments: { id: message.id } });
    expect(JSON.parse(code.body.result.content[0].text).code).toBe('771204');

    const resource = await rpc.send('resources/read', { uri: `pigeonhole://message/${message.id}/text` });
    expect(resource.body.result.contents[0].text).toContain('771204');

    const unknown = await rpc.send('no/such/method');
    expect(unknown.body.error.code).toBe(-32601);

    const ended = await fetch(`${p.httpUrl}/mcp`, {
      method: 'DELETE',
      headers: { 'mcp-session-id': rpc.session, 'mcp-protocol-version': '2025-06-18' },
    });
    expect(ended.status).toBe(200);
    const after = await rpc.send('tools/list');
    expect(after.status).toBe(404);
    expect(after.body.error.message).toContain('Session not found');
  });

  it('refuses a request without a session that is not an initialize, with a JSON-RPC error', async () => {
    const p = await start();
    const rpc = new JsonRpcOverHttp(`${p.httpUrl}/mcp`);
    const res = await rpc.send('tools/list');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('initialize');
    const garbage = await fetch(`${p.httpUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc": ',
    });
    expect(garbage.status).toBe(400);
    // Pigeonhole still answers.
    expect((await fetch(`${p.httpUrl}/livez`)).status).toBe(200);
  });
});
