import type { ApiEvent } from '@pigeonhole/shared/events';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { MAILBOXES_KEY } from '../features/mailboxes/api/get-mailboxes';
import { TAGS_KEY } from '../features/mailboxes/api/get-tags';
import { getMessagesPage } from '../features/messages/api/get-messages-page';
import { MessageWindow } from '../features/messages/lib/message-window';

/** Totals of the whole store, for the title, the favicon and the sidebar. */
export interface Totals {
  total: number;
  unread: number;
}

/** Sidebar counts refresh at most this often while mail pours in. */
const SIDEBAR_REFRESH_MS = 2000;
/** A filtered view (search, mailbox, tag) reloads this long after the last change it may miss. */
const FILTERED_RELOAD_MS = 400;
/** Live events are applied together at most this often: one pass over the rows per batch. */
const BATCH_MS = 30;

interface Batch {
  added: MessageSummary[];
  removed: Set<string>;
  updated: Map<string, Partial<MessageSummary>>;
}

/**
 * The list of one view (all mail, or a query), kept live. Events are collected for a few ms and
 * applied in one pass. Without a query a `new` message is prepended as it is; a filtered view
 * cannot tell whether new mail matches, so it reloads shortly after (keeping the scroll position).
 */
export function useInboxWindow(
  query: string,
  handlers: { onNew: (m: MessageSummary) => void; onGone: (ids: ReadonlySet<string> | 'all') => void },
) {
  const queryClient = useQueryClient();
  const [totals, setTotals] = useState<Totals>({ total: 0, unread: 0 });
  const win = useMemo(
    () =>
      new MessageWindow(async (start, limit) => {
        const page = await getMessagesPage(query, start, limit);
        setTotals({ total: page.total, unread: page.totalUnread });
        return page;
      }),
    [query],
  );
  const version = useSyncExternalStore(win.subscribe, win.getVersion);
  useEffect(() => () => win.abort(), [win]);

  const batch = useRef<Batch>({ added: [], removed: new Set(), updated: new Map() });
  const frame = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sidebarTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ win, query, handlers });
  useEffect(() => {
    latest.current = { win, query, handlers };
  });

  const refreshSidebar = useCallback(() => {
    if (sidebarTimer.current) return;
    sidebarTimer.current = setTimeout(() => {
      sidebarTimer.current = null;
      void queryClient.invalidateQueries({ queryKey: MAILBOXES_KEY });
      void queryClient.invalidateQueries({ queryKey: TAGS_KEY });
    }, SIDEBAR_REFRESH_MS);
  }, [queryClient]);

  const scheduleReload = useCallback(() => {
    if (reloadTimer.current) clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => {
      reloadTimer.current = null;
      latest.current.win.reload();
    }, FILTERED_RELOAD_MS);
  }, []);

  const flush = useCallback(() => {
    frame.current = null;
    const { added, removed, updated } = batch.current;
    batch.current = { added: [], removed: new Set(), updated: new Map() };
    const { win: current, query: q } = latest.current;
    if (q) {
      // Read state and tags can be patched in place; arrivals and deletions may change the matches.
      current.apply({ removed, updated });
      if (added.length > 0) scheduleReload();
    } else {
      current.apply({ added, removed, updated });
    }
    if (removed.size > 0) latest.current.handlers.onGone(removed);
  }, [scheduleReload]);

  const queue = useCallback(
    (change: (b: Batch) => void) => {
      change(batch.current);
      // A timer, not requestAnimationFrame: frames stop in a background tab, events do not.
      frame.current ??= setTimeout(flush, BATCH_MS);
    },
    [flush],
  );

  /** Feeds one live event into the list. */
  const onEvent = useCallback(
    (event: ApiEvent) => {
      switch (event.Type) {
        case 'new':
          queue((b) => b.added.push(event.Data));
          latest.current.handlers.onNew(event.Data);
          refreshSidebar();
          break;
        case 'update':
          queue((b) => b.updated.set(event.Data.ID, { Read: event.Data.Read, Tags: event.Data.Tags }));
          refreshSidebar();
          break;
        case 'delete':
          queue((b) => b.removed.add(event.Data.ID));
          refreshSidebar();
          break;
        case 'truncate':
          batch.current = { added: [], removed: new Set(), updated: new Map() };
          latest.current.win.reload();
          latest.current.handlers.onGone('all');
          refreshSidebar();
          break;
        case 'stats':
          setTotals({ total: event.Data.Total, unread: event.Data.Unread });
          break;
      }
    },
    [queue, refreshSidebar],
  );

  /** After a lost connection: events were missed, so load everything in view again. */
  const catchUp = useCallback(() => {
    latest.current.win.reload();
    void queryClient.invalidateQueries();
  }, [queryClient]);

  useEffect(
    () => () => {
      if (frame.current) clearTimeout(frame.current);
      if (sidebarTimer.current) clearTimeout(sidebarTimer.current);
      if (reloadTimer.current) clearTimeout(reloadTimer.current);
    },
    [],
  );

  return { win, version, totals, onEvent, catchUp, refreshSidebar };
}
