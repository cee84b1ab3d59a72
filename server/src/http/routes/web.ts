import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { endpoint, Routes } from '@pigeonhole/shared/routes';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Where the built web UI is: next to the bundled server (`dist/web`, seen from `dist/` or from a
 * chunk in `dist/chunks/`), or, when running from source in tests, in `server/dist/web`.
 */
export function findWebRoot(configured: string | null): string | null {
  const candidates = configured
    ? [configured]
    : ['./web', '../web', '../../../dist/web'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
  return candidates.find((dir) => existsSync(`${dir}/index.html`)) ?? null;
}

/**
 * The Content-Security-Policy of every UI response. Script only from the UI's own files: no inline
 * script, no eval, nothing from mail. Message HTML is shown in a `srcdoc` iframe, which inherits
 * this policy, so the mail-facing directives are wide on purpose where a mail client's would be:
 * remote images (the UI can block them per message with a stricter policy of its own), inline styles
 * and web fonts. Forms never submit and plugins never load.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline' http: https:",
  "img-src 'self' data: blob: http: https:",
  "font-src 'self' data: http: https:",
  "media-src 'self' data: blob: http: https:",
  // WebSocket to our own host: `'self'` covers ws: in CSP 3, the explicit schemes cover older engines.
  "connect-src 'self' ws: wss:",
  "frame-src 'self' blob: data:",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** Headers on every UI response, the note included. */
const UI_HEADERS: Record<string, string> = {
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'SAMEORIGIN',
};

/** Serves the web UI's static files at `/`, or a short note when the UI is not built. */
export function webRoutes(root: string | null): FastifyPluginAsync {
  // Named as the factory: fastify names the plugin after its function, and the route-table test
  // finds a route's module by that name.
  return async function webRoutes(app) {
    // Encapsulated: this hook covers the UI's responses (files, the note, their 404s), not the API.
    app.addHook('onSend', async (_req, reply, payload) => {
      for (const [name, value] of Object.entries(UI_HEADERS)) reply.header(name, value);
      return payload;
    });
    if (!root) {
      app.route({
        ...endpoint('webUi', 'GET'),
        handler: async (_req, reply) =>
          reply.type('text/plain').send('Pigeonhole is running. The web UI is not built: run `npm run build`.'),
      });
      return;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: Routes.webUi,
      // One route per file present at startup (the route table's `webFiles`), not a `/*` route that
      // looks on disk for whatever path a request names.
      wildcard: false,
      index: ['index.html'],
      // Our own Cache-Control below: @fastify/static's would overwrite it.
      cacheControl: false,
      setHeaders(res, path) {
        // Vite names built assets by content hash, so they never change; index.html always may.
        if (path.includes('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        else res.setHeader('cache-control', 'no-cache');
      },
    });
  };
}
