import { AtSign, Inbox, MailWarning, Tag } from 'lucide-react';
import { memo, useMemo, useState, type ReactNode } from 'react';
import { cx } from '../../../lib/class-names';
import { useMailboxes } from '../api/get-mailboxes';
import { useTags } from '../api/get-tags';

/** What the list shows: everything, unread only, one recipient's mail, or one tag's. */
export type Filter =
  { kind: 'all' } | { kind: 'unread' } | { kind: 'mailbox'; address: string } | { kind: 'tag'; tag: string };

interface SidebarProps {
  filter: Filter;
  total: number;
  unread: number;
  onFilter: (filter: Filter) => void;
  /** Chaos, notifications, theme and help controls. */
  footer: ReactNode;
}

function NavItem(props: {
  active: boolean;
  icon: ReactNode;
  label: string;
  title?: string;
  count?: number;
  muted?: boolean;
  onClick: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        className={cx('nav-item', props.active && 'nav-item--on')}
        aria-current={props.active ? 'page' : undefined}
        title={props.title ?? props.label}
        onClick={props.onClick}
      >
        {props.icon}
        <span className="nav-item__label">{props.label}</span>
        {props.count ? (
          <span className={cx('count', props.muted && 'count--muted')}>{props.count.toLocaleString()}</span>
        ) : null}
      </button>
    </li>
  );
}

/** Shows a filter box once there are more mailboxes than fit at a glance. */
const FILTER_FROM = 8;
/**
 * Renders at most this many mailboxes: a load test can address 100,000 recipients, and a sidebar
 * of 100,000 buttons takes seconds to render. The filter box finds the others.
 */
const MAX_SHOWN = 50;

/**
 * The sidebar: all mail, unread, one inbox per recipient address (with unread counts) and the tags.
 * Names and addresses from mail are rendered as text.
 */
export const Sidebar = memo(function Sidebar({ filter, total, unread, onFilter, footer }: SidebarProps) {
  const mailboxes = useMailboxes();
  const tags = useTags();
  const [needle, setNeedle] = useState('');
  const matching = useMemo(() => {
    const lower = needle.toLowerCase();
    return (mailboxes.data?.mailboxes ?? []).filter(
      (m) => !lower || m.Address.includes(lower) || m.Name.toLowerCase().includes(lower),
    );
  }, [mailboxes.data, needle]);
  const boxes = matching.slice(0, MAX_SHOWN);
  return (
    <nav className="sidebar" aria-label="Mailboxes">
      <div className="brand">
        <span className="brand__logo" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="26" height="26">
            <rect x="2" y="5" width="28" height="22" rx="6" fill="currentColor" />
            <path
              d="M7 11.5l9 6.5 9-6.5"
              fill="none"
              stroke="var(--surface)"
              strokeWidth="2.6"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </span>
        <span className="brand__name">Pigeonhole</span>
      </div>
      <div className="sidebar__scroll">
        <ul className="nav">
          <NavItem
            active={filter.kind === 'all'}
            icon={<Inbox size={16} aria-hidden="true" />}
            label="All mail"
            count={total}
            muted
            onClick={() => onFilter({ kind: 'all' })}
          />
          <NavItem
            active={filter.kind === 'unread'}
            icon={<MailWarning size={16} aria-hidden="true" />}
            label="Unread"
            count={unread}
            onClick={() => onFilter({ kind: 'unread' })}
          />
        </ul>
        <h2 className="nav-heading">Mailboxes</h2>
        {(mailboxes.data?.mailboxes.length ?? 0) > FILTER_FROM ? (
          <input
            type="search"
            className="input nav-filter"
            placeholder="Filter mailboxes"
            aria-label="Filter mailboxes"
            value={needle}
            onChange={(event) => setNeedle(event.target.value)}
          />
        ) : null}
        <ul className="nav" aria-label="Recipients">
          {boxes.map((box) => (
            <NavItem
              key={box.Address}
              active={filter.kind === 'mailbox' && filter.address === box.Address}
              icon={<AtSign size={15} aria-hidden="true" />}
              label={box.Address}
              title={
                box.Name
                  ? `${box.Name} <${box.Address}> · ${box.Messages} messages`
                  : `${box.Address} · ${box.Messages} messages`
              }
              count={box.Unread}
              onClick={() => onFilter({ kind: 'mailbox', address: box.Address })}
            />
          ))}
          {matching.length > boxes.length ? (
            <li className="nav-empty">{(matching.length - boxes.length).toLocaleString()} more: filter to find one.</li>
          ) : null}
          {mailboxes.isSuccess && mailboxes.data.mailboxes.length === 0 ? (
            <li className="nav-empty">Each recipient gets an inbox here.</li>
          ) : null}
          {mailboxes.isError ? <li className="nav-empty">Mailboxes are not available.</li> : null}
        </ul>
        {tags.data && tags.data.length > 0 ? (
          <>
            <h2 className="nav-heading">Tags</h2>
            <ul className="nav" aria-label="Tags">
              {tags.data.map((tag) => (
                <NavItem
                  key={tag}
                  active={filter.kind === 'tag' && filter.tag === tag}
                  icon={<Tag size={15} aria-hidden="true" />}
                  label={tag}
                  onClick={() => onFilter({ kind: 'tag', tag })}
                />
              ))}
            </ul>
          </>
        ) : null}
      </div>
      <div className="sidebar__foot">{footer}</div>
    </nav>
  );
});
