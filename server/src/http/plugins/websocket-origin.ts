import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { originAllowed } from '../cors';
import { apiError } from '../errors';

/**
 * True when a WebSocket upgrade comes from a page of another origin. Browsers always send `Origin`
 * on a WebSocket handshake and never let a page forge it; non-browser clients (the `ws` package, the
 * CLI) send none, and cannot be driven by a hostile page anyway.
 */
export function crossOriginUpgrade(req: FastifyRequest): boolean {
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() !== (req.headers.host ?? '').toLowerCase();
  } catch {
    // `Origin: null` (sandboxed frames, file: pages) and garbage: not our page.
    return true;
  }
}

/**
 * Cross-site WebSocket hijacking: a page on any site could otherwise open `ws://127.0.0.1:8025/api/events`
 * from the developer's browser and read every message as it arrives (the MailHog/MailDev class of
 * bug). Upgrades whose `Origin` is not this server's own host are refused with 403 before the
 * WebSocket route runs; basic auth (auth.ts) covers the upgrade as well.
 */
export const websocketOriginPlugin: FastifyPluginAsync = fp(
  async (app) => {
    app.addHook('onRequest', async (req) => {
      if (!crossOriginUpgrade(req)) return;
      // `--api-cors` origins may open the WebSockets too, as Mailpit's flag allows.
      if (originAllowed(req, app.pigeonhole.config.apiCors)) return;
      req.log.info({ origin: req.headers.origin, url: req.url }, 'cross-origin WebSocket refused');
      throw apiError('FORBIDDEN', 'Cross-origin WebSocket connections are not allowed');
    });
  },
  { name: 'pigeonhole-websocket-origin' },
);
