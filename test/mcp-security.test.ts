import { request } from 'node:http';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { httpClient, json, text } from './helpers/mcp';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/**
 * Attacks on `/mcp` as the MCP specification names them: a web page driving the developer's browser
 * (a foreign Origin, or DNS rebinding: `Host: evil.example`), and a caller without the
 * `--ui-auth` credentials. Each must be refused before any tool runs.
 */

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'attacker', version: '1' } },
});

/** One HTTP request with exactly these headers (a browser's `Host` and `Origin` included). */
function send(
  p: Pigeonhole,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const url = new URL('/mcp', p.httpUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: { accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        // An SSE stream does not end (and says nothing until there is news): its status is enough.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
          return;
        }
        res.on('data', (chunk: string) => (text += chunk));
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A session opened the honest way, by the SDK's client, and its ID. */
async function session(p: Pigeonhole, headers: Record<string, string> = {}): Promise<string> {
  const res = await send(p, 'POST', { 'content-type': 'application/json', ...headers }, INITIALIZE);
  expect(res.status).toBe(200);
  return String(res.headers['mcp-session-id']);
}

const toolCall = (name: string) =>
  JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: {} } });

describe('/mcp attacked', () => {
  it('refuses a POST from a foreign Origin, and opens no session', async () => {
    const p = await start();
    const res = await send(
      p,
      'POST',
      { 'content-type': 'application/json', origin: 'https://evil.example' },
      INITIALIZE,
    );
    expect(res.status).toBe(403);
    expect(res.headers['mcp-session-id']).toBeUndefined();
  });

  it('refuses a foreign Origin on the GET stream of a session, even one whose ID it learnt', async () => {
    const p = await start();
    const id = await session(p);
    const own = await send(p, 'GET', { 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' });
    expect(own.status).toBe(200);
    const foreign = await send(p, 'GET', {
      'mcp-session-id': id,
      'mcp-protocol-version': '2025-06-18',
      origin: 'http://evil.example:8025',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('another origin');
  });

  it('refuses DNS rebinding: a Host that is not served, with the matching Origin', async () => {
    const p = await start();
    const port = new URL(p.httpUrl).port;
    const res = await send(
      p,
      'POST',
      { 'content-type': 'application/json', host: `evil.example:${port}`, origin: `http://evil.example:${port}` },
      INITIALIZE,
    );
    expect(res.status).toBe(403);
    expect(res.text).toContain('DNS-rebinding');
  });

  it('with --ui-auth, runs no tool without credentials, and runs them with the caller’s own', async () => {
    const p = await start({ uiAuth: 'ann:s3cret' });
    await transport(p).sendMail({ from: 'app@example.test', to: 'gina@example.test', subject: 'Keep me', text: 'x' });
    const auth = { authorization: `Basic ${Buffer.from('ann:s3cret').toString('base64')}` };

    const anonymous = await send(p, 'POST', { 'content-type': 'application/json' }, INITIALIZE);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['mcp-session-id']).toBeUndefined();
    const wrong = `Basic ${Buffer.from('ann:guess').toString('base64')}`;
    expect(
      (await send(p, 'POST', { 'content-type': 'application/json', authorization: wrong }, INITIALIZE)).status,
    ).toBe(401);

    // A session ID is no credential: a call with it but without the password is refused too.
    const id = await session(p, auth);
    const headers = { 'content-type': 'application/json', 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' };
    const stolen = await send(p, 'POST', headers, toolCall('delete_all_messages'));
    expect(stolen.status).toBe(401);
    expect(p.store.count).toBe(1);

    // The SDK's client with the credentials: the tools reach the API with them.
    const client = await httpClient(p, auth);
    const list = json<{ total: number }>(await client.callTool({ name: 'list_messages', arguments: {} }));
    expect(list.total).toBe(1);
  });

  it('sends no test message while a relay is configured, since auto-relay could carry it to a real host', async () => {
    const p = await start({ smtpRelayHost: '127.0.0.1', smtpRelayPort: '9', smtpRelayAll: true });
    const client = await httpClient(p);
    const result = await client.callTool({
      name: 'send_test_message',
      arguments: { to: ['victim@example.test'], subject: 'spam', text: 'x' },
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('--smtp-relay-host');
    expect(p.store.count).toBe(0);
  });
});
