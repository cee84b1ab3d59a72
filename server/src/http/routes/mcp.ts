import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PigeonholeClient } from '@pigeonhole/shared/client';
import { endpoint } from '@pigeonhole/shared/routes';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpBackend, RequestExtra } from '../../mcp/tool';
import { apiError } from '../errors';
import { injectFetch } from '../mcp-fetch';
import { McpSessions } from '../mcp-sessions';
import { originAllowed } from '../plugins/cors';

/**
 * The largest MCP request: a tool call with a test message's text and HTML (100,000 characters
 * each, `mcp/limits.ts`) fits with room to spare; nothing else an agent sends comes close.
 */
const MCP_BODY_LIMIT = 1024 * 1024;

/** Resource-list notifications go out at most once a second, however fast mail arrives. */
const NOTIFY_EVERY_MS = 1000;

const schema = {
  tags: ['MCP'],
  headers: Type.Object({
    'mcp-session-id': Type.Optional(Type.String({ maxLength: 200, description: 'From the initialize answer' })),
  }),
};

/** The `Authorization` header of the MCP request, so that the tools act with the caller's credentials. */
function forwarded(extra: RequestExtra): Record<string, string> {
  const value = extra.requestInfo?.headers.authorization;
  const header = Array.isArray(value) ? value[0] : value;
  return header ? { authorization: header } : {};
}

/**
 * The SDK and the tools, loaded with the first MCP request: most runs never see an MCP client, and
 * loading them at start made every Pigeonhole bigger (the SDK, zod and the tools' code).
 */
let runtime: Promise<{
  isInitializeRequest: (value: unknown) => boolean;
  createMcpServer: (backend: McpBackend) => McpServer;
}> | null = null;

function loadRuntime(): NonNullable<typeof runtime> {
  runtime ??= Promise.all([import('@modelcontextprotocol/sdk/types.js'), import('../../mcp/server')]).then(
    ([types, server]) => ({ isInitializeRequest: types.isInitializeRequest, createMcpServer: server.createMcpServer }),
  );
  return runtime;
}

/** A JSON-RPC error answer outside any session, as the SDK's own examples give it. */
function rpcError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * Ours: the MCP server for AI agents at `/mcp` (Streamable HTTP, stateful sessions; docs/mcp.md).
 * POST carries JSON-RPC messages, GET opens the stream of server notifications (new mail changes
 * the resource list), DELETE ends a session. The tools reach the API through this same app
 * (`app.inject`), with the caller's credentials, so every route's own checks apply to them.
 *
 * Security (the MCP specification's): the app-wide hooks have already checked the `Host` (DNS
 * rebinding), basic auth (`--ui-auth`; every request, not only the first of a session) and, for
 * POST and DELETE, a cross-site `Origin`; this plugin refuses a foreign `Origin` on every method,
 * the SSE stream included, by the same rule (`originAllowed`, cors.ts).
 */
export const mcpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, store } = app.pigeonhole;
  if (!config.mcp) return;
  const sessions = new McpSessions(undefined, undefined, (message, fields) => app.log.info(fields, message));
  const fetch = injectFetch(app);
  const backend: McpBackend = { client: (extra) => new PigeonholeClient({ fetch, headers: forwarded(extra) }) };

  let pending: NodeJS.Timeout | null = null;
  const unsubscribe = store.subscribe((event) => {
    if (event.type === 'updated' || pending || sessions.size === 0) return;
    pending = setTimeout(() => {
      pending = null;
      sessions.resourcesChanged();
    }, NOTIFY_EVERY_MS).unref();
  });
  app.addHook('preClose', async () => {
    unsubscribe();
    if (pending) clearTimeout(pending);
    await sessions.closeAll();
  });

  app.addHook('onRequest', async (req) => {
    if (originAllowed(req, config)) return;
    req.log.info({ origin: req.headers.origin?.slice(0, 200), url: req.url }, 'cross-origin MCP request refused');
    throw apiError(
      'FORBIDDEN',
      'Forbidden: MCP requests from another origin are not allowed (allow one with --api-cors)',
    );
  });

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const { isInitializeRequest, createMcpServer } = await loadRuntime();
    const id = req.headers['mcp-session-id'];
    const session = typeof id === 'string' && id !== '' ? sessions.use(id) : undefined;
    let transport = session?.transport;
    if (typeof id === 'string' && id !== '' && !session) {
      req.log.info({ session: id.slice(0, 100) }, 'MCP request for an unknown or closed session');
      return rpcError(reply, 404, -32001, 'Session not found: it ended or was closed; send initialize again');
    }
    if (!transport) {
      if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
        req.log.info({ method: req.method }, 'MCP request without a session');
        return rpcError(reply, 400, -32000, 'Bad request: no mcp-session-id header; start with an initialize request');
      }
      transport = await sessions.open(createMcpServer(backend));
    }
    reply.hijack();
    if (session) {
      const used = session;
      used.busy += 1;
      reply.raw.once('close', () => {
        used.busy -= 1;
        used.lastSeen = Date.now();
      });
    }
    try {
      await transport.handleRequest(req.raw, reply.raw, req.body);
    } catch (err) {
      req.log.error({ err }, 'MCP request failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      reply.raw.end('Internal server error');
    }
    // An initialize that failed (a wrong Accept header, a bad protocol version) left no session.
    if (!session) await sessions.settle(transport);
  };

  app.route({
    ...endpoint('mcp', 'POST'),
    bodyLimit: MCP_BODY_LIMIT,
    schema: {
      ...schema,
      summary: 'MCP (Streamable HTTP): send JSON-RPC messages; answered as JSON or an SSE stream',
      body: Type.Unknown({ description: 'A JSON-RPC 2.0 message of the Model Context Protocol' }),
    },
    handler,
  });
  app.route({
    ...endpoint('mcp', 'GET'),
    schema: { ...schema, summary: "MCP: the SSE stream of the session's server notifications" },
    handler,
  });
  app.route({
    ...endpoint('mcp', 'DELETE'),
    schema: { ...schema, summary: 'MCP: end the session' },
    handler,
  });
};
