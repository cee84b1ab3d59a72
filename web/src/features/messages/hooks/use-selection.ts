import { useCallback, useState } from 'react';
import type { MessageWindow } from '../lib/message-window';

/** The selection (IDs), the keyboard cursor (an index) and the anchor of shift-ranges. */
export interface Selection {
  selected: ReadonlySet<string>;
  active: number;
  anchor: number;
}

/**
 * Multi-select over a virtual list: click, ctrl/cmd-click to toggle, shift-click or shift-move to
 * select a range (of the rows loaded, which are the rows the user has seen).
 */
export function useSelection(win: MessageWindow) {
  const [state, setState] = useState<Selection>({ selected: new Set(), active: -1, anchor: -1 });

  const only = useCallback(
    (index: number) => {
      const message = win.at(index);
      setState({ selected: new Set(message ? [message.ID] : []), active: index, anchor: index });
    },
    [win],
  );

  /** Moves the cursor to a row and drops the selection (a plain click or j/k: open, not select). */
  const focus = useCallback((index: number) => setState({ selected: new Set(), active: index, anchor: index }), []);

  const toggle = useCallback(
    (index: number) => {
      const message = win.at(index);
      setState((s) => {
        const selected = new Set(s.selected);
        if (message) {
          if (selected.has(message.ID)) selected.delete(message.ID);
          else selected.add(message.ID);
        }
        return { selected, active: index, anchor: index };
      });
    },
    [win],
  );

  const range = useCallback(
    (index: number) => {
      setState((s) => {
        const anchor = s.anchor >= 0 ? s.anchor : index;
        const ids = win.slice(Math.min(anchor, index), Math.max(anchor, index)).map((m) => m.ID);
        return { selected: new Set(ids), active: index, anchor };
      });
    },
    [win],
  );

  const all = useCallback(() => {
    setState((s) => ({ ...s, selected: new Set(win.slice(0, win.size - 1).map((m) => m.ID)) }));
  }, [win]);

  const clear = useCallback(() => setState((s) => ({ ...s, selected: new Set(), anchor: s.active })), []);

  const forget = useCallback((ids: ReadonlySet<string> | 'all') => {
    setState((s) => {
      if (ids === 'all') return { selected: new Set(), active: -1, anchor: -1 };
      if (![...s.selected].some((id) => ids.has(id))) return s;
      return { ...s, selected: new Set([...s.selected].filter((id) => !ids.has(id))) };
    });
  }, []);

  const setActive = useCallback((active: number) => setState((s) => ({ ...s, active })), []);

  return { ...state, only, focus, toggle, range, all, clear, forget, setActive };
}
