import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { isProviderName, PROVIDER_LABELS } from '@pigeonhole/shared/schemas/providers';
import { Check, Lock, Paperclip, PenLine } from 'lucide-react';
import { memo, type MouseEvent } from 'react';
import { cx } from '../../../lib/class-names';
import { displayName, displayNames, formatExact, formatRelative, formatSize } from '../../../lib/format';
import { securityLabel } from '../../../lib/security-label';

/** The DOM id of a row, for `aria-activedescendant`. */
export function rowId(index: number): string {
  return `message-row-${index}`;
}

interface RowProps {
  index: number;
  total: number;
  message: MessageSummary | undefined;
  selected: boolean;
  active: boolean;
  open: boolean;
  now: number;
  /** Offset from the top of the list, px. */
  top: number;
  height: number;
  onClick: (index: number, event: MouseEvent) => void;
  onToggle: (index: number, event: MouseEvent) => void;
}

/**
 * One message in the inbox list: sender, time, subject, recipients and snippet, with unread,
 * attachment and size markers. Every string from mail is rendered as text. Memoised: when a page
 * loads or the list scrolls, only rows whose message or state changed render again.
 */
export const MessageRow = memo(function MessageRow({
  index,
  total,
  message,
  selected,
  active,
  open,
  now,
  top,
  height,
  onClick,
  onToggle,
}: RowProps) {
  const style = { transform: `translateY(${top}px)`, height };
  if (!message) {
    return (
      <div
        id={rowId(index)}
        role="option"
        aria-selected={false}
        aria-posinset={index + 1}
        aria-setsize={total}
        aria-busy="true"
        className="row row--placeholder"
        style={style}
      >
        <span className="row__skeleton row__skeleton--short" />
        <span className="row__skeleton" />
        <span className="row__skeleton row__skeleton--long" />
      </div>
    );
  }
  const unread = !message.Read;
  const recipients = [...message.To, ...message.Cc, ...message.Bcc];
  const subject = message.Subject || '(no subject)';
  return (
    <div
      id={rowId(index)}
      role="option"
      aria-selected={selected}
      aria-current={open ? 'true' : undefined}
      aria-posinset={index + 1}
      aria-setsize={total}
      aria-label={`${unread ? 'Unread. ' : ''}${displayName(message.From) || 'Unknown sender'}: ${subject}`}
      data-id={message.ID}
      className={cx(
        'row',
        unread && 'row--unread',
        selected && 'row--selected',
        active && 'row--active',
        open && 'row--open',
      )}
      style={style}
      onClick={(event) => onClick(index, event)}
    >
      <span
        className={cx('row__check', selected && 'row__check--on')}
        aria-hidden="true"
        title={selected ? 'Deselect' : 'Select'}
        onClick={(event) => {
          event.stopPropagation();
          onToggle(index, event);
        }}
      >
        {selected ? <Check size={12} strokeWidth={3} /> : null}
      </span>
      {unread ? <span className="row__dot" aria-hidden="true" /> : null}
      <div className="row__body">
        <div className="row__line">
          <span className="row__from">{displayName(message.From) || '(unknown sender)'}</span>
          <time className="row__time" dateTime={message.Created} title={formatExact(message.Created)}>
            {formatRelative(message.Created, now)}
          </time>
        </div>
        <div className="row__line">
          <span className={cx('row__subject', !message.Subject && 'row__subject--empty')}>{subject}</span>
          <span className="row__meta">
            {message.Security ? (
              <span className="row__secure" title={securityLabel(message.Security)} data-testid="row-security">
                {message.Security.endsWith('encrypted') ? (
                  <Lock size={13} aria-hidden="true" />
                ) : (
                  <PenLine size={13} aria-hidden="true" />
                )}
                {message.Security.startsWith('smime') ? 'S/MIME' : 'PGP'}
                <span className="visually-hidden">
                  {' '}
                  {message.Security.endsWith('encrypted') ? 'encrypted' : 'signed'}
                </span>
              </span>
            ) : null}
            {message.Attachments > 0 ? (
              <span
                className="row__attach"
                title={`${message.Attachments} attachment${message.Attachments > 1 ? 's' : ''}`}
              >
                <Paperclip size={13} aria-hidden="true" />
                {message.Attachments > 1 ? message.Attachments : null}
                <span className="visually-hidden"> attachments</span>
              </span>
            ) : null}
            <span className="row__size">{formatSize(message.Size)}</span>
          </span>
        </div>
        <div className="row__line row__line--muted">
          <span className="row__snippet">
            <span className="row__to">To {displayNames(recipients) || '(no recipients)'}</span>
            {message.Snippet ? <span className="row__sep"> — </span> : null}
            {message.Snippet}
          </span>
          {message.Via || message.Tags.length > 0 ? (
            <span className="row__tags">
              {message.Via ? (
                <span className="chip chip--small chip--via" title="Came through this provider's HTTP API">
                  via {isProviderName(message.Via) ? PROVIDER_LABELS[message.Via] : message.Via}
                </span>
              ) : null}
              {message.Tags.slice(0, 2).map((tag) => (
                <span key={tag} className="chip chip--small">
                  {tag}
                </span>
              ))}
            </span>
          ) : null}
        </div>
      </div>
    </div>
  );
});
