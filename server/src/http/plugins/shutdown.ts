import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/**
 * How long requests in flight at shutdown get to finish before their connections are cut. A
 * long-poll ends at once (see `app.closing`); this bounds a slow upload or download.
 */
const DRAIN_MS = 1000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Aborted when the app starts closing: long-running handlers answer then instead of waiting. */
    closing: AbortSignal;
  }
}

/**
 * A prompt, graceful `close()`. fastify closes the idle keep-alive connections once, when it starts
 * closing; a request still in flight then left its connection open and idle afterwards, and Node
 * kept it for the keep-alive timeout (72 s), so `stop()` hung that long after a browser had a fetch
 * under way. Now a response sent while closing says `Connection: close`, long-polls are told to
 * answer, and whatever is left after a short drain is cut.
 */
export const shutdownPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const controller = new AbortController();
    let drain: NodeJS.Timeout | undefined;
    app.decorate('closing', controller.signal);

    app.addHook('preClose', async () => {
      controller.abort();
      drain = setTimeout(() => app.server.closeAllConnections(), DRAIN_MS);
    });
    app.addHook('onClose', async () => clearTimeout(drain));
    app.addHook('onSend', async (_req, reply) => {
      if (controller.signal.aborted) reply.header('connection', 'close');
    });
  },
  { name: 'pigeonhole-shutdown' },
);
