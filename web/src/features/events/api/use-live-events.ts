import type { EventsStatus, Subscription } from '@pigeonhole/shared/client';
import type { ApiEvent } from '@pigeonhole/shared/events';
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../../lib/client';

/** The live connection as the UI shows it. */
export type LiveState = 'connecting' | 'online' | 'offline';

/** The live socket's state and a way to retry at once. */
export interface LiveEvents {
  state: LiveState;
  retryNow: () => void;
}

/**
 * Subscribes to the `/api/events` WebSocket (through the typed client, which reconnects with
 * backoff) for the life of the component. After a lost connection comes back `onReconnect` runs, so
 * the caller can catch up on the events it missed. `onEvent` and `onReconnect` may change every
 * render; the socket stays.
 */
export function useLiveEvents(onEvent: (event: ApiEvent) => void, onReconnect: () => void): LiveEvents {
  const [state, setState] = useState<LiveState>('connecting');
  const handlers = useRef({ onEvent, onReconnect });
  useEffect(() => {
    handlers.current = { onEvent, onReconnect };
  });
  const subscription = useRef<Subscription | null>(null);
  const everOpen = useRef(false);

  const connect = useCallback(() => {
    subscription.current?.close();
    subscription.current = client.subscribe((event) => handlers.current.onEvent(event), {
      onStatus: (status: EventsStatus) => {
        if (status === 'open') {
          setState('online');
          if (everOpen.current) handlers.current.onReconnect();
          everOpen.current = true;
        } else if (status === 'closed' || everOpen.current) {
          setState('offline');
        }
      },
    });
  }, []);

  useEffect(() => {
    const onOnline = () => connect();
    connect();
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      subscription.current?.close();
      subscription.current = null;
    };
  }, [connect]);

  return { state, retryNow: connect };
}
