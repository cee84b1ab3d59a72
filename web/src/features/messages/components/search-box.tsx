import { Search, X } from 'lucide-react';
import { useEffect, useId, useRef, useState, type Ref } from 'react';

/** Mailpit's query syntax, which the API speaks, shown as a hint under the box. */
const SYNTAX: [string, string][] = [
  ['invoice paid', 'every word (subject, addresses, body)'],
  ['"exact phrase"', 'a phrase'],
  ['-word  !word', 'without a word'],
  ['from:  to:  cc:  bcc:', 'addresses, e.g. to:alice@example.test'],
  ['subject:welcome', 'in the subject'],
  ['is:unread  is:read', 'read state'],
  ['has:attachment', 'with attachments (has:inline too)'],
  ['tag:signup', 'with a tag'],
  ['larger:1M  smaller:50K', 'by size'],
  ['after:2025-01-31  before:', 'by date'],
];

interface SearchBoxProps {
  value: string;
  onChange: (value: string) => void;
  inputRef: Ref<HTMLInputElement>;
}

/**
 * The search box: a `searchbox` with the query syntax as a hint while it has focus and is empty.
 * Results follow as you type (the caller debounces); Escape clears and leaves.
 *
 * The hint hangs over the top rows of the list, so it must never be in the way: it lets clicks
 * through (CSS `pointer-events: none`), it closes once the pointer moves anywhere outside the box (a
 * user heading for a row sees the row before clicking it), and it is gone once there is a query
 * (the rows are then the results being typed for).
 */
export function SearchBox({ value, onChange, inputRef }: SearchBoxProps) {
  const [focused, setFocused] = useState(false);
  const [pointerLeft, setPointerLeft] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const open = focused && !pointerLeft && value === '';
  useEffect(() => {
    if (!open) return undefined;
    const away = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) setPointerLeft(true);
    };
    document.addEventListener('pointermove', away);
    return () => document.removeEventListener('pointermove', away);
  }, [open]);
  return (
    <div className="search" ref={box}>
      <Search className="search__icon" size={16} aria-hidden="true" />
      <input
        ref={inputRef}
        type="search"
        className="search__input"
        placeholder="Search mail"
        aria-label="Search mail"
        aria-describedby={hintId}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onFocus={() => {
          setFocused(true);
          setPointerLeft(false);
        }}
        onBlur={() => setFocused(false)}
        // A click into the box that already has focus asks for the hint again.
        onPointerDown={() => setPointerLeft(false)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            if (value) onChange('');
            event.currentTarget.blur();
          }
        }}
      />
      {value ? (
        <button type="button" className="search__clear" aria-label="Clear search" onClick={() => onChange('')}>
          <X size={14} aria-hidden="true" />
        </button>
      ) : (
        <kbd className="search__kbd" aria-hidden="true">
          /
        </kbd>
      )}
      <div id={hintId} className={open ? 'search-hint search-hint--open' : 'search-hint'} role="note">
        <div className="search-hint__title">Search syntax</div>
        <dl>
          {SYNTAX.map(([example, meaning]) => (
            <div key={example} className="search-hint__row">
              <dt>
                <code>{example}</code>
              </dt>
              <dd>{meaning}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
