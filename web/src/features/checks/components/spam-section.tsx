import { useSpamCheck, useSpamEnabled } from '../api/get-spam-check';

const FILTERS = { spamassassin: 'SpamAssassin', rspamd: 'rspamd', '': 'no filter' } as const;

/** The spam score and the rules that matched, and which filter answered; or why there is none. */
export function SpamSection({ id }: { id: string }) {
  const enabled = useSpamEnabled();
  const query = useSpamCheck(id, enabled.data === true);
  const result = query.data;
  return (
    <section className="check-section" aria-labelledby={`spam-${id}`}>
      <h3 id={`spam-${id}`} className="check-section__title">
        Spam score
      </h3>
      {enabled.data === false ? (
        <p className="tab-empty">No spam filter: start Pigeonhole with --spamassassin HOST:PORT or --rspamd URL.</p>
      ) : null}
      {query.isPending && enabled.data ? <p className="tab-empty">Asking the spam filter…</p> : null}
      {query.isError ? <p className="tab-empty error-text">Could not check: {query.error.message}</p> : null}
      {result?.Error ? <p className="tab-empty error-text">{result.Error}</p> : null}
      {result && !result.Error ? (
        <>
          <p className="check-verdict">
            <span className={`check-badge check-badge--${result.IsSpam ? 'bad' : 'good'}`}>
              {result.IsSpam ? 'spam' : 'not spam'}
            </span>
            <span className="check-verdict__score">{result.Score.toFixed(1)}</span>
            <span className="check-note">by {FILTERS[result.Filter]}</span>
          </p>
          <table className="check-table">
            <tbody>
              {[...result.Rules]
                .sort((a, b) => b.Score - a.Score)
                .map((r) => (
                  <tr key={r.Name}>
                    <td className="mono check-table__status">{r.Score.toFixed(1)}</td>
                    <td className="mono">{r.Name}</td>
                    <td className="check-table__text">{r.Description}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
