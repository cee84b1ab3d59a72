import { cx } from '../../../lib/class-names';

/** A percentage supported as a coloured label: green from 90, amber from 60, red below. */
export function ScoreBadge({ score }: { score: number }) {
  const tone = score >= 90 ? 'good' : score >= 60 ? 'warn' : 'bad';
  return <span className={cx('check-badge', `check-badge--${tone}`)}>{Math.floor(score)}%</span>;
}
