import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';

/** At most one notification per this many ms; a burst is summed up in one. */
const QUIET_MS = 3000;

let lastShown = 0;
let pending = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let latest: MessageSummary | null = null;

/** True when the browser can show notifications and the user allowed them. */
export function notificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** Asks for permission; resolves true when granted. */
export async function askNotificationPermission(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

/**
 * A desktop notification for new mail while the tab is in the background. The sender and subject
 * go into the notification as text (the system renders no markup).
 */
export function notifyNewMail(message: MessageSummary): void {
  if (!notificationsAllowed() || !document.hidden) return;
  pending++;
  latest = message;
  const show = () => {
    const message = latest;
    timer = null;
    if (!message) return;
    lastShown = Date.now();
    const n = pending;
    pending = 0;
    const from = message.From?.Name || message.From?.Address || 'Unknown sender';
    const title = n > 1 ? `${n} new messages` : `New mail from ${from}`;
    const note = new Notification(title, {
      body: n > 1 ? `Latest: ${message.Subject}` : message.Subject,
      tag: 'pigeonhole-new',
      icon: '/favicon.svg',
    });
    note.onclick = () => {
      window.focus();
      note.close();
    };
  };
  const wait = lastShown + QUIET_MS - Date.now();
  if (wait <= 0) show();
  else timer ??= setTimeout(show, wait);
}
