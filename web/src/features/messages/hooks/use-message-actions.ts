import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import type { MouseEvent } from 'react';
import { useStableCallback } from '../../../lib/use-stable-callback';
import { deleteAll, deleteMessages } from '../api/delete-messages';
import { setRead } from '../api/set-read';
import type { MessageWindow } from '../lib/message-window';
import type { useSelection } from './use-selection';

/** What the list's actions act on and how they reach the rest of the page. */
export interface MessageActionsOptions {
  win: MessageWindow;
  selection: ReturnType<typeof useSelection>;
  /** The message open in the view, if any. */
  openId: string | null;
  /** The view's search (filter and text); empty for all mail. */
  query: string;
  /** Opens a message (null closes the view); `replace` keeps Back from stepping through each one. */
  open: (id: string | null, options?: { replace?: boolean }) => void;
  /** Moves keyboard focus to the list. */
  focusList: (options?: FocusOptions) => void;
  /** Reloads from the server after a request failed, so the list shows the truth again. */
  catchUp: () => void;
}

/**
 * The message list's actions: open, select, move, mark read, delete. Each updates the list at once
 * and sends the request after; the server's events then confirm it (or `catchUp` repairs it).
 * `onRowClick` and `onToggle` keep their identity across renders, for the memoised rows.
 */
export function useMessageActions({ win, selection, openId, query, open, focusList, catchUp }: MessageActionsOptions) {
  /** The messages an action applies to: the selection, else the open message, else the cursor's. */
  const targets = (): MessageSummary[] => {
    if (selection.selected.size > 0) {
      return win.slice(0, win.size - 1).filter((m) => selection.selected.has(m.ID));
    }
    const openIndex = openId ? win.indexOf(openId) : -1;
    const one = win.at(openIndex >= 0 ? openIndex : selection.active);
    return one ? [one] : [];
  };

  /** Shows a message as read at once (the server marks it read when the view fetches it). */
  const showRead = (message: MessageSummary) => {
    if (!message.Read) win.apply({ updated: new Map([[message.ID, { Read: true }]]) });
  };

  const markRead = (read: boolean, list = targets()) => {
    if (list.length === 0) return;
    win.apply({ updated: new Map(list.map((m) => [m.ID, { Read: read }])) });
    void setRead(read, { ids: list.map((m) => m.ID) }).catch(catchUp);
  };

  const remove = (list = targets()) => {
    if (list.length === 0) return;
    const ids = new Set(list.map((m) => m.ID));
    const first = Math.min(...list.map((m) => win.indexOf(m.ID)).filter((i) => i >= 0));
    const wasOpen = openId !== null && ids.has(openId);
    win.apply({ removed: ids });
    selection.forget(ids);
    void deleteMessages([...ids]).catch(catchUp);
    // Carry on with the message that took the deleted one's place, as mail apps do.
    const nextIndex = Math.min(Number.isFinite(first) ? first : 0, win.size - 1);
    selection.focus(nextIndex);
    if (wasOpen) {
      const next = win.at(nextIndex);
      open(next ? next.ID : null, { replace: true });
    }
  };

  const onRowClick = useStableCallback((index: number, event: MouseEvent) => {
    const message = win.at(index);
    if (!message) return;
    if (event.shiftKey) selection.range(index);
    else if (event.metaKey || event.ctrlKey) selection.toggle(index);
    else {
      selection.focus(index);
      showRead(message);
      open(message.ID);
    }
    focusList({ preventScroll: true });
  });

  const onToggle = useStableCallback((index: number, event: MouseEvent) => {
    if (event.shiftKey) selection.range(index);
    else selection.toggle(index);
  });

  const move = (delta: number, extend: boolean) => {
    if (win.size === 0) return;
    const from = selection.active < 0 ? (openId ? win.indexOf(openId) : -1) : selection.active;
    const next = Math.max(0, Math.min(win.size - 1, from + delta));
    focusList({ preventScroll: true });
    if (extend) selection.range(next);
    else {
      selection.focus(next);
      // With a message open, moving opens the next one, as in a mail client's reading pane.
      const message = win.at(next);
      if (openId && message) {
        showRead(message);
        open(message.ID, { replace: true });
      }
    }
  };

  /** Opens the message under the keyboard cursor. */
  const openActive = () => {
    const message = win.at(selection.active);
    if (!message) return;
    showRead(message);
    open(message.ID);
  };

  /** Marks the targets read, or unread when every one of them is read already. */
  const toggleRead = () => {
    const list = targets();
    markRead(
      list.some((m) => !m.Read),
      list,
    );
  };

  /** Marks every message of the view read, those not loaded yet included. */
  const markAllRead = () => {
    win.patchAll({ Read: true });
    void setRead(true, query !== '' ? { search: query } : {}).catch(catchUp);
  };

  /** Deletes every message of the view (after the user confirmed it). */
  const removeAll = () => {
    selection.forget('all');
    if (openId) open(null);
    void deleteAll(query)
      .then(() => win.reload())
      .catch(catchUp);
  };

  return { markRead, remove, onRowClick, onToggle, move, openActive, toggleRead, markAllRead, removeAll };
}
