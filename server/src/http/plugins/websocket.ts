import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Frames from clients are ignored; a large one is a misbehaving client and is refused by ws. */
const MAX_CLIENT_FRAME = 16 * 1024;

/**
 * One client frame event per turn of the event loop, not every frame of a chunk in one go. The
 * feeds expect no client frames, so nothing legitimate pays for it; a flooder does: 64 KiB read
 * from its socket is some 9,000 one-byte frames, and parsed in one go, ten such sockets held the
 * thread that answers SMTP for about 200 ms even after each flooder had been told to stop.
 */
const WS_OPTIONS = { maxPayload: MAX_CLIENT_FRAME, allowSynchronousEvents: false };

/**
 * How long a WebSocket client gets to answer our close frame at shutdown. ws itself waits 30 s for
 * the answer, and the HTTP server cannot close before every upgraded socket has: a browser tab that
 * is slow to answer held `stop()` for 30 s.
 */
const CLOSE_GRACE_MS = 500;

/**
 * At shutdown, say goodbye (1001, going away) to every client, then cut off those that have not
 * answered after a short grace.
 */
function closeClients(this: FastifyInstance, done: () => void): void {
  const wss = this.websocketServer;
  for (const client of wss.clients) client.close(1001, 'server closing');
  const force = setTimeout(() => {
    for (const client of wss.clients) client.terminate();
  }, CLOSE_GRACE_MS);
  wss.close(() => {
    clearTimeout(force);
    done();
  });
}

/**
 * @fastify/websocket at the root, registered before any hook that may refuse an upgrade (Origin,
 * auth): its own hooks then mark every upgrade request and destroy the socket of a refused one.
 * Registered inside a route plugin instead, a 403 left the socket open and `close()` waited forever.
 */
export const websocketPlugin = fp(
  async (app) => {
    await app.register(websocket, { options: WS_OPTIONS, preClose: closeClients });
  },
  { name: 'pigeonhole-websocket' },
);
