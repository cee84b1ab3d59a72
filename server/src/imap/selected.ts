import type { StoredMessage } from '../store/types';
import { fetchData, parseFetchItems, setsSeen, type FetchItem } from './fetch';
import { join, type Piece } from './format';
import { atomOf, ParseError, type Token } from './parser';
import { compileSearch } from './search';
import { highest, inSet, parseSequenceSet } from './sequence';
import type { ImapShared, MailboxView } from './view';

/**
 * The commands of the Selected state (RFC 3501 section 6.4): FETCH, STORE, SEARCH, EXPUNGE and their
 * UID forms, over a {@link MailboxView}. Each returns the text of its tagged OK, or throws a
 * {@link CommandNo} (tagged NO) or a ParseError (tagged BAD).
 */

/** A command refused for a reason that is not a syntax error: the session answers tagged NO. */
export class CommandNo extends Error {}

/** What the selected-state commands need. */
export interface SelectedContext {
  shared: ImapShared;
  view: MailboxView;
  write(data: string | Buffer): void;
  /**
   * Null while the client keeps up; when the socket's buffer is full, a promise of its draining. A
   * FETCH of the whole mailbox waits on it between messages, so one command's answer (gigabytes,
   * for a large store) is never held in memory at once.
   */
  backpressure(): Promise<void> | null;
  /** False once the connection is gone: a long FETCH stops. */
  alive(): boolean;
}

/** The messages of the view a set names, with their sequence numbers. */
function select(ctx: SelectedContext, setText: string, uid: boolean): [number, StoredMessage][] {
  const { messages } = ctx.view;
  const set = parseSequenceSet(setText, uid ? ctx.view.maxUid : messages.length);
  if (!uid && !setText.includes('*') && highest(set) > messages.length) {
    throw new ParseError(`no message ${highest(set)}: the mailbox has ${messages.length}`);
  }
  const out: [number, StoredMessage][] = [];
  messages.forEach((m, i) => {
    if (inSet(set, uid ? m.seq : i + 1)) out.push([i + 1, m]);
  });
  return out;
}

/** FETCH and UID FETCH; resolves with the text of the tagged OK once every message is written. */
export async function fetch(ctx: SelectedContext, args: readonly Token[], uid: boolean): Promise<string> {
  const selected = select(ctx, atomOf(args[0], 'sequence set'), uid);
  const items = parseFetchItems(args[1]);
  if (args.length > 2) throw new ParseError('FETCH takes a sequence set and data items');
  const asked: FetchItem[] = uid && !items.some((i) => i.kind === 'UID') ? [{ kind: 'UID' }, ...items] : items;
  const marks = setsSeen(items) && !ctx.view.readOnly;
  const store = ctx.shared.store;
  const context = { store, flags: (m: StoredMessage) => ctx.shared.flags(m) };
  for (const [n, message] of selected) {
    // Deleted by the web UI or API meanwhile: its EXPUNGE comes after this command.
    if (!store.get(message.id)) continue;
    let data: FetchItem[] = asked;
    if (marks && !message.read) {
      store.setRead([message.id], true);
      // RFC 3501 section 6.4.5: a FETCH that sets \Seen returns the new FLAGS with it.
      if (!asked.some((i) => i.kind === 'FLAGS')) data = [...asked, { kind: 'FLAGS' }];
      ctx.view.told([message.id]);
    }
    const pieces: Piece[] = [`* ${n} FETCH (`, ...fetchData(context, message, data), ')\r\n'];
    ctx.write(join(pieces));
    const full = ctx.backpressure();
    if (full) await full;
    if (!ctx.alive()) break;
  }
  return `${uid ? 'UID ' : ''}FETCH completed`;
}

/** STORE and UID STORE of `\Seen` (the web UI's read state) and `\Deleted`; other flags are not kept. */
export function store(ctx: SelectedContext, args: readonly Token[], uid: boolean): string {
  if (ctx.view.readOnly) throw new CommandNo('mailbox is read-only (EXAMINE)');
  const selected = select(ctx, atomOf(args[0], 'sequence set'), uid);
  const action = atomOf(args[1], 'FLAGS, +FLAGS or -FLAGS');
  const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(action);
  if (!m) throw new ParseError(`bad STORE item ${action.slice(0, 20)}`);
  const flagTokens = args.slice(2).flatMap((t) => (t.kind === 'list' ? t.items : [t]));
  const flags = new Set(flagTokens.map((t) => atomOf(t, 'flag')));
  const seen = flags.has('\\SEEN');
  const deleted = flags.has('\\DELETED');
  const ids = selected.map(([, message]) => message.id);
  const mode = m[1];
  if (mode === '') {
    ctx.shared.store.setRead(ids, seen);
    ctx.shared.setDeleted(ids, deleted);
  } else {
    const on = mode === '+';
    if (seen) ctx.shared.store.setRead(ids, on);
    if (deleted) ctx.shared.setDeleted(ids, on);
  }
  ctx.view.told(ids);
  if (!m[2]) {
    for (const [n, message] of selected) {
      const uidPart = uid ? ` UID ${message.seq}` : '';
      ctx.write(`* ${n} FETCH (FLAGS (${ctx.shared.flags(message)})${uidPart})\r\n`);
    }
  }
  return `${uid ? 'UID ' : ''}STORE completed`;
}

/** SEARCH and UID SEARCH. */
export function search(ctx: SelectedContext, args: readonly Token[], uid: boolean): string {
  const { messages } = ctx.view;
  const matcher = compileSearch(args, { maxSeq: messages.length, maxUid: ctx.view.maxUid });
  const found: number[] = [];
  messages.forEach((message, i) => {
    if (!ctx.shared.store.get(message.id)) return;
    if (matcher({ message, seq: i + 1, deleted: ctx.shared.isDeleted(message.id) }))
      found.push(uid ? message.seq : i + 1);
  });
  ctx.write(`* SEARCH${found.map((n) => ` ${n}`).join('')}\r\n`);
  return `${uid ? 'UID ' : ''}SEARCH completed`;
}

/**
 * EXPUNGE (and CLOSE, silently): the messages marked `\Deleted` leave the store, which tells the web
 * UI and every other session; this session's `* N EXPUNGE` lines come from the same event.
 */
export function expunge(ctx: SelectedContext): number {
  if (ctx.view.readOnly) return 0;
  const ids = ctx.view.messages.filter((m) => ctx.shared.isDeleted(m.id)).map((m) => m.id);
  return ids.length > 0 ? ctx.shared.store.delete(ids).length : 0;
}
