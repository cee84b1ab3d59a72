import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Whether a browser `Origin` may use the API: the server's own, or one `--api-cors` names (or `*`). */
export function originAllowed(req: FastifyRequest, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin === 'null') return false;
  if (url.host.toLowerCase() === (req.headers.host ?? '').toLowerCase()) return true;
  return allowed.includes('*') || allowed.includes(url.origin.toLowerCase());
}

/**
 * Mailpit's `--api-cors`: API answers carry `Access-Control-Allow-Origin` for the origins listed, and
 * preflight requests are answered. Without the flag no CORS header is sent, so other sites' pages
 * cannot read the API.
 */
export const corsPlugin = fp(
  async (app) => {
    const allowed = app.pigeonhole.config.apiCors;
    if (allowed.length === 0) return;
    app.addHook('onRequest', async (req, reply) => {
      const origin = req.headers.origin;
      if (!origin || !req.url.startsWith('/api/') || !originAllowed(req, allowed)) return;
      reply.header('Access-Control-Allow-Origin', allowed.includes('*') ? '*' : origin);
      reply.header('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        reply.header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
        reply.header('Access-Control-Allow-Headers', 'Content-Type, Authorization');
        reply.header('Access-Control-Max-Age', '600');
        return reply.code(204).send();
      }
      return undefined;
    });
  },
  { name: 'pigeonhole-cors' },
);
