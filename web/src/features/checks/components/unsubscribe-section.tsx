import { useListUnsubscribe } from '../api/get-unsubscribe';

/** List-Unsubscribe and List-Unsubscribe-Post (RFC 2369, RFC 8058): the links and what is wrong. */
export function UnsubscribeSection({ id }: { id: string }) {
  const query = useListUnsubscribe(id);
  const value = query.data;
  return (
    <section className="check-section" aria-labelledby={`unsub-${id}`}>
      <h3 id={`unsub-${id}`} className="check-section__title">
        List-Unsubscribe
      </h3>
      {query.isError ? <p className="tab-empty error-text">Could not read the message: {query.error.message}</p> : null}
      {value && !value.Header && !value.HeaderPost ? <p className="tab-empty">No List-Unsubscribe header.</p> : null}
      {value && (value.Header || value.HeaderPost) ? (
        <div className="check-lines">
          <div className="check-line">
            <dl className="facts check-line__details">
              <div className="check-wide">
                <dt>List-Unsubscribe</dt>
                <dd className="mono check-record">{value.Header || '—'}</dd>
              </div>
              <div className="check-wide">
                <dt>List-Unsubscribe-Post</dt>
                <dd className="mono">{value.HeaderPost || '— (no one-click unsubscribe)'}</dd>
              </div>
              <div className="check-wide">
                <dt>Links</dt>
                <dd className="mono check-record">{value.Links.join(', ') || 'none'}</dd>
              </div>
              <div className="check-wide">
                <dt>Result</dt>
                <dd className={value.Errors ? 'error-text' : undefined}>{value.Errors || 'valid'}</dd>
              </div>
            </dl>
          </div>
        </div>
      ) : null}
    </section>
  );
}
