import { summarize } from './mail/summary';
import type { MessageStore } from './store/store';
import type { IncomingMessage } from './store/types';

/**
 * The ingest path: into the store, with the summary (from the header block and a light MIME walk)
 * made on first read or once SMTP is quiet; see MessageStore.add.
 */
export function ingest(store: MessageStore, incoming: IncomingMessage): string {
  return store.add(incoming, summarize).id;
}
