import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { Menu, MousePointerClick } from 'lucide-react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/dialog';
import { useChaosStatus } from '../features/chaos/hooks/use-chaos-status';
import { useLiveEvents } from '../features/events/api/use-live-events';
import { OfflineBanner } from '../features/events/components/offline-banner';
import { Sidebar, type Filter } from '../features/mailboxes/components/sidebar';
import { filterLabel as labelOf } from '../features/mailboxes/lib/filter-label';
import { ChecksTab } from '../features/checks/components/checks-tab';
import type { TabKey } from '../features/message/components/message-view';
import { useWebUi } from '../features/message/api/get-webui';
import { useMessageViewActions } from '../features/message/hooks/use-message-view-actions';
import { ListToolbar } from '../features/messages/components/list-toolbar';
import { MessageList } from '../features/messages/components/message-list';
import { SearchBox } from '../features/messages/components/search-box';
import { useMessageActions } from '../features/messages/hooks/use-message-actions';
import { useSelection } from '../features/messages/hooks/use-selection';
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

/** The Checks tab of the message view: the checks feature, handed to the message feature from here. */
const checksTab = (id: string) => <ChecksTab id={id} />;

/**
 * The inbox page: sidebar, list and message view, live. It holds the page's state (route, search,
 * dialogs, drawer) and composes the features, each of which owns its actions.
 */
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
  const chaos = useChaosStatus(chaosWanted);

  useEffect(() => showUnread(totals.unread), [totals.unread]);

  const open = useCallback(
    (id: string | null, options?: { replace?: boolean }) => navigate({ ...routeRef.current, id }, options),
    [navigate],
  );
  const focusList = useCallback((options?: FocusOptions) => listEl.current?.focus(options), []);

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

  const actions = useMessageActions({ win, selection, openId: route.id, query, open, focusList, catchUp });

  useHotkeys(
    {
      move: actions.move,
      open: actions.openActive,
      toggleSelect: () => selection.active >= 0 && selection.toggle(selection.active),
      selectAll: selection.all,
      toggleRead: actions.toggleRead,
      remove: () => actions.remove(),
      search: () => searchEl.current?.focus(),
      help: () => setDialog('help'),
      theme: theme.cycle,
      escape: () => {
        if (selection.selected.size > 1) selection.clear();
        else if (route.id) {
          open(null);
          focusList();
        } else selection.clear();
      },
    },
    useCallback(() => document.activeElement === listEl.current, []),
  );

  const setListEl = useCallback((el: HTMLDivElement | null) => {
    listEl.current = el;
  }, []);
  const chaosArmed = chaos.armed;
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
  const view = useMessageViewActions({
    id: route.id,
    summary: openSummary,
    remove: actions.remove,
    markRead: actions.markRead,
    open,
    focusList,
    catchUp,
  });
  const filterLabel = labelOf(route.filter);

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
            onMarkRead={(read) => actions.markRead(read)}
            onMarkAllRead={actions.markAllRead}
            onDelete={() => actions.remove()}
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
            onRowClick={actions.onRowClick}
            onToggle={actions.onToggle}
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
                checks={checksTab}
                onBack={view.onBack}
                onDelete={view.onDelete}
                onSetRead={view.onSetRead}
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
        {dialog === 'chaos' && chaos.triggers ? (
          <ChaosPanel triggers={chaos.triggers} onClose={() => setDialog(null)} />
        ) : null}
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
          onConfirm={actions.removeAll}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </div>
  );
}
