import type { StoredMessage } from '../store/types';
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

function termHolds(term: Term, message: StoredMessage, record: SearchRecord): boolean {
  const s = message.summary;
  switch (term.kind) {
    case 'text':
      // The summary fields first; the body is decoded only for words they do not contain.
      return record.text.includes(term.value) || bodyOf(message).includes(term.value);
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

/** A predicate for these terms: every term must hold (or, when negated, must not). */
export function compile(terms: readonly Term[]): (message: StoredMessage) => boolean {
  const ordered = [...terms].sort((a, b) => cost(a) - cost(b));
  if (ordered.length === 0) return () => true;
  return (message) => {
    const record = recordOf(message);
    for (const term of ordered) {
      if (termHolds(term, message, record) === term.negate) return false;
    }
    return true;
  };
}
