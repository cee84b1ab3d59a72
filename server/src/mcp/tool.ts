// What every tool is made of, and the one place that turns a failure into a result an agent reads.
import { PigeonholeHttpError, type PigeonholeClient } from '@pigeonhole/shared/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
  ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { errorResult } from './format';

/** What the SDK hands a tool, resource or prompt callback besides its arguments. */
export type RequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Where the tools reach Pigeonhole: the typed client, one per request. Both transports fill it,
 * so there is one implementation of every tool: stdio with a client of the running server's URL,
 * HTTP with a client that goes through the same fastify app in-process, with the caller's own
 * credentials (`http/mcp-fetch.ts`).
 */
export interface McpBackend {
  client(extra: RequestExtra): PigeonholeClient;
}

/** One tool: its name, its schema and description (what an agent reads), and what it does. */
export interface ToolSpec<Input extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: Input;
  annotations: ToolAnnotations;
  run(args: z.output<Input>, client: PigeonholeClient, extra: RequestExtra): Promise<CallToolResult>;
}

/** A tool ready to be registered on a server. */
export interface ToolEntry {
  readonly name: string;
  register(server: McpServer, backend: McpBackend): void;
}

/** A request the tool refuses as asked (two exclusive arguments, a send while a relay is set). */
export class ToolError extends Error {
  override name = 'ToolError';
}

/** A message an agent can act on, for a refusal of the HTTP API or of the tool itself. */
export function explain(err: unknown): string {
  if (err instanceof ToolError) return err.message;
  if (err instanceof PigeonholeHttpError) {
    const body = err.body.trim().slice(0, 500);
    if (err.status === 404)
      return `Not found: ${body || 'no such message'} (it may have been deleted or evicted; list_messages shows what is there)`;
    if (err.status === 401) return 'Pigeonhole refused the credentials (it runs with --ui-auth)';
    return `Pigeonhole answered ${err.status}: ${body}`;
  }
  if (err instanceof Error && err.name === 'AbortError') return 'Cancelled';
  return `Cannot reach Pigeonhole: ${(err as Error).message}`;
}

/**
 * Makes a tool entry of a spec. A failure inside the tool (a 404, a search syntax error, a refused
 * send) is answered as a tool result with `isError`, which the agent reads and can act on; a bad
 * argument never reaches `run`: the SDK checks it against the schema and answers an error itself.
 */
export function defineTool<Input extends z.ZodObject>(spec: ToolSpec<Input>): ToolEntry {
  return {
    name: spec.name,
    register(server, backend) {
      server.registerTool(
        spec.name,
        { title: spec.title, description: spec.description, inputSchema: spec.input, annotations: spec.annotations },
        (async (args: z.output<Input>, extra: RequestExtra) => {
          try {
            return await spec.run(args, backend.client(extra), extra);
          } catch (err) {
            return errorResult(explain(err));
          }
        }) as never,
      );
    },
  };
}
