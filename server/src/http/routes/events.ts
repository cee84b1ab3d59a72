import websocket from '@fastify/websocket';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Routes } from '@pigeonhole/shared/routes';
import { originAllowed } from '../cors';
import { EventHub } from '../event-hub';
import { VERSION } from './info';

/** Frames from clients are ignored; a large one is a misbehaving client and is refused by ws. */
const MAX_CLIENT_FRAME = 16 * 1024;

/**
 * Live events: Mailpit's `/api/events` (`{ Type, Data }` frames: new, stats, update, delete,
 * truncate) and MailHog's `/api/v2/websocket` (each new message in MailHog's shape). A browser page
 * of another origin is refused unless `--api-cors` names it (cross-site WebSocket hijacking).
 */
export const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, config } = app.pigeonhole;
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_FRAME } });
  const hub = new EventHub(store, VERSION);
  app.addHook('onClose', async () => hub.close());

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.split('?')[0] !== Routes.events && req.url.split('?')[0] !== Routes.mailhogWebsocket) return;
    if (originAllowed(req, config.apiCors)) return;
    req.log.info({ origin: req.headers.origin }, 'WebSocket from a foreign origin refused');
    return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden: foreign origin');
  });

  app.get(
    Routes.events,
    { websocket: true, schema: { tags: ['Events'], summary: 'WebSocket: Mailpit events { Type, Data }', hide: true } },
    (socket) => hub.add(socket, 'mailpit'),
  );

  app.get(
    Routes.mailhogWebsocket,
    {
      websocket: true,
      schema: { tags: ['MailHog API'], summary: 'WebSocket: each new message, MailHog shape', hide: true },
    },
    (socket) => hub.add(socket, 'mailhog'),
  );
};
