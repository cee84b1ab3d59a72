import { summarize } from './mail/summary';
import type { MessageStore } from './store/store';
import type { IncomingMessage } from './store/types';

/**
 * The ingest path: into the store, with the summary (from the header block and a light MIME walk)
 * made on first read or once SMTP is quiet; see MessageStore.add. Returns the ID at once in memory;
 * with `--storage`, a promise of it that resolves once the message is durable, so that the 250 (or
 * an API's success answer) is sent only then. In memory no promise is made: that path is hot.
 */
export function ingest(store: MessageStore, incoming: IncomingMessage): string | Promise<string> {
  const message = store.add(incoming, summarize);
  const durable = store.durable(message, incoming.session);
  return durable ? durable.then(() => message.id) : message.id;
}
