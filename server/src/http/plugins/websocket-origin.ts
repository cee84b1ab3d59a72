import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { originAllowed, type OriginPolicy } from './cors';
import { apiError } from '../errors';

/**
 * True when a WebSocket upgrade comes from a page whose origin may not use the API: neither this
 * server's own (an allowed host, and the request's `Host`) nor one `--api-cors` names (the same rule
 * as CORS, `cors.ts`). Browsers always
 * send `Origin` on a WebSocket handshake and never let a page forge it; non-browser clients (the
 * `ws` package, the CLI) send none, and cannot be driven by a hostile page anyway.
 */
export function foreignUpgrade(req: FastifyRequest, policy: OriginPolicy): boolean {
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return false;
  return !originAllowed(req, policy);
}

/**
 * Cross-site WebSocket hijacking: a page on any site could otherwise open `ws://127.0.0.1:8025/api/events`
 * from the developer's browser and read every message as it arrives (the MailHog/MailDev class of
 * bug). Every upgrade, whatever route it asks for, is checked before routing reaches it and refused
 * with 403; `routes/events.ts` checks its own two routes the same way. Basic auth (auth.ts) covers
 * the upgrade as well.
 */
export const websocketOriginPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { config } = app.pigeonhole;
    app.addHook('onRequest', async (req) => {
      if (!foreignUpgrade(req, config)) return;
      req.log.info({ origin: req.headers.origin, url: req.url }, 'cross-origin WebSocket refused');
      throw apiError('FORBIDDEN', 'Cross-origin WebSocket connections are not allowed');
    });
  },
  { name: 'pigeonhole-websocket-origin' },
);
