/**
 * The route table: every HTTP path of Pigeonhole, in one place. Server routes register these
 * patterns; the typed client fills them with `pathOf`. Grep here first.
 */
export const Routes = {
  livez: '/livez',
  readyz: '/readyz',

  // Mailpit API v1: messages. GET lists, PUT sets read state, DELETE deletes (no IDs: all).
  messages: '/api/v1/messages',
  // GET searches, DELETE deletes every match.
  search: '/api/v1/search',
  message: '/api/v1/message/:id',
  messageHeaders: '/api/v1/message/:id/headers',
  messageRaw: '/api/v1/message/:id/raw',
  messagePart: '/api/v1/message/:id/part/:partId',
  messagePartThumb: '/api/v1/message/:id/part/:partId/thumb',

  // Mailpit API v1: tags, info, send.
  tags: '/api/v1/tags',
  tag: '/api/v1/tags/:tag',
  info: '/api/v1/info',
  webui: '/api/v1/webui',
  send: '/api/v1/send',

  // Mailpit's HTML and text renderings for front-end testing, outside /api as in Mailpit.
  viewHtml: '/view/:id.html',
  viewText: '/view/:id.txt',
  viewLatest: '/view/latest',

  // Ours, beyond Mailpit.
  messageSession: '/api/v1/message/:id/session',
  wait: '/api/v1/wait',
  mailboxes: '/api/v1/mailboxes',
  openapi: '/api/v1/openapi.json',

  // Beyond capture (helper D): Mailpit's release and chaos, MailHog's release.
  messageRelease: '/api/v1/message/:id/release',
  chaos: '/api/v1/chaos',
  mailhogRelease: '/api/v1/messages/:id/release',

  // Live events: Mailpit's envelope `{ Type, Data }`.
  events: '/api/events',

  // MailHog API v2 and the v1 routes its clients use.
  mailhogMessages: '/api/v2/messages',
  mailhogSearch: '/api/v2/search',
  mailhogWebsocket: '/api/v2/websocket',
  mailhogDeleteAll: '/api/v1/messages',
  mailhogMessage: '/api/v1/messages/:id',
  mailhogDownload: '/api/v1/messages/:id/download',
} as const;

export type RouteName = keyof typeof Routes;

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
