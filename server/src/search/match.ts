import { words, type BodyLookup } from '../store/body-index';
import { recordHas } from '../store/search-record';
import type { MessageStore } from '../store/store';
import type { SearchRecord, StoredMessage } from '../store/types';
import type { TextField, Term } from './query';
import { bodyOf, hasInline } from './record';

function fieldText(record: SearchRecord, field: Exclude<TextField, 'tag' | 'via'>): string {
  switch (field) {
    case 'to':
      return record.to;
    case 'from':
      return record.from;
    case 'cc':
      return record.cc;
    case 'bcc':
      return record.bcc;
    case 'reply-to':
      return record.replyTo;
    case 'addressed':
      return record.addressed;
    case 'subject':
      return record.subject;
    case 'message-id':
      return record.messageId;
  }
}

/**
 * `message-id:` is exact, as in Mailpit; for a message that came through a provider API, the
 * provider's own ID (the part of the Message-ID before `@`, which its answer returned) matches too.
 */
function messageIdMatches(messageId: string, value: string, via: string | undefined): boolean {
  const wanted = value.replace(/^<|>$/g, '');
  return messageId === wanted || (via !== undefined && messageId.slice(0, messageId.lastIndexOf('@')) === wanted);
}

/** Whether the body holds a text: `yes`/`no` from the body index, `maybe` when it must be decoded. */
type BodyFilter = (term: TextTerm, message: StoredMessage) => 'yes' | 'no' | 'maybe';

type TextTerm = Term & { kind: 'text' };

/** Counts bodies decoded, so that a search loop can weigh its work by it. */
export interface WorkCounter {
  decodes: number;
}

function termHolds(
  term: Term,
  message: StoredMessage,
  record: SearchRecord,
  mayHold: BodyFilter,
  work: WorkCounter,
  store: MessageStore | undefined,
): boolean {
  switch (term.kind) {
    case 'text':
      // The summary fields first; the body is decoded only for words they do not contain, and with
      // an index only for messages whose body has the words.
      if (recordHas(record, message.searchSnippet, term.value)) return true;
      switch (mayHold(term, message)) {
        case 'yes':
          return true;
        case 'no':
          return false;
        case 'maybe':
          work.decodes++;
          return bodyOf(message, store).includes(term.value);
      }
      return false;
    case 'field':
      if (term.field === 'tag') return message.tags.some((t) => t.toLowerCase() === term.value);
      if (term.field === 'via') return (message.via ?? 'smtp') === term.value;
      if (term.field === 'message-id') return messageIdMatches(record.messageId, term.value, message.via);
      return fieldText(record, term.field).includes(term.value);
    case 'is':
      if (term.value === 'tagged') return message.tags.length > 0;
      return term.value === 'read' ? message.read : !message.read;
    case 'has':
      return term.value === 'attachment' ? message.attachments > 0 : hasInline(message);
    case 'size':
      return term.op === 'larger' ? message.rawLength > term.bytes : message.rawLength < term.bytes;
    case 'date':
      return term.op === 'before' ? message.created < term.at : message.created > term.at;
  }
}

/** Cheap terms run before text terms, so most messages are ruled out without touching text. */
function cost(term: Term): number {
  if (term.kind === 'text') return term.negate ? 4 : 3;
  if (term.kind === 'field') return 2;
  return term.kind === 'has' && term.value === 'inline' ? 2 : 1;
}

/** The distinct word tokens of each text term, for {@link BodyIndex.lookup}. */
export function textTokens(terms: readonly Term[]): string[] {
  const out = new Set<string>();
  for (const term of terms) if (term.kind === 'text') for (const token of words(term.value)) out.add(token);
  return [...out];
}

/** What a compiled query may use beyond the message: the store's body index and body cache. */
export interface CompileContext {
  /** The store searched: decoded bodies are cached there. */
  store?: MessageStore;
  /** The body index's answer for the query's tokens. */
  lookup?: BodyLookup;
  work?: WorkCounter;
}

/**
 * A predicate for these terms: every term must hold (or, when negated, must not). With a body
 * lookup (searches over the whole store), body words are checked there first; without one (testing
 * a single new message) the body is decoded directly. A term the summary decides (the word is in a
 * summary field) never touches the body, negated or not.
 */
export function compile(
  terms: readonly Term[],
  { store, lookup, work = { decodes: 0 } }: CompileContext = {},
): (message: StoredMessage) => boolean {
  const ordered = [...terms].sort((a, b) => cost(a) - cost(b));
  if (ordered.length === 0) return () => true;
  const plans = new Map<TextTerm, { sets: ReadonlySet<number>[]; exact: boolean } | null>();
  for (const term of ordered) {
    if (term.kind !== 'text' || !lookup) continue;
    const tokens = [...new Set(words(term.value))];
    const sets = tokens.map((t) => lookup.postings.get(t));
    // A token the dictionary cannot hold (one letter, or longer than any indexed word): decode.
    if (tokens.length === 0 || sets.some((set) => set === undefined)) plans.set(term, null);
    else
      plans.set(term, {
        sets: sets as ReadonlySet<number>[],
        exact: tokens.length === 1 && tokens[0] === term.value,
      });
  }
  const mayHold: BodyFilter = (term, message) => {
    const plan = plans.get(term);
    if (!plan || !lookup || message.seq > lookup.coveredSeq) return 'maybe';
    for (const set of plan.sets) {
      if (!set.has(message.seq)) return lookup.partial.has(message.seq) ? 'maybe' : 'no';
    }
    return plan.exact ? 'yes' : 'maybe';
  };
  return (message) => {
    const record = message.record;
    for (const term of ordered) {
      if (termHolds(term, message, record, mayHold, work, store) === term.negate) return false;
    }
    return true;
  };
}
