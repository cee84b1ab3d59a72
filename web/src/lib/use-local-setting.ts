import { useCallback, useState } from 'react';

/** A boolean UI preference kept in localStorage under `pigeonhole.<key>`. */
export function useLocalSetting(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const storageKey = `pigeonhole.${key}`;
  const [value, setValue] = useState<boolean>(() => {
    try {
      const stored = localStorage.getItem(storageKey);
      return stored === null ? initial : stored === 'true';
    } catch {
      return initial;
    }
  });
  const set = useCallback(
    (next: boolean) => {
      try {
        localStorage.setItem(storageKey, String(next));
      } catch {
        // Storage blocked: keep it for this page.
      }
      setValue(next);
    },
    [storageKey],
  );
  return [value, set];
}
