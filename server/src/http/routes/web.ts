import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Where the built web UI is: next to the bundled server (`dist/web`), or, when running from source
 * in tests, in `server/dist/web`.
 */
export function findWebRoot(configured: string | null): string | null {
  const candidates = configured
    ? [configured]
    : [fileURLToPath(new URL('./web', import.meta.url)), fileURLToPath(new URL('../../../dist/web', import.meta.url))];
  return candidates.find((dir) => existsSync(`${dir}/index.html`)) ?? null;
}

/** Serves the web UI's static files at `/`, or a short note when the UI is not built. */
export function webRoutes(root: string | null): FastifyPluginAsync {
  return async (app) => {
    if (!root) {
      app.get('/', async (_req, reply) =>
        reply.type('text/plain').send('Pigeonhole is running. The web UI is not built: run `npm run build`.'),
      );
      return;
    }
    await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'], maxAge: 0 });
  };
}
