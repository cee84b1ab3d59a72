// The MCP sessions of the Streamable HTTP transport: one MCP server and transport per session,
// bounded in number and in idle life.
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/**
 * Sessions at once. A session is an MCP server object and a few closures (tens of KB); agent
 * hosts open one per conversation or editor window, so 100 is more than a team instance sees, and
 * a client that opens sessions in a loop costs at most 100 of them.
 */
export const MCP_MAX_SESSIONS = 100;

/**
 * A session with no request for this long is closed; its client re-initializes on the 404 it then
 * gets, as the specification asks. Half an hour spans a coffee break in an agent conversation.
 */
export const MCP_IDLE_MS = 30 * 60_000;

/** One session: its server and transport, when it was last used, and its requests in flight. */
export interface McpSession {
  readonly id: string;
  readonly server: McpServer;
  readonly transport: StreamableHTTPServerTransport;
  lastSeen: number;
  /** Requests (an SSE stream included) still open: a busy session is never idle. */
  busy: number;
}

/** The session table. Least recently used first (a Map keeps insertion order; a use re-inserts). */
export class McpSessions {
  readonly #sessions = new Map<string, McpSession>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(
    readonly max = MCP_MAX_SESSIONS,
    readonly idleMs = MCP_IDLE_MS,
    private readonly log: (message: string, fields: Record<string, unknown>) => void = () => undefined,
  ) {
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, idleMs)).unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The session of an `mcp-session-id`, marked as just used; undefined when unknown or closed. */
  use(id: string): McpSession | undefined {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    session.lastSeen = Date.now();
    return session;
  }

  /**
   * A transport for an `initialize` request, connected to a new server. It joins the table when the
   * SDK gives it its session ID; {@link settle} drops it if the request never got that far.
   */
  async open(server: McpServer): Promise<StreamableHTTPServerTransport> {
    // The SDK's transport loads with the first session: most runs never see an MCP client.
    const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => this.#add({ id, server, transport, lastSeen: Date.now(), busy: 0 }),
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id && this.#sessions.get(id)?.transport === transport) this.#sessions.delete(id);
    };
    await server.connect(transport);
    return transport;
  }

  /** Closes a transport made by {@link open} that did not become a session (a refused initialize). */
  async settle(transport: StreamableHTTPServerTransport): Promise<void> {
    const id = transport.sessionId;
    if (id && this.#sessions.has(id)) return;
    await transport.close();
  }

  /** Tells every session's client that the list of message resources changed. */
  resourcesChanged(): void {
    for (const session of this.#sessions.values()) {
      if (session.server.isConnected()) session.server.sendResourceListChanged();
    }
  }

  /** Closes sessions idle for longer than the idle life. */
  sweep(now = Date.now()): void {
    for (const session of [...this.#sessions.values()]) {
      if (session.busy === 0 && now - session.lastSeen > this.idleMs) {
        this.log('MCP session closed after its idle life', { session: session.id, idleMs: this.idleMs });
        void this.#close(session);
      }
    }
  }

  /** Closes every session (the app is closing). */
  async closeAll(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.all([...this.#sessions.values()].map((s) => this.#close(s)));
  }

  #add(session: McpSession): void {
    while (this.#sessions.size >= this.max) {
      // The least recently used idle session goes first; only when all are busy, the least recently used.
      const values = [...this.#sessions.values()];
      const victim = values.find((s) => s.busy === 0) ?? values[0]!;
      this.log('MCP session closed to make room: at the session cap', { session: victim.id, max: this.max });
      this.#sessions.delete(victim.id);
      void this.#close(victim);
    }
    this.#sessions.set(session.id, session);
  }

  async #close(session: McpSession): Promise<void> {
    this.#sessions.delete(session.id);
    await session.server.close().catch(() => undefined);
  }
}
