import { ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { httpClient, json, nextSubscription, text, TOOL_NAMES } from './helpers/mcp';
import { rsaKey } from './helpers/dkim';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

const SIGNUP_HTML =
  '<p>Welcome! Your verification code is <b>482913</b>.</p>' +
  '<p><a href="https://app.example.test/confirm?token=abc&amp;u=7">Confirm your address</a></p>' +
  '<p><a href="https://app.example.test/unsubscribe">Unsubscribe</a></p>';

describe('MCP over Streamable HTTP (/mcp), with the SDK client', () => {
  it('lists the tools, waits for a message sent during the call, reads its code and links, deletes it', async () => {
    const p = await start();
    const client = await httpClient(p);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
    expect(tools.find((t) => t.name === 'list_messages')!.description).toContain('addressed:');

    const subscribed = nextSubscription(p);
    const waiting = client.callTool({
      name: 'wait_for_message',
      arguments: { to: 'alice@example.test', timeoutSeconds: 20 },
    });
    await subscribed;
    expect(p.store.count).toBe(0);
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'bob@example.test',
      subject: 'Not this one',
      text: 'x',
    });
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'alice@example.test',
      subject: 'Confirm your sign-up',
      html: SIGNUP_HTML,
    });
    const waited = json<{ message: { id: string; subject: string; to: string[] } }>(await waiting);
    expect(waited.message.subject).toBe('Confirm your sign-up');
    expect(waited.message.to).toEqual(['alice@example.test']);
    const id = waited.message.id;

    const code = json<{ code: string }>(await client.callTool({ name: 'get_code', arguments: { id } }));
    expect(code.code).toBe('482913');
    const links = json<{ links: string[] }>(
      await client.callTool({ name: 'get_links', arguments: { id, contains: 'confirm' } }),
    );
    expect(links.links).toEqual(['https://app.example.test/confirm?token=abc&u=7']);

    // Compact by default: the text, no HTML unless asked.
    const message = json(await client.callTool({ name: 'get_message', arguments: { id } }));
    expect(message.subject).toBe('Confirm your sign-up');
    expect(message).not.toHaveProperty('html');
    expect(message.text).toContain('482913');
    const withHtml = json(await client.callTool({ name: 'get_message', arguments: { id, html: 'raw' } }));
    expect(withHtml.html).toContain('<b>482913</b>');

    const deleted = json<{ remaining: number }>(
      await client.callTool({ name: 'delete_messages', arguments: { ids: [id] } }),
    );
    expect(deleted.remaining).toBe(1);
    expect(p.store.get(id)).toBeUndefined();
    const gone = await client.callTool({ name: 'get_message', arguments: { id } });
    expect(gone.isError).toBe(true);
    expect(text(gone)).toContain('Not found');
  });

  it('answers a bad tool argument with an MCP error and keeps serving', async () => {
    const p = await start();
    const client = await httpClient(p);
    const bad = await client.callTool({
      name: 'wait_for_message',
      arguments: { to: 'alice@example.test', timeoutSeconds: 100_000 },
    });
    // The SDK checks the arguments against the tool's schema and answers the JSON-RPC error
    // (-32602, invalid params) as an error result, before the tool runs.
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/-32602.*Input validation error[\s\S]*timeoutSeconds/);
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).resolves.toMatchObject({ isError: true });
    const list = json<{ total: number }>(await client.callTool({ name: 'list_messages', arguments: {} }));
    expect(list.total).toBe(0);
  });

  it('a wait that times out is an error result naming the query and what did arrive', async () => {
    const p = await start();
    await transport(p).sendMail({ from: 'app@example.test', to: 'bob@example.test', subject: 'Invoice 7', text: 'x' });
    const client = await httpClient(p);
    const result = await client.callTool({
      name: 'wait_for_message',
      arguments: { subject: 'reset', timeoutSeconds: 0.3 },
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('No message matching "subject:reset" arrived within 0.3 s');
    expect(text(result)).toContain('"Invoice 7" from app@example.test to bob@example.test');
  });

  it('searches with Mailpit syntax, marks read, sends a test message to itself and deletes all', async () => {
    const p = await start();
    const client = await httpClient(p);
    const sent = json<{ id: string }>(
      await client.callTool({
        name: 'send_test_message',
        arguments: { to: ['carol@example.test'], subject: 'Hello from an agent', text: 'code 1234' },
      }),
    );
    expect(p.store.get(sent.id)?.summary.Tags).toEqual(['mcp']);
    await transport(p).sendMail({ from: 'app@example.test', to: 'dave@example.test', subject: 'Other', text: 'y' });
    const found = json<{ matched: number; messages: { id: string; read: boolean }[] }>(
      await client.callTool({ name: 'list_messages', arguments: { query: 'to:carol@example.test is:unread' } }),
    );
    expect(found.matched).toBe(1);
    expect(found.messages[0]!.id).toBe(sent.id);
    await client.callTool({ name: 'mark_read', arguments: { ids: [sent.id] } });
    expect(p.store.get(sent.id)?.summary.Read).toBe(true);
    const bad = await client.callTool({ name: 'list_messages', arguments: { query: 'larger:lots' } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('invalid size');
    await client.callTool({ name: 'delete_all_messages', arguments: {} });
    expect(p.store.count).toBe(0);
  });

  it('returns a small text attachment inline and a large one as a resource link to read', async () => {
    const p = await start();
    const big = Buffer.alloc(200 * 1024, 'a');
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'erin@example.test',
      subject: 'Files',
      text: 'see attached',
      attachments: [
        { filename: 'notes.txt', content: 'hello notes', contentType: 'text/plain' },
        { filename: 'big.bin', content: big, contentType: 'application/octet-stream' },
      ],
    });
    const client = await httpClient(p);
    const message = json<{ id: string; attachments: { partId: string; filename: string }[] }>(
      await client.callTool({ name: 'get_message', arguments: { id: 'latest' } }),
    );
    const part = (name: string) => message.attachments.find((a) => a.filename === name)!.partId;
    const small = await client.callTool({
      name: 'get_attachment',
      arguments: { id: message.id, partId: part('notes.txt') },
    });
    expect((small.content as { text?: string }[])[1]!.text).toBe('hello notes');
    const large = await client.callTool({
      name: 'get_attachment',
      arguments: { id: message.id, partId: part('big.bin') },
    });
    const link = (large.content as { type: string; uri?: string }[])[1]!;
    expect(link.type).toBe('resource_link');
    const read = await client.readResource({ uri: link.uri! });
    const blob = (read.contents[0] as { blob: string }).blob;
    expect(Buffer.from(blob, 'base64').equals(big)).toBe(true);

    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain('pigeonhole://message/{id}/raw');
    const listed = await client.listResources();
    expect(listed.resources.map((r) => r.uri)).toContain(`pigeonhole://message/${message.id}`);
    const raw = await client.readResource({ uri: `pigeonhole://message/${message.id}/raw` });
    expect((raw.contents[0] as { text: string }).text).toContain('Subject: Files');
    const prompts = await client.listPrompts();
    expect(prompts.prompts.map((x) => x.name)).toEqual(['verify_signup', 'why_no_mail']);
    const prompt = await client.getPrompt({ name: 'verify_signup', arguments: { address: 'erin@example.test' } });
    expect(JSON.stringify(prompt.messages)).toContain('wait_for_message');
  });

  it("tells a session's GET stream when the message list changes", async () => {
    const p = await start();
    const client = await httpClient(p);
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ResourceListChangedNotificationSchema, () => resolve()),
    );
    await transport(p).sendMail({ from: 'app@example.test', to: 'kim@example.test', subject: 'New', text: 'x' });
    await changed;
    const listed = await client.listResources();
    expect(listed.resources.map((r) => r.name)).toContain('New');
  });

  it('is not served with --mcp off', async () => {
    const p = await start({ mcp: 'off' });
    const res = await fetch(`${p.httpUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(404);
  });

  it('checks authentication: a signed message passes DKIM and DMARC, compact unless details are asked', async () => {
    const p = await start({ dnsOffline: true });
    const key = rsaKey();
    await p.client.setDns({
      'sel._domainkey.example.test': [key.record],
      '_dmarc.example.test': ['v=DMARC1; p=reject'],
    });
    await transport(p).sendMail({
      from: 'app@example.test',
      to: 'alice@example.test',
      subject: 'Signed',
      text: 'Hello',
      dkim: { domainName: 'example.test', keySelector: 'sel', privateKey: key.privatePem },
    });
    const client = await httpClient(p);
    const check = json<{
      dkim: { domain: string; result: string; alignedWithFrom: boolean }[];
      dmarc: { result: string };
    }>(await client.callTool({ name: 'check_authentication', arguments: { id: 'latest' } }));
    expect(check.dkim).toEqual([
      expect.objectContaining({ domain: 'example.test', result: 'pass', alignedWithFrom: true }),
    ]);
    expect(check.dmarc.result).toBe('pass');
    expect(JSON.stringify(check)).not.toContain('BodyHashComputed');
    const full = json<{ DKIM: { BodyHashComputed: string }[] }>(
      await client.callTool({ name: 'check_authentication', arguments: { id: 'latest', details: true } }),
    );
    expect(full.DKIM[0]!.BodyHashComputed).toMatch(/^[A-Za-z0-9+/=]+$/);
  });
});
