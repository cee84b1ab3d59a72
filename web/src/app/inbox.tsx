import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { Menu, MousePointerClick } from 'lucide-react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { ConfirmDialog } from '../components/dialog';
import { useChaos } from '../features/chaos/api/get-chaos';
import { useLiveEvents } from '../features/events/api/use-live-events';
import { OfflineBanner } from '../features/events/components/offline-banner';
import { Sidebar, type Filter } from '../features/mailboxes/components/sidebar';
import type { TabKey } from '../features/message/components/message-view';
import { useWebUi } from '../features/message/api/get-webui';
import { deleteAll, deleteMessages } from '../features/messages/api/delete-messages';
import { setRead } from '../features/messages/api/set-read';
import { ListToolbar } from '../features/messages/components/list-toolbar';
import { MessageList } from '../features/messages/components/message-list';
import { SearchBox } from '../features/messages/components/search-box';
import { cx } from '../lib/class-names';
import { showUnread } from '../lib/favicon-badge';
import { useTheme } from '../lib/theme';
import { useDebounced } from '../lib/use-debounced';
import { useLocalSetting } from '../lib/use-local-setting';
import { useStableCallback } from '../lib/use-stable-callback';
import { notifyNewMail } from './notifications';
import { SettingsBar } from './settings-bar';
import { useHotkeys } from './use-hotkeys';
import { useInboxWindow } from './use-inbox-window';
import { useNow } from './use-now';
import { useRoute, viewQuery } from './use-route';
import { useSelection } from './use-selection';

// Loaded on first use, so the list paints before the message view (DOMPurify, the tabs) is parsed.
const MessageView = lazy(() =>
  import('../features/message/components/message-view').then((m) => ({ default: m.MessageView })),
);
const ChaosPanel = lazy(() =>
  import('../features/chaos/components/chaos-panel').then((m) => ({ default: m.ChaosPanel })),
);
const ShortcutsDialog = lazy(() =>
  import('../features/shortcuts/components/shortcuts-dialog').then((m) => ({ default: m.ShortcutsDialog })),
);

/** Search runs this long after the last keystroke. */
const SEARCH_DEBOUNCE_MS = 250;

