import { PigeonholeHttpError } from '@pigeonhole/shared/client';
import { ArrowLeft, Mail, MailOpen, MailX, Send, Trash2 } from 'lucide-react';
import { memo, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { cx } from '../../../lib/class-names';
import { useMessage } from '../api/get-message';
import { useWebUi } from '../api/get-webui';
import { Attachments } from './attachments';
import { CalendarCard } from './calendar-card';
import { DeliveryReportCard } from './delivery-report';
import { HeadersTab } from './headers-tab';
import { HtmlTab } from './html-tab';
import { MessageHeader } from './message-header';
import { MimeTab } from './mime-tab';
import { ReleaseDialog } from './release-dialog';
import { SessionTab } from './session-tab';
import { SourceTab } from './source-tab';
import { TextTab } from './text-tab';

const TABS = [
  { key: 'html', label: 'HTML' },
  { key: 'text', label: 'Text' },
  { key: 'headers', label: 'Headers' },
  { key: 'source', label: 'Source' },
  { key: 'mime', label: 'MIME' },
  { key: 'session', label: 'SMTP session' },
  { key: 'checks', label: 'Checks' },
] as const;

/** The tabs of the message view. */
export type TabKey = (typeof TABS)[number]['key'];

interface ViewProps {
  id: string;
  /** The read state as the list knows it (the server marks it read on open). */
  read: boolean;
  onBack: () => void;
  onDelete: () => void;
  onSetRead: (read: boolean) => void;
  /** The tab; kept by the caller so the next message opens on the same one (for comparing mails). */
  tab: TabKey;
  onTab: (tab: TabKey) => void;
  /** The Checks tab's content (authentication and the other checks), from the checks feature via app/. */
  checks?: (id: string) => ReactNode;
}

/** One message: header block, attachments and the tabs (HTML, Text, Headers, Source, MIME, SMTP, Checks). */
/** Mount with `key={id}` so per-message state (the release dialog) starts fresh. */
export const MessageView = memo(function MessageView({
  id,
  read,
  onBack,
  onDelete,
  onSetRead,
  tab,
  onTab: setTab,
  checks,
}: ViewProps) {
  const message = useMessage(id);
  const webui = useWebUi();
  const [releasing, setReleasing] = useState(false);
  const baseId = useId();
  const data = message.data;
  const hasHtml = Boolean(data?.HTML);
  const active: TabKey = tab === 'html' && data && !hasHtml ? 'text' : tab;

  if (message.isPending) {
    return (
      <div className="view-loading" role="status">
        <div className="spinner" aria-hidden="true" /> Loading message…
      </div>
    );
  }
  if (message.isError || !data) {
    const gone = message.error instanceof PigeonholeHttpError && message.error.status === 404;
    return (
      <div className="empty">
        <div className="empty__icon">
          <MailX size={26} aria-hidden="true" />
        </div>
        <h2>{gone ? 'This message is gone' : 'Could not load the message'}</h2>
        <p>{gone ? 'It was deleted, or evicted by the store’s limits.' : message.error?.message}</p>
        <button type="button" className="btn" onClick={onBack}>
          Back to the inbox
        </button>
      </div>
    );
  }

  const relay = webui.data?.MessageRelay;
  const canRelease = relay ? relay.Enabled : true;
  const parts = [
    ...data.Attachments,
    ...data.Inline.filter((p) => !data.HTML.includes(p.ContentID.replace(/^<|>$/g, '')) || !p.ContentID),
  ];

  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys = TABS.filter((t) => t.key !== 'html' || hasHtml).map((t) => t.key);
    const index = keys.indexOf(active);
    let next = index;
    if (event.key === 'ArrowRight') next = (index + 1) % keys.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + keys.length) % keys.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = keys.length - 1;
    else return;
    event.preventDefault();
    const key = keys[next]!;
    setTab(key);
    document.getElementById(`${baseId}-tab-${key}`)?.focus();
  };

  return (
    <article className="view" aria-label="Message">
      <div className="view__bar" role="toolbar" aria-label="Message actions">
        <button type="button" className="btn btn--ghost view__back" onClick={onBack} aria-label="Back to the list">
          <ArrowLeft size={16} aria-hidden="true" />
        </button>
        <span className="view__spacer" />
        <button
          type="button"
          className="btn btn--ghost"
          onClick={() => onSetRead(!read)}
          title={read ? 'Mark unread (r)' : 'Mark read (r)'}
        >
          {read ? <Mail size={15} aria-hidden="true" /> : <MailOpen size={15} aria-hidden="true" />}
          <span className="btn__label">{read ? 'Mark unread' : 'Mark read'}</span>
        </button>
        {canRelease ? (
          <button
            type="button"
            className="btn btn--ghost"
            onClick={() => setReleasing(true)}
            title="Send it on to real recipients"
          >
            <Send size={15} aria-hidden="true" />
            <span className="btn__label">Release</span>
          </button>
        ) : null}
        <button type="button" className="btn btn--ghost btn--danger-text" onClick={onDelete} title="Delete (Del)">
          <Trash2 size={15} aria-hidden="true" />
          <span className="btn__label">Delete</span>
        </button>
      </div>
      <div className="view__scroll">
        <MessageHeader message={data} />
        <CalendarCard id={data.ID} events={data.Calendar} />
        <DeliveryReportCard id={data.ID} report={data.Delivery?.Report} />
        <Attachments id={data.ID} parts={parts} />
        <div className="tabs" role="tablist" aria-label="Message parts" onKeyDown={onTabKey}>
          {TABS.map(({ key, label }) => {
            const disabled = key === 'html' && !hasHtml;
            return (
              <button
                key={key}
                id={`${baseId}-tab-${key}`}
                type="button"
                role="tab"
                aria-selected={active === key}
                aria-controls={`${baseId}-panel`}
                aria-disabled={disabled || undefined}
                tabIndex={active === key ? 0 : -1}
                className={cx('tab', active === key && 'tab--on', disabled && 'tab--disabled')}
                title={disabled ? 'This message has no HTML part' : undefined}
                onClick={() => !disabled && setTab(key)}
              >
                {/* An API message's session is the HTTP request that made it. */}
                {key === 'session' && data.Via ? 'HTTP request' : label}
              </button>
            );
          })}
        </div>
        <div
          id={`${baseId}-panel`}
          role="tabpanel"
          aria-labelledby={`${baseId}-tab-${active}`}
          className={cx('panel', `panel--${active}`)}
        >
          {active === 'html' ? <HtmlTab message={data} /> : null}
          {active === 'text' ? <TextTab text={data.Text} /> : null}
          {active === 'headers' ? <HeadersTab id={data.ID} /> : null}
          {active === 'source' ? <SourceTab id={data.ID} subject={data.Subject} /> : null}
          {active === 'mime' ? <MimeTab message={data} /> : null}
          {active === 'session' ? <SessionTab id={data.ID} /> : null}
          {active === 'checks' ? checks?.(data.ID) : null}
        </div>
      </div>
      {releasing ? (
        <ReleaseDialog message={data} relay={relay?.SMTPServer ?? ''} onClose={() => setReleasing(false)} />
      ) : null}
    </article>
  );
});
