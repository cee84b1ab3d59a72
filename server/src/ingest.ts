import { summarize } from './mail/summary';
import type { MessageStore } from './store/store';
import type { IncomingMessage } from './store/types';

/** The ingest path: summary from the header block and a light MIME walk, then into the store. */
export function ingest(store: MessageStore, incoming: IncomingMessage): string {
  const fields = summarize(incoming.raw, incoming.envelope, incoming.session.username);
  return store.add(incoming, fields).id;
}
