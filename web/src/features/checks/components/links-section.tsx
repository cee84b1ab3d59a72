import type { Link } from '@pigeonhole/shared/schemas/checks';
import { useState } from 'react';
import { cx } from '../../../lib/class-names';
import { useLinkCheck } from '../api/get-link-check';

const broken = (l: Link): boolean => l.StatusCode === 0 || l.StatusCode >= 400;

/** The links with their status, broken ones first. */
function LinkRows({ links }: { links: Link[] }) {
  const sorted = [...links].sort((a, b) => Number(broken(b)) - Number(broken(a)));
  return (
    <table className="check-table">
      <tbody>
        {sorted.map((l) => (
          <tr key={l.URL} className={cx(broken(l) && 'check-row--bad')}>
            <td className="mono check-table__status">
              <span
                className={cx(
                  'check-badge',
                  broken(l) ? 'check-badge--bad' : l.StatusCode >= 300 ? 'check-badge--warn' : 'check-badge--good',
                )}
              >
                {l.StatusCode || 'error'}
              </span>
            </td>
            <td className="check-table__text">{l.Status}</td>
            <td className="mono check-table__url">{l.URL}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Links: checked when asked (Pigeonhole then requests every link and image, from the server),
 * optionally following redirects.
 */
export function LinksSection({ id }: { id: string }) {
  const [asked, setAsked] = useState(false);
  const [follow, setFollow] = useState(false);
  const query = useLinkCheck(id, follow, asked);
  return (
    <section className="check-section" aria-labelledby={`links-${id}`}>
      <h3 id={`links-${id}`} className="check-section__title">
        Links
      </h3>
      <div className="check-actions">
        <button type="button" className="btn" onClick={() => setAsked(true)} disabled={asked && query.isFetching}>
          {asked ? (query.isFetching ? 'Checking…' : 'Checked') : 'Check links'}
        </button>
        <label className="check-option">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow redirects
        </label>
        {query.data ? (
          <span className="check-note">
            {query.data.Links.length} checked, {query.data.Errors} broken
          </span>
        ) : null}
      </div>
      {query.isError ? <p className="tab-empty error-text">Could not check: {query.error.message}</p> : null}
      {query.data && query.data.Links.length === 0 ? <p className="tab-empty">No http(s) links or images.</p> : null}
      {query.data && query.data.Links.length > 0 ? <LinkRows links={query.data.Links} /> : null}
    </section>
  );
}
