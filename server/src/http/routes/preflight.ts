import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint, RouteTable, type RouteEntry } from '@pigeonhole/shared/routes';
import { apiError } from '../errors';

/** A route pattern of the table as a regular expression over concrete paths (`:id` is one segment). */
function patternOf(path: string): RegExp {
  const source = path
    .split(/(:[A-Za-z]+|\*)/)
    .map((piece) => {
      if (piece === '*') return '.*';
      if (piece.startsWith(':')) return '[^/]+';
      return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** The API routes of the table with their patterns, made once. */
const API_ROUTES: { pattern: RegExp; entry: RouteEntry }[] = Object.values(RouteTable as Record<string, RouteEntry>)
  .filter((entry) => entry.path.startsWith('/api/') && !entry.path.endsWith('*'))
  .map((entry) => ({ pattern: patternOf(entry.path), entry }));

/** The methods the table lists for a concrete API path (HEAD with every GET, OPTIONS always), or null. */
export function allowedMethods(path: string): string[] | null {
  const methods = new Set<string>();
  for (const { pattern, entry } of API_ROUTES) {
    if (!pattern.test(path)) continue;
    for (const method of entry.methods) methods.add(method);
  }
  if (methods.size === 0) return null;
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods];
}

/**
 * `OPTIONS` on every API route: 204 with the route's methods in `Allow`, 404 for a path that is no
 * route. The CORS rules stay in `plugins/cors.ts`, whose hook answers an allowed origin's preflight
 * before this route runs; an unlisted origin's preflight reaches this route and gets no
 * `Access-Control-Allow-*` header, so the browser still refuses the cross-origin request.
 */
export const preflightRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('apiOptions', 'OPTIONS'),
    schema: { hide: true },
    handler: async (req, reply) => {
      const path = req.url.split('?')[0]!;
      const methods = allowedMethods(path);
      if (!methods) throw apiError('NOT_FOUND');
      return reply.code(204).header('Allow', methods.join(', ')).send();
    },
  });
};
