/**
 * The route table: every HTTP path of Pigeonhole, in one place. Server routes register these
 * patterns; the typed client fills them with `pathOf`. Grep here first.
 */
export const Routes = {
  livez: '/livez',
  readyz: '/readyz',

  // Mailpit API v1
  messages: '/api/v1/messages',
  messageRaw: '/api/v1/message/:id/raw',
} as const;

export type RouteName = keyof typeof Routes;

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
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
