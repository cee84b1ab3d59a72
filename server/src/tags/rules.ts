// Tag rules (`--tags-config FILE`) in Mailpit's own format, so that a Mailpit user's file works
// unchanged: YAML with a `filters` list, each a `match` (a search query, Mailpit's syntax) and the
// `tags` it adds (a comma-separated string, as Mailpit reads it; a YAML list is taken too):
//
//   filters:
//     - match: from:billing@example.com
//       tags: invoices
//     - match: subject:"password reset"
//       tags: auth,security
//
// Mailpit (config/tags.go, storage/tagfilters.go) runs each rule as a search restricted to the new
// message and adds the tags of every rule that matches, beside the X-Tags and plus-address tags,
// before the `new` event goes out. So does Pigeonhole, with the search matcher of server/src/search.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Node } from 'yaml';
import { matcher } from '../search/search';
import { searchRecord } from '../store/search-record';
import { summaryData } from '../store/summary-data';
import type { IncomingMessage, StoredMessage, SummaryFields } from '../store/types';
import { cleanTags } from './clean';

/**
 * The YAML parser, loaded when a tags file is read: its 70 modules cost about 3 MB of heap and
 * most instances have no `--tags-config`. Read synchronously, as the rest of the configuration is.
 */
let yamlModule: typeof Yaml | null = null;
function yaml(): typeof Yaml {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlModule;
}

/** One rule: a compiled query and the tags it adds. */
export interface TagRule {
  /** The query as written, for logs and docs. */
  match: string;
  tags: string[];
  /** The line of the file the rule starts on (1-based). */
  line: number;
  test: (message: StoredMessage) => boolean;
}

/** A tags file that cannot be used; the message names the file and the line. */
export class TagRulesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TagRulesError';
  }
}

/** Rules in one file; more would be a search per rule per message, and no team writes that many by hand. */
export const MAX_TAG_RULES = 1000;

/**
 * Parses a tags file in Mailpit's format into compiled rules. Any problem (YAML syntax, a missing
 * `filters` list, a rule without `match` or `tags`, a query the search cannot run) is a
 * {@link TagRulesError} naming `file` and the line.
 */
export function parseTagRules(text: string, file: string): TagRule[] {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (message: string, node?: Node | null): never => {
    const at = node?.range ? lines.linePos(node.range[0]).line : 1;
    throw new TagRulesError(`--tags-config ${file}, line ${at}: ${message}`);
  };
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0].line ?? 1;
    throw new TagRulesError(`--tags-config ${file}, line ${line}: not valid YAML: ${syntax.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail('expected a mapping with a "filters:" list (Mailpit\'s tags format)', root);
  const filters = root.get('filters', true) as Node | undefined;
  // Mailpit's own message for a file without the list.
  if (!filters) return fail('missing "filters:" list', root);
  if (!isSeq(filters)) return fail('"filters:" must be a list of { match, tags } entries', filters);
  if (filters.items.length > MAX_TAG_RULES) return fail(`more than ${MAX_TAG_RULES} rules`, filters);
  return filters.items.map((item) => {
    const node = item as Node;
    if (!isMap(node)) return fail('each filter is a mapping with "match:" and "tags:"', node);
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key !== 'match' && key !== 'tags')
        fail(`unknown key "${key}" (a filter has "match:" and "tags:")`, pair.key as Node);
    }
    const matchNode = node.get('match', true) as Node | undefined;
    const tagsNode = node.get('tags', true) as Node | undefined;
    const match = isScalar(matchNode) ? String(matchNode.value ?? '').trim() : '';
    if (!match) return fail('"match:" must be a non-empty search query', matchNode ?? node);
    let given: string[] = [];
    if (isScalar(tagsNode)) given = String(tagsNode.value ?? '').split(',');
    else if (isSeq(tagsNode)) given = tagsNode.items.map((t) => (isScalar(t) ? String(t.value) : ''));
    const tags = cleanTags(given);
    if (tags.length === 0) return fail('"tags:" must name at least one tag (comma separated)', tagsNode ?? node);
    let test: TagRule['test'];
    try {
      test = matcher(match);
    } catch (err) {
      return fail(`"match: ${match}" is not a search query Pigeonhole can run: ${(err as Error).message}`, matchNode);
    }
    return { match, tags, line: lines.linePos(node.range?.[0] ?? 0).line, test };
  });
}

/**
 * The message as the search sees it, before it is stored: the summary the store would keep, its
 * search record, the bytes. A rule is tested on this alone, so that the store emits `added` with the
 * rules' tags already in the summary (one `new` event, as in Mailpit) and ingest stays one call.
 */
function candidate(incoming: IncomingMessage, fields: SummaryFields): StoredMessage {
  const summary = summaryData('', fields, incoming.created.getTime(), incoming.session.via);
  return {
    id: '',
    seq: Number.MAX_SAFE_INTEGER,
    created: incoming.created.getTime(),
    withRaw: (fn) => fn(incoming.raw),
    keepRaw: () => incoming.raw,
    rawLength: incoming.raw.length,
    envelope: incoming.envelope,
    session: { ...incoming.session, transcript: [] },
    summary,
    record: searchRecord(summary),
    read: false,
    tags: summary.Tags,
    attachments: summary.Attachments,
    searchSnippet: summary.Snippet,
    via: incoming.session.via,
  };
}

/**
 * The summary fields with every matching rule's tags added to those of `X-Tags` and plus-addressing.
 * Each rule sees the message as it arrived (a rule does not see another rule's tags), as in Mailpit.
 */
export function applyTagRules(
  rules: readonly TagRule[],
  incoming: IncomingMessage,
  fields: SummaryFields,
): SummaryFields {
  const message = candidate(incoming, fields);
  const added: string[] = [];
  for (const rule of rules) if (rule.test(message)) added.push(...rule.tags);
  if (added.length === 0) return fields;
  return { ...fields, Tags: [...new Set([...fields.Tags, ...added])].sort((a, b) => a.localeCompare(b)) };
}
