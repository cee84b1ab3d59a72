import { Command, Option } from 'commander';
import { PigeonholeClient } from '@pigeonhole/shared/client';
import { action, CommandError } from './common';

interface McpOptions {
  url: string;
}

/**
 * The base URL and headers of `--url`: credentials written in it (`http://user:pass@host:8025`,
 * for a Pigeonhole with `--ui-auth`) become a basic `Authorization` header, since fetch refuses a
 * URL with credentials.
 */
export function clientTarget(value: string): { baseUrl: string; headers: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CommandError(`--url: not a URL: "${value.slice(0, 200)}"`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CommandError(`--url: expected an http:// or https:// URL, got "${url.protocol}"`, 2);
  }
  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { baseUrl: url.href.replace(/\/+$/, ''), headers };
}

async function mcp(options: McpOptions): Promise<void> {
  const { baseUrl, headers } = clientTarget(options.url);
  // Loaded here: the other commands start without the SDK. Only the MCP definition and the typed
  // client are loaded, never the server (fastify, smtp-server, the store).
  const [{ createMcpServer }, { StdioServerTransport }] = await Promise.all([
    import('../mcp/server'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const client = new PigeonholeClient({ baseUrl, headers });
  const server = createMcpServer({ client: () => client });
  await server.connect(new StdioServerTransport());
  // Standard output carries the protocol; everything else goes to standard error.
  const reachable = await client.info().then(
    () => '',
    (err: unknown) => ` (not reachable yet: ${(err as Error).message}; tools will fail until it is)`,
  );
  process.stderr.write(`pigeonhole mcp: serving MCP over stdio for ${baseUrl}${reachable}\n`);
}

/** `pigeonhole mcp`: the MCP tools over stdio, for agent hosts that start a command. */
export function mcpCommand(): Command {
  return new Command('mcp')
    .description('serve the MCP tools over stdio (for agent hosts that start a command), for a running Pigeonhole')
    .addOption(
      new Option('--url <url>', 'base URL of Pigeonhole; with --ui-auth, http://user:pass@host:port')
        .env('PIGEONHOLE_URL')
        .default('http://127.0.0.1:8025'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  claude mcp add pigeonhole -- npx pigeonhole mcp --url http://127.0.0.1:8025\n' +
        '  pigeonhole mcp --url http://dev:secret@127.0.0.1:8025\n\nSee docs/mcp.md.',
    )
    .action(action('mcp', mcp));
}
