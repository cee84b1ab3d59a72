import type { Message } from '@pigeonhole/shared/schemas/message';
import { ImageOff, Monitor, Smartphone, Tablet } from 'lucide-react';
import { useMemo, useState } from 'react';
import { cx } from '../../../lib/class-names';
import { useLocalSetting } from '../../../lib/use-local-setting';
import { partUrl } from '../api/part-urls';
import { prepareHtml } from '../lib/prepare-html';

/** Preview widths: a phone (375 px), a tablet (768 px) or the whole pane. */
const WIDTHS = [
  { key: 'phone', label: 'Phone', width: 375, Icon: Smartphone },
  { key: 'tablet', label: 'Tablet', width: 768, Icon: Tablet },
  { key: 'desktop', label: 'Desktop', width: 0, Icon: Monitor },
] as const;

type WidthKey = (typeof WIDTHS)[number]['key'];

/**
 * The HTML part as a mail client shows it, inside `<iframe sandbox>` without `allow-scripts` (so
 * nothing in it runs) and without `allow-same-origin` (so it cannot reach the UI). Popups are
 * allowed only so that its links open in a new tab.
 */
export function HtmlTab({ message }: { message: Message }) {
  const [blockRemote, setBlockRemote] = useLocalSetting('blockRemoteImages', false);
  const [width, setWidth] = useState<WidthKey>('desktop');
  const prepared = useMemo(() => {
    const cidUrls = new Map<string, string>();
    for (const part of [...message.Inline, ...message.Attachments]) {
      if (part.ContentID)
        cidUrls.set(
          part.ContentID.replace(/^<|>$/g, ''),
          new URL(partUrl(message.ID, part.PartID), window.location.href).href,
        );
    }
    return prepareHtml(message.HTML, { cidUrls, blockRemote, origin: window.location.origin });
  }, [message, blockRemote]);
  const chosen = WIDTHS.find((w) => w.key === width) ?? WIDTHS[2];
  return (
    <div className="html-tab">
      <div className="html-tab__bar">
        <div className="segmented" role="radiogroup" aria-label="Preview width">
          {WIDTHS.map(({ key, label, width: px, Icon }) => (
            <button
              key={key}
              type="button"
              role="radio"
              aria-checked={width === key}
              className={cx('segmented__item', width === key && 'segmented__item--on')}
              title={px ? `${label} (${px} px)` : label}
              onClick={() => setWidth(key)}
            >
              <Icon size={14} aria-hidden="true" />
              <span>{label}</span>
            </button>
          ))}
        </div>
        <label className="switch" title="Keep images and styles from other hosts from loading (tracking pixels)">
          <input
            type="checkbox"
            role="switch"
            checked={blockRemote}
            onChange={(event) => setBlockRemote(event.target.checked)}
          />
          <span className="switch__track" aria-hidden="true" />
          <span>Block remote images</span>
        </label>
        {blockRemote && prepared.remoteCount > 0 ? (
          <span className="html-tab__note">
            <ImageOff size={14} aria-hidden="true" /> {prepared.remoteCount} remote{' '}
            {prepared.remoteCount === 1 ? 'resource' : 'resources'} blocked
          </span>
        ) : null}
      </div>
      <div className={cx('html-tab__stage', chosen.width > 0 && 'html-tab__stage--device')}>
        <iframe
          key={`${message.ID}-${blockRemote}`}
          className="html-tab__frame"
          title="HTML body of the message"
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          srcDoc={prepared.html}
          style={chosen.width > 0 ? { width: chosen.width } : undefined}
        />
      </div>
    </div>
  );
}
