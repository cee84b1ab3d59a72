import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config';
import { hostNameAllowed, parseHost } from './host-check';

/** What the origin rules read from the configuration. */
export type OriginPolicy = Pick<Config, 'apiCors' | 'allowedHosts'>;

/** Whether `--api-cors` names this origin (or is `*`). */
export function corsAllows(origin: string | undefined, policy: OriginPolicy): boolean {
  const url = origin === undefined ? null : originUrl(origin);
  if (!url) return false;
  return policy.apiCors.includes('*') || policy.apiCors.includes(url.origin.toLowerCase());
}

/** An `Origin` header as a URL, or null when it names no origin (malformed, or `null`: a sandbox). */
function originUrl(origin: string): URL | null {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? null : url;
  } catch {
    return null;
  }
}

/**
 * Whether an `Origin` is this server's own: its host passes the allowed-hosts rule (host-check.ts)
 * *and* its host:port is the request's `Host`. Equality with `Host` alone is not enough: a DNS-rebinding
 * page controls both (`Origin: http://evil.example:8025`, `Host: evil.example:8025`).
 */
export function sameOrigin(req: FastifyRequest, origin: string, policy: OriginPolicy): boolean {
  const url = originUrl(origin);
  if (!url) return false;
  const own = parseHost(req.headers.host);
  const theirs = parseHost(url.host);
  if (!own || !theirs || own.name !== theirs.name || own.port !== theirs.port) return false;
  return policy.allowedHosts.includes('*') || hostNameAllowed(theirs.name, policy.allowedHosts);
}

/**
 * Whether a browser `Origin` may use the API: none (not a browser, or a same-origin GET), the server's
 * own ({@link sameOrigin}), or one `--api-cors` names (or `*`).
 */
export function originAllowed(req: FastifyRequest, policy: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return sameOrigin(req, origin, policy) || corsAllows(origin, policy);
}

/**
 * Mailpit's `--api-cors`: API answers carry `Access-Control-Allow-Origin` for the origins listed, and
 * preflight requests are answered. Without the flag no CORS header is sent, so other sites' pages
 * cannot read the API.
 */
export const corsPlugin = fp(
  async (app) => {
    const { config } = app.pigeonhole;
    const allowed = config.apiCors;
    if (allowed.length === 0) return;
    app.addHook('onRequest', async (req, reply) => {
      const origin = req.headers.origin;
      if (!origin || !req.url.startsWith('/api/') || !originAllowed(req, config)) return;
      reply.header('Access-Control-Allow-Origin', allowed.includes('*') ? '*' : origin);
      reply.header('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        reply.header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
        reply.header('Access-Control-Allow-Headers', 'Content-Type, Authorization');
        reply.header('Access-Control-Max-Age', '600');
        return reply.code(204).send();
      }
      return undefined;
    });
  },
  { name: 'pigeonhole-cors' },
);
