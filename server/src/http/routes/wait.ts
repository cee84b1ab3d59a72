import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { endpoint } from '@pigeonhole/shared/routes';
import { MessagesListSchema, type MessagesList } from '@pigeonhole/shared/schemas/messages';
import { parseWaitTimeout, WaitQuerySchema } from '@pigeonhole/shared/schemas/wait';
import { matcher } from '../../search/search';
import type { MessageStore } from '../../store/store';
import { messagesList, runSearch, searchError } from '../api-context';
import { apiError } from '../errors';

async function listOf(
  store: MessageStore,
  query: string,
  limit: number,
  tz: string | undefined,
): Promise<MessagesList> {
  return messagesList(store, await runSearch(store, query, 0, limit, tz), 0);
}

/**
 * Ours: `/api/v1/wait`, a long-poll that answers as soon as `count` messages match, driven by store
 * events rather than a polling loop. Each new message is tested alone; the store is scanned again
 * only when enough may match, or after a delete or an update changed what matches.
 */
export const waitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.pigeonhole;

  app.route({
    ...endpoint('wait', 'GET'),
    schema: {
      tags: ['Pigeonhole'],
      summary: 'Wait until count messages match the query (408 at the timeout)',
      querystring: WaitQuerySchema,
      response: { 200: MessagesListSchema },
    },
    handler: async (req, reply) => {
      const query = req.query.query ?? '';
      const count = req.query.count ?? 1;
      const tz = req.query.tz;
      const limit = Math.max(count, req.query.limit ?? 50);
      const timeoutMs = parseWaitTimeout(req.query.timeout);
      let test: ReturnType<typeof matcher>;
      try {
        test = matcher(query, tz);
      } catch (err) {
        throw searchError(err, req.log);
      }
      const now = await listOf(store, query, limit, tz);
      if (now.messages_count >= count) return now;
      if (app.closing.aborted) throw apiError('SHUTTING_DOWN');

      return new Promise<MessagesList>((resolve, reject) => {
        let matched = now.messages_count;
        let stale = false;
        let settled = false;
        const finish = (settle: () => void): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          unsubscribe();
          reply.raw.off('close', onClose);
          app.closing.removeEventListener('abort', onShutdown);
          settle();
        };
        // A full search runs in slices (it yields), so checks never overlap: one asked for while
        // another runs is run once after it, with what the store holds then.
        let checking: Promise<void> | null = null;
        let again = false;
        const check = (): void => {
          if (checking) {
            again = true;
            return;
          }
          checking = (async () => {
            do {
              again = false;
              const list = await listOf(store, query, limit, tz);
              if (settled) return;
              matched = list.messages_count;
              stale = false;
              if (matched >= count) finish(() => resolve(list));
            } while (again && !settled);
          })()
            .catch((err: unknown) => finish(() => reject(searchError(err, req.log))))
            .finally(() => (checking = null));
        };
        const unsubscribe = store.subscribe((event) => {
          if (event.type === 'added') {
            if (!test(event.message)) return;
            if (stale || ++matched >= count) check();
          } else if (event.type === 'updated') {
            // Read state and tags can change what `is:` and `tag:` match.
            check();
          } else {
            stale = true;
          }
        });
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                apiError('WAIT_TIMEOUT', `${matched} of ${count} message(s) matching "${query}" after ${timeoutMs} ms`),
              ),
            ),
          timeoutMs,
        );
        // The client went away: stop listening (nothing can be answered any more).
        const onClose = (): void => finish(() => reject(apiError('WAIT_TIMEOUT', 'client closed the connection')));
        reply.raw.on('close', onClose);
        // Pigeonhole is stopping: answer now rather than hold the shutdown until the timeout.
        const onShutdown = (): void => finish(() => reject(apiError('SHUTTING_DOWN')));
        app.closing.addEventListener('abort', onShutdown);
      });
    },
  });
};
