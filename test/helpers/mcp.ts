import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Pigeonhole } from 'pigeonhole';
import { afterEach } from 'vitest';

const open = new Set<Client>();

afterEach(async () => {
  await Promise.all([...open].map((c) => c.close().catch(() => undefined)));
  open.clear();
});

/** The SDK's own client, connected over Streamable HTTP to a Pigeonhole's `/mcp`; closed after the test. */
export async function httpClient(
  p: Pick<Pigeonhole, 'httpUrl'>,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: 'pigeonhole-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', p.httpUrl), { requestInit: { headers } }));
  open.add(client);
  return client;
}

/** Keeps track of a client made elsewhere (stdio), so that it is closed after the test. */
export function track(client: Client): Client {
  open.add(client);
  return client;
}

/** The JSON of a tool result's first text block. */
export function json<T = Record<string, unknown>>(result: unknown): T {
  const first = (result as CallToolResult).content[0];
  if (first?.type !== 'text') throw new Error(`expected a text block, got ${JSON.stringify(result).slice(0, 300)}`);
  return JSON.parse(first.text) as T;
}

/** The text of a tool result's first block (an error result's message). */
export function text(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  return first?.type === 'text' ? first.text : '';
}

/** Resolves once the store has a new subscriber: a server-side wait has started listening. */
export function nextSubscription(p: Pick<Pigeonhole, 'store'>): Promise<void> {
  return new Promise((resolve) => {
    const store = p.store;
    const original = store.subscribe.bind(store);
    store.subscribe = (listener) => {
      store.subscribe = original;
      resolve();
      return original(listener);
    };
  });
}

/** Every tool name both transports serve. */
export const TOOL_NAMES = [
  'list_messages',
  'get_message',
  'wait_for_message',
  'get_links',
  'get_code',
  'get_attachment',
  'mark_read',
  'delete_messages',
  'delete_all_messages',
  'send_test_message',
  'check_authentication',
];
