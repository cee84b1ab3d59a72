import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint, Routes } from '@pigeonhole/shared/routes';
import { originAllowed } from '../plugins/cors';
import { EventHub, holderOf } from '../event-hub';
import { VERSION } from './info';

/**
 * Live events: Mailpit's `/api/events` (`{ Type, Data }` frames: new, stats, update, delete,
 * truncate) and MailHog's `/api/v2/websocket` (each new message in MailHog's shape). A browser page
 * of another origin is refused unless `--api-cors` names it (cross-site WebSocket hijacking); its own
 * origin is one whose host is also allowed (`--allowed-hosts`), so a rebound name is foreign too.
 */
export const eventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, config } = app.pigeonhole;
  const hub = new EventHub(store, VERSION, app.log);
  app.addHook('onClose', async () => hub.close());
  app.pigeonhole.metrics?.watchWebSockets(() => hub.size);

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.split('?')[0] !== Routes.events && req.url.split('?')[0] !== Routes.mailhogWebsocket) return;
    if (originAllowed(req, config)) return;
    req.log.info({ origin: req.headers.origin }, 'WebSocket from a foreign origin refused');
    return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden: foreign origin');
  });

  app.route({
    ...endpoint('events', 'GET'),
    websocket: true,
    schema: { tags: ['Events'], summary: 'WebSocket: Mailpit events { Type, Data }', hide: true },
    handler: (socket, req) => hub.add(socket, 'mailpit', holderOf(req)),
  });

  app.route({
    ...endpoint('mailhogWebsocket', 'GET'),
    websocket: true,
    schema: { tags: ['MailHog API'], summary: 'WebSocket: each new message, MailHog shape', hide: true },
    handler: (socket, req) => hub.add(socket, 'mailhog', holderOf(req)),
  });
};