/** The inbox page: sidebar, list and message view, live. */
export function Inbox() {
  const [route, navigate] = useRoute();
  const [searchText, setSearchText] = useState(route.q);
  const q = useDebounced(searchText, SEARCH_DEBOUNCE_MS);
  const query = viewQuery(route.filter, q);
  const filtered = query !== '';
  const [tab, setTab] = useState<TabKey>('html');
  const [dialog, setDialog] = useState<'help' | 'chaos' | 'deleteAll' | null>(null);
  const [drawer, setDrawer] = useState(false);
  const [notify] = useLocalSetting('notifications', false);
  const theme = useTheme();
  const now = useNow();
  const listEl = useRef<HTMLDivElement | null>(null);
  const searchEl = useRef<HTMLInputElement | null>(null);
  const routeRef = useRef(route);
  useEffect(() => {
    routeRef.current = route;
  });

  // The search text goes into the URL (replacing, not pushing, so Back leaves the search).
  useEffect(() => {
    if (routeRef.current.q !== q) navigate({ ...routeRef.current, q }, { replace: true });
  }, [q, navigate]);

  const onGoneRef = useRef<(ids: ReadonlySet<string> | 'all') => void>(() => undefined);
  const { win, version, totals, onEvent, catchUp } = useInboxWindow(query, {
    onNew: (message: MessageSummary) => {
      if (notify) notifyNewMail(message);
    },
    onGone: (ids) => onGoneRef.current(ids),
  });
  const live = useLiveEvents(onEvent, catchUp);
  const selection = useSelection(win);
  const webui = useWebUi();
  // Chaos controls only when the server has them: ask only if /webui says so (or cannot say).
  const chaosWanted = webui.isSuccess && (webui.data === null || webui.data.ChaosEnabled);
  const chaos = useChaos(chaosWanted);

  useEffect(() => showUnread(totals.unread), [totals.unread]);

  const open = useCallback((id: string | null) => navigate({ ...routeRef.current, id }), [navigate]);

  // The open message was deleted (here, in another tab, or evicted): close it.
  useEffect(() => {
    onGoneRef.current = (ids) => {
      selection.forget(ids);
      const id = routeRef.current.id;
      if (id && (ids === 'all' || ids.has(id))) navigate({ ...routeRef.current, id: null }, { replace: true });
    };
  });

  const setFilter = useStableCallback((filter: Filter) => {
    setDrawer(false);
    selection.clear();
    navigate({ filter, q: searchText, id: null });
  });

  /** The messages an action applies to: the selection, else the open message, else the cursor's. */
  const targets = (): MessageSummary[] => {
    if (selection.selected.size > 0) {
      return win.slice(0, win.size - 1).filter((m) => selection.selected.has(m.ID));
    }
    const openIndex = route.id ? win.indexOf(route.id) : -1;
    const one = win.at(openIndex >= 0 ? openIndex : selection.active);
    return one ? [one] : [];
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
    const wasOpen = route.id !== null && ids.has(route.id);
    win.apply({ removed: ids });
    selection.forget(ids);
    void deleteMessages([...ids]).catch(catchUp);
    // Carry on with the message that took the deleted one's place, as mail apps do.
    const nextIndex = Math.min(Number.isFinite(first) ? first : 0, win.size - 1);
    selection.focus(nextIndex);
    if (wasOpen) {
      const next = win.at(nextIndex);
      navigate({ ...route, id: next ? next.ID : null }, { replace: true });
    }
  };

  const onRowClick = useStableCallback((index: number, event: MouseEvent) => {
    const message = win.at(index);
    if (!message) return;
    if (event.shiftKey) selection.range(index);
    else if (event.metaKey || event.ctrlKey) selection.toggle(index);
    else {
      selection.focus(index);
      if (!message.Read) win.apply({ updated: new Map([[message.ID, { Read: true }]]) });
      open(message.ID);
    }
    listEl.current?.focus({ preventScroll: true });
  });

  const onToggle = useStableCallback((index: number, event: MouseEvent) => {
    if (event.shiftKey) selection.range(index);
    else selection.toggle(index);
  });

  const move = (delta: number, extend: boolean) => {
    if (win.size === 0) return;
    const from = selection.active < 0 ? (route.id ? win.indexOf(route.id) : -1) : selection.active;
    const next = Math.max(0, Math.min(win.size - 1, from + delta));
    listEl.current?.focus({ preventScroll: true });
    if (extend) selection.range(next);
    else {
      selection.focus(next);
      // With a message open, moving opens the next one, as in a mail client's reading pane.
      const message = win.at(next);
      if (route.id && message) {
        if (!message.Read) win.apply({ updated: new Map([[message.ID, { Read: true }]]) });
        navigate({ ...route, id: message.ID }, { replace: true });
      }
    }
  };

  useHotkeys(
    {
      move,
      open: () => {
        const message = win.at(selection.active);
        if (!message) return;
        if (!message.Read) win.apply({ updated: new Map([[message.ID, { Read: true }]]) });
        open(message.ID);
      },
      toggleSelect: () => selection.active >= 0 && selection.toggle(selection.active),
      selectAll: selection.all,
      toggleRead: () => {
        const list = targets();
        markRead(
          list.some((m) => !m.Read),
          list,
        );
      },
      remove: () => remove(),
      search: () => searchEl.current?.focus(),
      help: () => setDialog('help'),
      theme: theme.cycle,
      escape: () => {
        if (selection.selected.size > 1) selection.clear();
        else if (route.id) {
          open(null);
          listEl.current?.focus();
        } else selection.clear();
      },
    },
    useCallback(() => document.activeElement === listEl.current, []),
  );

  const setListEl = useCallback((el: HTMLDivElement | null) => {
    listEl.current = el;
  }, []);
  const chaosArmed = chaos.data ? Object.values(chaos.data).some((t) => t && t.Probability > 0) : null;
  const { mode: themeMode, cycle: cycleTheme } = theme;
  // Memoised, like the handlers below, so that list updates (every page that loads) re-render
  // neither the sidebar nor the message view.
  const footer = useMemo(
    () => (
      <SettingsBar
        theme={{ mode: themeMode, cycle: cycleTheme }}
        chaosArmed={chaosArmed}
        onChaos={() => setDialog('chaos')}
        onHelp={() => setDialog('help')}
      />
    ),
    [themeMode, cycleTheme, chaosArmed],
  );

  const openSummary = route.id ? win.at(win.indexOf(route.id)) : undefined;
  const closeView = useStableCallback(() => {
    open(null);
    listEl.current?.focus();
  });
  const deleteOpen = useStableCallback(() => {
    const summary = openSummary;
    if (summary) remove([summary]);
    else if (route.id) {
      void deleteMessages([route.id]).catch(catchUp);
      open(null);
    }
  });
  const setOpenRead = useStableCallback((read: boolean) => {
    if (openSummary) markRead(read, [openSummary]);
    else if (route.id) void setRead(read, { ids: [route.id] });
  });
  const filterLabel =
    route.filter.kind === 'mailbox'
      ? route.filter.address
      : route.filter.kind === 'tag'
        ? `Tag: ${route.filter.tag}`
        : route.filter.kind === 'unread'
          ? 'Unread'
          : 'All mail';

  return (
    <div className={cx('app', route.id && 'app--reading', drawer && 'app--drawer')}>
      <OfflineBanner state={live.state} onRetry={live.retryNow} />
      <div className="app__body">
        <div className="scrim" onClick={() => setDrawer(false)} aria-hidden="true" />
        <Sidebar
          filter={route.filter}
          total={totals.total}
          unread={totals.unread}
          onFilter={setFilter}
          footer={footer}
        />
        <main className="list-pane" aria-label={filterLabel}>
          <div className="list-head">
            <button
              type="button"
              className="btn btn--ghost icon-btn menu-btn"
              aria-label="Show mailboxes"
              onClick={() => setDrawer(true)}
            >
              <Menu size={18} aria-hidden="true" />
            </button>
            <SearchBox value={searchText} onChange={setSearchText} inputRef={searchEl} />
          </div>
          <div className="list-title">
            <h1>{filterLabel}</h1>
          </div>
          <ListToolbar
            matching={win.matching}
            unread={win.unread}
            selectedCount={selection.selected.size}
            filtered={filtered}
            onMarkRead={(read) => markRead(read)}
            onMarkAllRead={() => {
              win.patchAll({ Read: true });
              void setRead(true, filtered ? { search: query } : {}).catch(catchUp);
            }}
            onDelete={() => remove()}
            onDeleteAll={() => setDialog('deleteAll')}
            onClearSelection={selection.clear}
          />
          <MessageList
            window={win}
            version={version}
            selected={selection.selected}
            activeIndex={selection.active}
            openId={route.id}
            filtered={filtered}
            now={now}
            listRef={setListEl}
            onRowClick={onRowClick}
            onToggle={onToggle}
          />
        </main>
        <section className="view-pane" aria-label="Message view">
          {route.id ? (
            <Suspense
              fallback={
                <div className="view-loading" role="status">
                  <div className="spinner" aria-hidden="true" /> Loading message…
                </div>
              }
            >
              <MessageView
                key={route.id}
                id={route.id}
                read={openSummary?.Read ?? true}
                tab={tab}
                onTab={setTab}
                onBack={closeView}
                onDelete={deleteOpen}
                onSetRead={setOpenRead}
              />
            </Suspense>
          ) : (
            <div className="empty">
              <div className="empty__icon">
                <MousePointerClick size={26} aria-hidden="true" />
              </div>
              <h2>Select a message</h2>
              <p>
                Or move with <kbd>j</kbd> <kbd>k</kbd> and open with <kbd>Enter</kbd>. Press <kbd>?</kbd> for every
                shortcut.
              </p>
            </div>
          )}
        </section>
      </div>
      <Suspense fallback={null}>
        {dialog === 'help' ? <ShortcutsDialog onClose={() => setDialog(null)} /> : null}
        {dialog === 'chaos' && chaos.data ? <ChaosPanel triggers={chaos.data} onClose={() => setDialog(null)} /> : null}
      </Suspense>
      {dialog === 'deleteAll' ? (
        <ConfirmDialog
          title={filtered ? 'Delete all matching messages?' : 'Delete all messages?'}
          message={
            <p>
              {filtered
                ? `This deletes the ${win.matching.toLocaleString()} messages matching “${query}”.`
                : `This deletes all ${win.matching.toLocaleString()} messages.`}{' '}
              It cannot be undone.
            </p>
          }
          confirmLabel="Delete all"
          onConfirm={() => {
            selection.forget('all');
            if (route.id) open(null);
            void deleteAll(query)
              .then(() => win.reload())
              .catch(catchUp);
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </div>
  );
}
