import { useCallback, useEffect, useState } from 'react';

/** The user's choice: follow the system, or force one theme. */
export type ThemeMode = 'system' | 'light' | 'dark';

const KEY = 'pigeonhole.theme';

function readMode(): ThemeMode {
  try {
    const stored = localStorage.getItem(KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

function applyMode(mode: ThemeMode): void {
  const root = document.documentElement;
  if (mode === 'system') delete root.dataset.theme;
  else root.dataset.theme = mode;
}

/** True when the page currently renders dark (the user's choice, else the system's). */
export function isDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced) return forced === 'dark';
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/**
 * The theme mode with a setter that persists it. `public/theme-init.js` applies the stored mode
 * before the first paint; this keeps it in step afterwards.
 */
export function useTheme(): { mode: ThemeMode; setMode: (mode: ThemeMode) => void; cycle: () => void } {
  const [mode, setModeState] = useState<ThemeMode>(readMode);
  useEffect(() => applyMode(mode), [mode]);
  const setMode = useCallback((next: ThemeMode) => {
    try {
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
    } catch {
      // Storage blocked: the choice lasts for this page only.
    }
    setModeState(next);
  }, []);
  const cycle = useCallback(() => {
    const order: ThemeMode[] = ['system', 'light', 'dark'];
    setMode(order[(order.indexOf(readMode()) + 1) % order.length] ?? 'system');
  }, [setMode]);
  return { mode, setMode, cycle };
}
