import { useCallback, useLayoutEffect, useRef } from 'react';

/**
 * A function whose identity never changes and which calls the latest `fn`: for event handlers passed
 * to memoised children (the sidebar, the message view) so a list update does not re-render them.
 * Only for handlers, not for use during render.
 */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const ref = useRef(fn);
  useLayoutEffect(() => {
    ref.current = fn;
  });
  return useCallback((...args: A) => ref.current(...args), []);
}
