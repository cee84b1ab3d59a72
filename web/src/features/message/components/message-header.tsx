import type { Address } from '@pigeonhole/shared/schemas/common';
import type { Message } from '@pigeonhole/shared/schemas/message';
import { isProviderName, PROVIDER_LABELS } from '@pigeonhole/shared/schemas/providers';
import type { CSSProperties } from 'react';
import { formatAddress, formatDate, formatExact, formatSize } from '../../../lib/format';
import { DeliveryRows } from './delivery-rows';
import { SecurityBadge } from './security-badge';

function AddressList({ addresses }: { addresses: readonly Address[] }) {
  return (
    <span className="addr-list">
      {addresses.map((address, i) => (
        <span key={`${address.Address}-${i}`} className="addr" title={formatAddress(address)}>
          {address.Name ? (
            <>
              <span className="addr__name">{address.Name}</span>{' '}
              <span className="addr__email">&lt;{address.Address}&gt;</span>
            </>
          ) : (
            <span className="addr__name">{address.Address}</span>
          )}
          {i < addresses.length - 1 ? ', ' : null}
        </span>
      ))}
    </span>
  );
}

/** A stable hue per sender, so the same sender always gets the same avatar colour. */
function hue(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

/** Initials of a name or address: "Ada Lovelace" gives "AL", "orders@shop.example" gives "O". */
function initials(address: Address | null): string {
  const source = address?.Name || address?.Address || '?';
  const words = source
    .replace(/@.*/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (address?.Name ? (words[1]?.[0] ?? '') : '')).toUpperCase();
}

/**
 * The header block of a message: subject, then From, To, Cc, Bcc (known from the SMTP envelope
 * only), Reply-To, date, size and tags. Everything is text, never markup.
 */
export function MessageHeader({ message }: { message: Message }) {
  const rows: [string, readonly Address[]][] = [
    ['To', message.To],
    ['Cc', message.Cc],
    ['Bcc', message.Bcc],
    ['Reply-To', message.ReplyTo],
  ];
  return (
    <header className="msg-header">
      <h1 className="msg-header__subject">{message.Subject || '(no subject)'}</h1>
      <SecurityBadge security={message.Security} />
      <div className="msg-header__from">
        <span
          className="avatar"
          aria-hidden="true"
          style={{ '--hue': hue(message.From?.Address ?? '') } as CSSProperties}
        >
          {initials(message.From)}
        </span>
        <div className="msg-header__who">
          <div className="msg-header__sender">
            {message.From ? <AddressList addresses={[message.From]} /> : <span className="muted">(no sender)</span>}
          </div>
          <time className="msg-header__date" dateTime={message.Date} title={formatExact(message.Date)}>
            {formatDate(message.Date)}
          </time>
        </div>
      </div>
      <dl className="msg-header__fields">
        {rows
          .filter(([, list]) => list.length > 0)
          .map(([label, list]) => (
            <div key={label} className="msg-header__row">
              <dt>{label}</dt>
              <dd>
                <AddressList addresses={list} />
              </dd>
            </div>
          ))}
        <div className="msg-header__row">
          <dt>Size</dt>
          <dd>
            {formatSize(message.Size)}
            {message.Username ? <span className="msg-header__size"> · authenticated as {message.Username}</span> : null}
          </dd>
        </div>
        {message.Via ? (
          <div className="msg-header__row">
            <dt>Via</dt>
            <dd>
              <span className="chip chip--via">
                {isProviderName(message.Via) ? PROVIDER_LABELS[message.Via] : message.Via} HTTP API
              </span>
            </dd>
          </div>
        ) : null}
        {message.Tags.length > 0 ? (
          <div className="msg-header__row">
            <dt>Tags</dt>
            <dd className="msg-header__tags">
              {message.Tags.map((tag) => (
                <span key={tag} className="chip">
                  {tag}
                </span>
              ))}
            </dd>
          </div>
        ) : null}
        <DeliveryRows delivery={message.Delivery} />
      </dl>
    </header>
  );
}
