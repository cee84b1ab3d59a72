import { useVirtualizer } from '@tanstack/react-virtual';
import { Inbox, SearchX } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, type MouseEvent } from 'react';
import type { MessageWindow } from '../lib/message-window';
import { MessageRow, rowId } from './message-row';

/** Fixed row height in px (matches `--row-height`): fixed rows make 100,000 of them cheap. */
export const ROW_HEIGHT = 84;

interface ListProps {
  window: MessageWindow;
  /** Changes whenever the window does. */
  version: number;
  selected: ReadonlySet<string>;
  activeIndex: number;
  openId: string | null;
  filtered: boolean;
  now: number;
  /** Receives the listbox element, to focus it. */
  listRef: (el: HTMLDivElement | null) => void;
  onRowClick: (index: number, event: MouseEvent) => void;
  onToggle: (index: number, event: MouseEvent) => void;
}

/**
 * The virtualised inbox list: only the rows on screen (plus a few) are in the DOM, and only their
 * pages are fetched. The list is a `listbox` that keeps focus itself and points at the active row
 * with `aria-activedescendant`, so keyboard use works although most rows do not exist.
 */
export function MessageList(props: ListProps) {
  const { window: win, version, selected, activeIndex, openId, filtered, now } = props;
  const scrollRef = useRef<HTMLDivElement | null>(null);
  // The virtualizer re-renders this component through its own state; nothing here is memoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: win.size,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // React 19 batches the scroll updates itself; a synchronous render per scroll event costs frames.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    win.want(first, last + 1);
  }, [win, first, last, version]);

  // A message arriving at the top must not push the rows the user is reading down the screen.
  const seenPrepends = useRef(win.prepends);
  useLayoutEffect(() => {
    const added = win.prepends - seenPrepends.current;
    seenPrepends.current = win.prepends;
    const el = scrollRef.current;
    if (added > 0 && el && el.scrollTop > 0) el.scrollTop += added * ROW_HEIGHT;
  }, [win, version]);

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < win.size) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, virtualizer, win]);

  const setRefs = (el: HTMLDivElement | null) => {
    scrollRef.current = el;
    props.listRef(el);
  };

  const empty = win.loaded && win.size === 0;
  return (
    <div className="list-wrap">
      <div
        ref={setRefs}
        className="list"
        role="listbox"
        aria-label="Messages"
        aria-multiselectable="true"
        aria-activedescendant={activeIndex >= 0 && activeIndex < win.size ? rowId(activeIndex) : undefined}
        tabIndex={0}
      >
        <div className="list__inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const message = win.at(item.index);
            return (
              <MessageRow
                key={message?.ID ?? `placeholder-${item.index}`}
                index={item.index}
                total={win.size}
                message={message}
                selected={message ? selected.has(message.ID) : false}
                active={item.index === activeIndex}
                open={message ? message.ID === openId : false}
                now={now}
                top={item.start}
                height={ROW_HEIGHT}
                onClick={props.onRowClick}
                onToggle={props.onToggle}
              />
            );
          })}
        </div>
      </div>
      {empty ? (
        filtered ? (
          <div className="empty list-empty">
            <div className="empty__icon">
              <SearchX size={26} aria-hidden="true" />
            </div>
            <h2>No messages match</h2>
            <p>Try fewer words, or clear the search and filters.</p>
          </div>
        ) : (
          <div className="empty list-empty">
            <div className="empty__icon">
              <Inbox size={26} aria-hidden="true" />
            </div>
            <h2>No mail yet</h2>
            <p>
              Point your app&apos;s SMTP settings at Pigeonhole (<code>127.0.0.1:1025</code> by default). Every message
              shows up here the moment it arrives.
            </p>
          </div>
        )
      ) : null}
      {!win.loaded && !win.error ? (
        <div className="list-loading" role="status">
          <div className="spinner" aria-hidden="true" /> Loading messages…
        </div>
      ) : null}
      {win.error && !win.loaded ? (
        <div className="empty list-empty" role="alert">
          <h2>Could not load messages</h2>
          <p className="error-text">{win.error}</p>
        </div>
      ) : null}
    </div>
  );
}
