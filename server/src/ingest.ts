import { summarize } from './mail/summary';
import type { MessageStore } from './store/store';
import type { IncomingMessage } from './store/types';
import { applyTagRules, type TagRule } from './tags/rules';

/**
 * The ingest path: into the store, with the summary (from the header block and a light MIME walk)
 * made on first read or once SMTP is quiet; see MessageStore.add. With tag rules (`--tags-config`)
 * the summary is made at once, for the rules to be tested on, and stored with their tags. Returns
 * the ID at once in memory; with `--storage`, a promise of it that resolves once the message is
 * durable, so that the 250 (or an API's success answer) is sent only then. In memory no promise is
 * made: that path is hot.
 */
export function ingest(
  store: MessageStore,
  incoming: IncomingMessage,
  tagRules: readonly TagRule[] | null = null,
): string | Promise<string> {
  const fields = tagRules
    ? applyTagRules(tagRules, incoming, summarize(incoming.raw, incoming.envelope, incoming.session.username))
    : summarize;
  const message = store.add(incoming, fields);
  const durable = store.durable(message, incoming.session);
  return durable ? durable.then(() => message.id) : message.id;
}
