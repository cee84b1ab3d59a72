import { Routes } from '@pigeonhole/shared/routes';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Request bodies of JSON routes (IDs to delete or mark, tags, release recipients, chaos settings).
 * The largest real one is a delete of every message: 100,000 IDs of 16 characters is about 2 MB as
 * JSON. Parsing is synchronous, so an unbounded body would stall SMTP and HTTP alike.
 */
export const JSON_BODY_LIMIT = 4 * 1024 * 1024;

/** Routes that carry whole messages keep the app-wide limit (`BODY_LIMIT` in app.ts, 64 MB). */
const LARGE_BODY_ROUTES: ReadonlySet<string> = new Set([Routes.send]);

/**
 * Sets the body limit of every route registered after it that does not set its own: 413 beyond it,
 * before a byte of JSON is parsed (fastify checks `Content-Length` first and counts chunked bodies).
 */
export const bodyLimitsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      if (route.bodyLimit !== undefined || LARGE_BODY_ROUTES.has(route.url)) return;
      route.bodyLimit = JSON_BODY_LIMIT;
    });
  },
  { name: 'pigeonhole-body-limits' },
);
