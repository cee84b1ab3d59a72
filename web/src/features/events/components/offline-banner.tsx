import { RefreshCw, WifiOff } from 'lucide-react';
import type { LiveState } from '../api/use-live-events';

/**
 * Says so while the live connection is down (the client retries with backoff) and offers to retry
 * at once. Hidden while online and during the first, quick connect.
 */
export function OfflineBanner({ state, onRetry }: { state: LiveState; onRetry: () => void }) {
  if (state !== 'offline') return null;
  return (
    <div className="offline-banner" role="status" aria-live="polite">
      <WifiOff size={16} aria-hidden="true" />
      <span>
        <strong>Offline.</strong> Lost the live connection to Pigeonhole — reconnecting… New mail will show once it is
        back.
      </span>
      <button type="button" className="btn btn--ghost" onClick={onRetry}>
        <RefreshCw size={14} aria-hidden="true" /> Retry now
      </button>
    </div>
  );
}
