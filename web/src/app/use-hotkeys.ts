import { useEffect, useRef } from 'react';

/** The actions the keyboard reaches. */
export interface HotkeyActions {
  move: (delta: number, extend: boolean) => void;
  open: () => void;
  toggleSelect: () => void;
  selectAll: () => void;
  toggleRead: () => void;
  remove: () => void;
  search: () => void;
  help: () => void;
  theme: () => void;
  escape: () => void;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The inbox's keyboard shortcuts, on the whole page: j/k or arrows, Enter, x, r, Delete, /, ?,
 * t and Escape. Ignored while typing in a field or while a dialog is open; arrows only move the
 * list when it has focus (elsewhere they scroll).
 */
export function useHotkeys(actions: HotkeyActions, listHasFocus: () => boolean): void {
  const ref = useRef(actions);
  useEffect(() => {
    ref.current = actions;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || typing(event.target) || document.querySelector('dialog[open]')) return;
      const a = ref.current;
      const inList = listHasFocus();
      const mod = event.ctrlKey || event.metaKey;
      const run = (action: () => void): true => {
        action();
        return true;
      };
      const handled = (() => {
        if (mod) {
          if (event.key === 'a' && inList) return run(() => a.selectAll());
          return false;
        }
        if (event.altKey) return false;
        switch (event.key) {
          case 'j':
          case 'J':
            return run(() => a.move(1, event.shiftKey));
          case 'k':
          case 'K':
            return run(() => a.move(-1, event.shiftKey));
          case 'ArrowDown':
            return inList && run(() => a.move(1, event.shiftKey));
          case 'ArrowUp':
            return inList && run(() => a.move(-1, event.shiftKey));
          case 'Enter':
            return inList && run(() => a.open());
          case 'x':
            return run(() => a.toggleSelect());
          case ' ':
            return inList && run(() => a.toggleSelect());
          case 'r':
            return run(() => a.toggleRead());
          case 'Delete':
          case '#':
            return run(() => a.remove());
          case 'Backspace':
            return inList && run(() => a.remove());
          case '/':
            return run(() => a.search());
          case '?':
            return run(() => a.help());
          case 't':
            return run(() => a.theme());
          case 'Escape':
            return run(() => a.escape());
          default:
            return false;
        }
      })();
      if (handled) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [listHasFocus]);
}
