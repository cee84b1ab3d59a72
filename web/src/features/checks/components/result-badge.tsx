import type { AuthResult } from '@pigeonhole/shared/schemas/auth';
import { cx } from '../../../lib/class-names';

/** pass green, fail red, the rest (none, neutral, temperror...) grey or amber: readable at a glance. */
function tone(result: AuthResult): 'good' | 'bad' | 'warn' | 'quiet' {
  if (result === 'pass') return 'good';
  if (result === 'fail' || result === 'permerror') return 'bad';
  if (result === 'softfail' || result === 'temperror' || result === 'policy' || result === 'neutral') return 'warn';
  return 'quiet';
}

/** A verification result as a small coloured label. */
export function ResultBadge({ result }: { result: AuthResult }) {
  return <span className={cx('check-badge', `check-badge--${tone(result)}`)}>{result}</span>;
}
