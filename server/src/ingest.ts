import { summarize } from './mail/summary';
import type { MessageStore } from './store/store';
import type { IncomingMessage } from './store/types';
import { applyTagRules, type TagRule } from './tags/rules';

/**
 * The ingest path: into the store, with the summary (from the header block and a light MIME walk)
 * made on first read or once SMTP is quiet; see MessageStore.add. With tag rules (`--tags-config`)
 * the summary is made at once, for the rules to be tested on, and stored with their tags.
 */
export function ingest(
  store: MessageStore,
  incoming: IncomingMessage,
  tagRules: readonly TagRule[] | null = null,
): string {
  if (!tagRules) return store.add(incoming, summarize).id;
  const fields = summarize(incoming.raw, incoming.envelope, incoming.session.username);
  return store.add(incoming, applyTagRules(tagRules, incoming, fields)).id;
}
