import type { StoredMessage } from '../store/types';
import type { BodyIndex } from './body-index';
import type { TextField, Term } from './query';
import { bodyOf, hasInline, recordOf, type SearchRecord } from './record';

function fieldText(record: SearchRecord, field: Exclude<TextField, 'tag'>): string {
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

/** Whether the body holds a text: `yes`/`no` from the body index, `maybe` when it must be decoded. */
type BodyFilter = (term: Term & { kind: 'text' }, message: StoredMessage) => 'yes' | 'no' | 'maybe';

function termHolds(term: Term, message: StoredMessage, record: SearchRecord, mayHold: BodyFilter): boolean {
  const s = message.summary;
  switch (term.kind) {
    case 'text':
      // The summary fields first; the body is decoded only for words they do not contain, and with
      // an index only for messages whose body has the words.
      if (record.text.includes(term.value)) return true;
      switch (mayHold(term, message)) {
        case 'yes':
          return true;
        case 'no':
          return false;
        case 'maybe':
          return bodyOf(message).includes(term.value);
      }
      return false;
    case 'field':
      if (term.field === 'tag') return s.Tags.some((t) => t.toLowerCase() === term.value);
      if (term.field === 'message-id') return record.messageId === term.value.replace(/^<|>$/g, '');
      return fieldText(record, term.field).includes(term.value);
    case 'is':
      if (term.value === 'tagged') return s.Tags.length > 0;
      return term.value === 'read' ? s.Read : !s.Read;
    case 'has':
      return term.value === 'attachment' ? s.Attachments > 0 : hasInline(message);
    case 'size':
      return term.op === 'larger' ? s.Size > term.bytes : s.Size < term.bytes;
    case 'date':
      return term.op === 'before' ? record.created < term.at : record.created > term.at;
  }
}

/** Cheap terms run before text terms, so most messages are ruled out without touching text. */
function cost(term: Term): number {
  if (term.kind === 'text') return term.negate ? 4 : 3;
  if (term.kind === 'field') return 2;
  return term.kind === 'has' && term.value === 'inline' ? 2 : 1;
}

/**
 * A predicate for these terms: every term must hold (or, when negated, must not). With a body index
 * (searches over the whole store), body words are looked up there first; without one (testing a
 * single new message) the body is decoded directly.
 */
export function compile(terms: readonly Term[], index?: BodyIndex): (message: StoredMessage) => boolean {
  const ordered = [...terms].sort((a, b) => cost(a) - cost(b));
  if (ordered.length === 0) return () => true;
  const candidates = new Map<string, ReturnType<BodyIndex['candidates']>>();
  const mayHold: BodyFilter = (term, message) => {
    if (!index) return 'maybe';
    let found = candidates.get(term.value);
    if (found === undefined) {
      found = index.candidates(term.value);
      candidates.set(term.value, found);
    }
    if (found === null) return 'maybe';
    if (!found.messages.has(message)) return 'no';
    return found.exact ? 'yes' : 'maybe';
  };
  return (message) => {
    const record = recordOf(message);
    for (const term of ordered) {
      if (termHolds(term, message, record, mayHold) === term.negate) return false;
    }
    return true;
  };
}
