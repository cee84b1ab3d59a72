import { Bell, BellOff, Keyboard, Monitor, Moon, Sun, Zap } from 'lucide-react';
import { cx } from '../lib/class-names';
import type { ThemeMode } from '../lib/theme';
import { useLocalSetting } from '../lib/use-local-setting';
import { askNotificationPermission } from './notifications';

const THEME_LABEL: Record<ThemeMode, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

interface SettingsProps {
  theme: { mode: ThemeMode; cycle: () => void };
  /** Null hides the chaos button (the server has no chaos); true shows it armed. */
  chaosArmed: boolean | null;
  onChaos: () => void;
  onHelp: () => void;
}

/** The sidebar's foot: chaos, notifications, theme and the shortcuts help. */
export function SettingsBar({ theme, chaosArmed, onChaos, onHelp }: SettingsProps) {
  const [notify, setNotify] = useLocalSetting('notifications', false);
  const ThemeIcon = theme.mode === 'dark' ? Moon : theme.mode === 'light' ? Sun : Monitor;
  return (
    <div className="settings" role="toolbar" aria-label="Settings">
      {chaosArmed !== null ? (
        <button
          type="button"
          className={cx('btn btn--ghost icon-btn', chaosArmed && 'btn--armed')}
          aria-label={chaosArmed ? 'Chaos (armed)' : 'Chaos'}
          title={chaosArmed ? 'Chaos: faults armed' : 'Chaos: make SMTP fail on purpose'}
          onClick={onChaos}
        >
          <Zap size={16} aria-hidden="true" />
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn--ghost icon-btn"
        aria-pressed={notify}
        aria-label="Desktop notifications"
        title={notify ? 'Notifications on (for new mail while this tab is in the background)' : 'Notifications off'}
        onClick={() => {
          if (notify) setNotify(false);
          else void askNotificationPermission().then((granted) => setNotify(granted));
        }}
      >
        {notify ? <Bell size={16} aria-hidden="true" /> : <BellOff size={16} aria-hidden="true" />}
      </button>
      <button
        type="button"
        className="btn btn--ghost icon-btn"
        aria-label={THEME_LABEL[theme.mode]}
        title={`${THEME_LABEL[theme.mode]} (t)`}
        onClick={theme.cycle}
      >
        <ThemeIcon size={16} aria-hidden="true" />
      </button>
      <button
        type="button"
        className="btn btn--ghost icon-btn"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={onHelp}
      >
        <Keyboard size={16} aria-hidden="true" />
      </button>
    </div>
  );
}
