/** An HTTP method a route of the table answers. Every GET answers HEAD too (fastify adds it). */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';

/** One route: the methods it answers, its path pattern (find-my-way syntax), and its handler's file. */
export interface RouteEntry {
  readonly methods: readonly RouteMethod[];
  readonly path: string;
  /** The file that registers the route, relative to `server/src/`. */
  readonly module: string;
}

/**
 * The route table: every HTTP route Pigeonhole registers, in one place, read top to bottom. Each
 * server route module registers its routes from here (`app.route({ ...endpoint('messages', 'GET'),
 * ... })`) and the typed client fills the same patterns with `pathOf`, so neither side spells a
 * path. `server/src/http/route-table.test.ts` fails when a registered route is missing here, when
 * an entry has no route, or when an entry names the wrong method or module.
 */
export const RouteTable = {
  // Health, for orchestrators: 200 while the process runs; 200 once SMTP and HTTP listen.
  livez: { methods: ['GET'], path: '/livez', module: 'http/routes/health.ts' },
  readyz: { methods: ['GET'], path: '/readyz', module: 'http/routes/health.ts' },

  // Mailpit API v1: messages. GET lists, PUT sets read state, DELETE deletes (no IDs: all).
  messages: { methods: ['GET', 'PUT', 'DELETE'], path: '/api/v1/messages', module: 'http/routes/messages.ts' },
  // GET searches, DELETE deletes every match.
  search: { methods: ['GET', 'DELETE'], path: '/api/v1/search', module: 'http/routes/messages.ts' },
  message: { methods: ['GET'], path: '/api/v1/message/:id', module: 'http/routes/message.ts' },
  messageHeaders: { methods: ['GET'], path: '/api/v1/message/:id/headers', module: 'http/routes/message.ts' },
  messageRaw: { methods: ['GET'], path: '/api/v1/message/:id/raw', module: 'http/routes/message.ts' },
  messagePart: { methods: ['GET'], path: '/api/v1/message/:id/part/:partId', module: 'http/routes/message.ts' },
  messagePartThumb: {
    methods: ['GET'],
    path: '/api/v1/message/:id/part/:partId/thumb',
    module: 'http/routes/message.ts',
  },

  // Mailpit API v1: tags, info, send.
  tags: { methods: ['GET', 'PUT'], path: '/api/v1/tags', module: 'http/routes/tags.ts' },
  tag: { methods: ['PUT', 'DELETE'], path: '/api/v1/tags/:tag', module: 'http/routes/tags.ts' },
  info: { methods: ['GET'], path: '/api/v1/info', module: 'http/routes/info.ts' },
  webui: { methods: ['GET'], path: '/api/v1/webui', module: 'http/routes/info.ts' },
  send: { methods: ['POST'], path: '/api/v1/send', module: 'http/routes/send.ts' },

  // Mailpit's HTML and text renderings for front-end testing, outside /api as in Mailpit.
  viewHtml: { methods: ['GET'], path: '/view/:id.html', module: 'http/routes/view.ts' },
  viewText: { methods: ['GET'], path: '/view/:id.txt', module: 'http/routes/view.ts' },
  viewLatest: { methods: ['GET'], path: '/view/latest', module: 'http/routes/view.ts' },

  // Ours, beyond Mailpit.
  messageSession: { methods: ['GET'], path: '/api/v1/message/:id/session', module: 'http/routes/message.ts' },
  wait: { methods: ['GET'], path: '/api/v1/wait', module: 'http/routes/wait.ts' },
  mailboxes: { methods: ['GET'], path: '/api/v1/mailboxes', module: 'http/routes/mailboxes.ts' },

  // The OpenAPI document, made at build time (`server/dist/openapi.json`); Mailpit serves its own
  // at `swagger.json`, so the same file answers there too.
  openapi: { methods: ['GET'], path: '/api/v1/openapi.json', module: 'http/routes/openapi.ts' },
  swagger: { methods: ['GET'], path: '/api/v1/swagger.json', module: 'http/routes/openapi.ts' },

  // Beyond capture: Mailpit's release and chaos, MailHog's release.
  messageRelease: { methods: ['POST'], path: '/api/v1/message/:id/release', module: 'http/routes/release.ts' },
  chaos: { methods: ['GET', 'PUT'], path: '/api/v1/chaos', module: 'http/routes/chaos.ts' },
  mailhogRelease: { methods: ['POST'], path: '/api/v1/messages/:id/release', module: 'http/routes/release.ts' },

  // Live events (WebSocket): Mailpit's envelope `{ Type, Data }`.
  events: { methods: ['GET'], path: '/api/events', module: 'http/routes/events.ts' },

  // MailHog API v2 and the v1 routes its clients use.
  mailhogMessages: { methods: ['GET'], path: '/api/v2/messages', module: 'http/routes/mailhog.ts' },
  mailhogSearch: { methods: ['GET'], path: '/api/v2/search', module: 'http/routes/mailhog.ts' },
  mailhogWebsocket: { methods: ['GET'], path: '/api/v2/websocket', module: 'http/routes/events.ts' },
  // The very route of `messages`' DELETE, named for what MailHog's clients do with it: sent with no
  // body at all, it deletes everything and answers an empty body (their client JSON-parses any other).
  mailhogDeleteAll: { methods: ['DELETE'], path: '/api/v1/messages', module: 'http/routes/messages.ts' },
  mailhogMessage: { methods: ['DELETE'], path: '/api/v1/messages/:id', module: 'http/routes/mailhog.ts' },
  mailhogDownload: { methods: ['GET'], path: '/api/v1/messages/:id/download', module: 'http/routes/mailhog.ts' },

  // The web UI: `/` is its index.html (or, when the UI is not built, a note saying so). Every other
  // file of the built UI (`/favicon.svg`, `/assets/index-[hash].js`, ...) is a route of its own,
  // registered by @fastify/static at startup from the files present, so no other path reaches the
  // disk. There is no SPA fallback: the UI opens a message at `/?id=...`.
  webUi: { methods: ['GET'], path: '/', module: 'http/routes/web.ts' },
  webFiles: { methods: ['GET'], path: '/*', module: 'http/routes/web.ts' },

  // Ours: message authentication (DKIM, SPF, DMARC, ARC, BIMI) and the DNS records it looks up.
  messageAuthCheck: { methods: ['GET'], path: '/api/v1/message/:id/auth-check', module: 'http/routes/auth.ts' },
  dns: { methods: ['GET', 'PUT', 'DELETE'], path: '/api/v1/dns', module: 'http/routes/auth.ts' },
  // MCP for AI agents (Streamable HTTP): POST messages, GET the notification stream, DELETE a session.
  mcp: { methods: ['GET', 'POST', 'DELETE'], path: '/mcp', module: 'http/routes/mcp.ts' },
  // Provider HTTP APIs at the providers' own paths, so that an SDK whose host alone can be changed
  // works (`--provider-apis`; docs/providers.md). Outside /api: their auth is the provider's.
  sendgridMailSend: { methods: ['POST'], path: '/v3/mail/send', module: 'providers/sendgrid.ts' },
  postmarkEmail: { methods: ['POST'], path: '/email', module: 'providers/postmark.ts' },
  postmarkBatch: { methods: ['POST'], path: '/email/batch', module: 'providers/postmark.ts' },
  resendEmails: { methods: ['POST'], path: '/emails', module: 'providers/resend.ts' },
  resendBatch: { methods: ['POST'], path: '/emails/batch', module: 'providers/resend.ts' },
  mailgunMessages: { methods: ['POST'], path: '/v3/:domain/messages', module: 'providers/mailgun.ts' },
  mailgunMime: { methods: ['POST'], path: '/v3/:domain/messages.mime', module: 'providers/mailgun.ts' },
  sesV2SendEmail: { methods: ['POST'], path: '/v2/email/outbound-emails', module: 'providers/ses-v2.ts' },
  // SES's v1 Query API posts its form to the root; `/` answers GET with the UI as before.
  sesQuery: { methods: ['POST'], path: '/', module: 'providers/ses-v1.ts' },

  // Operations: Prometheus metrics (--metrics on; docs/metrics.md). Outside /api, as Prometheus expects.
  metrics: { methods: ['GET'], path: '/metrics', module: 'metrics/routes.ts' },
  // Checks (Mailpit's HTML, link and spam checks) and OPTIONS on every API route.
  messageHtmlCheck: { methods: ['GET'], path: '/api/v1/message/:id/html-check', module: 'http/routes/checks.ts' },
  messageLinkCheck: { methods: ['GET'], path: '/api/v1/message/:id/link-check', module: 'http/routes/checks.ts' },
  messageSpamCheck: { methods: ['GET'], path: '/api/v1/message/:id/sa-check', module: 'http/routes/checks.ts' },
  apiOptions: { methods: ['OPTIONS'], path: '/api/*', module: 'http/routes/preflight.ts' },
} as const satisfies Record<string, RouteEntry>;

