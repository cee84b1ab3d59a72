import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';

/** Frames from clients are ignored; a large one is a misbehaving client and is refused by ws. */
const MAX_CLIENT_FRAME = 16 * 1024;

/**
 * @fastify/websocket at the root, registered before any hook that may refuse an upgrade (Origin,
 * auth): its own hooks then mark every upgrade request and destroy the socket of a refused one.
 * Registered inside a route plugin instead, a 403 left the socket open and `close()` waited forever.
 */
export const websocketPlugin = fp(
  async (app) => {
    await app.register(websocket, { options: { maxPayload: MAX_CLIENT_FRAME } });
  },
  { name: 'pigeonhole-websocket' },
);
