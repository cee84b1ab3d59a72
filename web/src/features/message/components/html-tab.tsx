import type { Message } from '@pigeonhole/shared/schemas/message';
import { ImageOff, Monitor, Smartphone, Tablet } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { cx } from '../../../lib/class-names';
import { useLocalSetting } from '../../../lib/use-local-setting';
import { getPart } from '../api/part-urls';
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
  const cidUrls = useCidUrls(message);
  const prepared = useMemo(
    () =>
      cidUrls
        ? prepareHtml(message.HTML, { cidUrls, blockRemote, origin: window.location })
        : { html: '', remoteCount: 0 },
    [message, blockRemote, cidUrls],
  );
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
          key={`${message.ID}-${blockRemote}-${cidUrls ? 'ready' : 'loading'}`}
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

/** Inline parts become `data:` URLs up to this size each and in all; larger ones do not show. */
const MAX_INLINE_PART = 4 * 1024 * 1024;
const MAX_INLINE_TOTAL = 16 * 1024 * 1024;

function dataUrl(bytes: Uint8Array, type: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable part'));
    reader.readAsDataURL(
      new Blob([bytes as BlobPart], { type: /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'application/octet-stream' }),
    );
  });
}

/**
 * `data:` URLs of the parts a message's HTML names by Content-ID, fetched by the UI itself: the
 * preview frame then loads nothing from the UI's origin (its requests would be the mail's, and a
 * mail must not make the browser call our API). Not `blob:` URLs: the frame's origin is opaque and
 * Chromium does not let it read the UI's blobs. Null until they are fetched.
 */
function useCidUrls(message: Message): ReadonlyMap<string, string> | null {
  const [fetched, setFetched] = useState<{ of: Message; urls: ReadonlyMap<string, string> } | null>(null);
  useEffect(() => {
    let live = true;
    let total = 0;
    const parts = [...message.Inline, ...message.Attachments].filter(
      (part) => part.ContentID && part.Size <= MAX_INLINE_PART && (total += part.Size) <= MAX_INLINE_TOTAL,
    );
    void Promise.all(
      parts.map(async (part) => {
        try {
          const url = await dataUrl(await getPart(message.ID, part.PartID), part.ContentType);
          return [part.ContentID.replace(/^<|>$/g, ''), url] as const;
        } catch {
          return null;
        }
      }),
    ).then((entries) => {
      if (live) setFetched({ of: message, urls: new Map(entries.filter((entry) => entry !== null)) });
    });
    return () => {
      live = false;
    };
  }, [message]);
  return fetched?.of === message ? fetched.urls : null;
}