export type RouteName = keyof typeof RouteTable;

/** The path pattern of each route, by name: `Routes.messageRaw` is `/api/v1/message/:id/raw`. */
export const Routes = Object.fromEntries(Object.entries(RouteTable).map(([name, entry]) => [name, entry.path])) as {
  readonly [N in RouteName]: (typeof RouteTable)[N]['path'];
};

/** The methods a route of the table answers, e.g. `'GET' | 'PUT' | 'DELETE'` for `messages`. */
export type MethodOf<N extends RouteName> = (typeof RouteTable)[N]['methods'][number];

/**
 * The method and URL of one route of the table, for a server route module to register with:
 * `app.route({ ...endpoint('messages', 'PUT'), schema, handler })`. A method the entry does not list
 * is a type error, and throws for untyped callers.
 */
export function endpoint<N extends RouteName, M extends MethodOf<N>>(
  name: N,
  method: M,
): { method: M; url: (typeof RouteTable)[N]['path'] } {
  const entry: RouteEntry = RouteTable[name];
  if (!entry.methods.includes(method)) throw new Error(`the route table has no ${method} for ${name}`);
  return { method, url: RouteTable[name].path };
}

/** `id.html` names the parameter `id`: a dot ends a parameter name, as in find-my-way. */
type ParamName<S extends string> = S extends `${infer Name}.${string}` ? Name : S;

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? ParamName<Name> | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? ParamName<Name>
    : never;

/** The parameters a route pattern needs, e.g. `{ id: string }` for `/api/v1/message/:id/raw`. */
export type RouteParams<N extends RouteName> = { [K in ParamNames<(typeof Routes)[N]>]: string };

/** Fills a route pattern with URL-encoded parameters: `pathOf('messageRaw', { id })`. */
export function pathOf<N extends RouteName>(name: N, params?: RouteParams<N>): string {
  const pattern: string = Routes[name];
  return pattern.replace(/:([A-Za-z]+)/g, (_, key: string) => {
    const value = (params as Record<string, string> | undefined)?.[key];
    if (value === undefined) throw new Error(`route ${name} needs parameter ${key}`);
    return encodeURIComponent(value);
  });
}
