import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Pigeonhole } from 'pigeonhole';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/cli';
import { json, nextSubscription, text, TOOL_NAMES, track } from './helpers/mcp';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/** The SDK's client, talking to `pigeonhole mcp --url ...` (the built CLI) over its stdin and stdout. */
async function stdioClient(p: Pigeonhole, url = p.httpUrl): Promise<{ client: Client; stderr: () => string }> {
  const stdio = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--url', url],
    stderr: 'pipe',
  });
  let stderr = '';
  stdio.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = track(new Client({ name: 'pigeonhole-test', version: '0.0.0' }));
  await client.connect(stdio);
  return { client, stderr: () => stderr };
}

describe('pigeonhole mcp (stdio), with the SDK client', () => {
  it('lists the tools, waits for a message sent during the call, reads its code and links, deletes it', async () => {
    const p = await start();
    const { client } = await stdioClient(p);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(TOOL_NAMES);

    const subscribed = nextSubscription(p);
    const waiting = client.callTool({
      name: 'wait_for_message',
      arguments: { to: 'hana@example.test', timeoutSeconds: 20 },
    });
    await subscribed;
    expect(p.store.count).toBe(0);
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'hana@example.test',
      subject: 'Verify your email',
      text: 'Your verification code: 305817\nOr open https://app.example.test/verify?t=xyz',
    });
    const { message } = json<{ message: { id: string; subject: string } }>(await waiting);
    expect(message.subject).toBe('Verify your email');

    expect(json(await client.callTool({ name: 'get_code', arguments: { id: message.id } })).code).toBe('305817');
    expect(json(await client.callTool({ name: 'get_links', arguments: { id: message.id } })).links).toEqual([
      'https://app.example.test/verify?t=xyz',
    ]);
    await client.callTool({ name: 'delete_messages', arguments: { ids: [message.id] } });
    expect(p.store.count).toBe(0);
  });

  it('answers a bad argument with an MCP error, and says so when Pigeonhole is down', async () => {
    const p = await start();
    const { client } = await stdioClient(p);
    const bad = await client.callTool({ name: 'get_code', arguments: { id: 'latest', digits: 'six' } }).then(
      (result) => (result.isError ? text(result) : 'no error'),
      (error: Error) => error.message,
    );
    expect(bad).toMatch(/-32602[\s\S]*digits/);
    await p.stop();
    const down = await client.callTool({ name: 'list_messages', arguments: {} });
    expect(down.isError).toBe(true);
    expect(text(down)).toContain('Cannot reach Pigeonhole');
  });

  it('takes --ui-auth credentials in the URL', async () => {
    const p = await start({ uiAuth: 'ann:s3cret' });
    await transport(p).sendMail({ from: 'app@example.test', to: 'ivan@example.test', subject: 'Hi', text: 'x' });
    const url = new URL(p.httpUrl);
    const without = await stdioClient(p);
    const refused = await without.client.callTool({ name: 'list_messages', arguments: {} });
    expect(text(refused)).toContain('refused the credentials');
    url.username = 'ann';
    url.password = 's3cret';
    const { client } = await stdioClient(p, url.href);
    expect(json(await client.callTool({ name: 'list_messages', arguments: {} })).total).toBe(1);
  });
});
