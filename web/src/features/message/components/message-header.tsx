import type { Address } from '@pigeonhole/shared/schemas/common';
import type { Message } from '@pigeonhole/shared/schemas/message';
import { formatAddress, formatDate, formatExact, formatSize } from '../../../lib/format';

function AddressList({ addresses }: { addresses: readonly Address[] }) {
  return (
    <span className="addr-list">
      {addresses.map((address, i) => (
        <span key={`${address.Address}-${i}`} className="addr" title={formatAddress(address)}>
          {address.Name ? (
            <>
              <span className="addr__name">{address.Name}</span> <span className="addr__email">&lt;{address.Address}&gt;</span>
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
      <dl className="msg-header__fields">
        <div className="msg-header__row">
          <dt>From</dt>
          <dd>{message.From ? <AddressList addresses={[message.From]} /> : <span className="muted">(none)</span>}</dd>
        </div>
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
          <dt>Date</dt>
          <dd>
            <time dateTime={message.Date} title={formatExact(message.Date)}>
              {formatDate(message.Date)}
            </time>
            <span className="msg-header__size"> · {formatSize(message.Size)}</span>
            {message.Username ? <span className="msg-header__size"> · sent as {message.Username}</span> : null}
          </dd>
        </div>
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
      </dl>
    </header>
  );
}
