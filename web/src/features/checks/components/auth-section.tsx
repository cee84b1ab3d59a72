import type { AuthCheck, AuthResult, UsedRecord } from '@pigeonhole/shared/schemas/auth';
import type { ReactNode } from 'react';
import { useAuthCheck } from '../api/get-auth-check';
import { ResultBadge } from './result-badge';

const SOURCES: Record<string, string> = {
  api: 'published with PUT /api/v1/dns',
  file: 'from --dns-records',
  system: 'from DNS',
  none: 'not found',
};

function Record({ record }: { record: UsedRecord }) {
  if (!record) return <dd>none found</dd>;
  return (
    <dd>
      <code className="mono check-record">{record.Value}</code>
      <span className="check-source">
        {' '}
        at {record.Name}, {SOURCES[record.Source]}
      </span>
    </dd>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      {typeof children === 'string' ? <dd className="mono">{children || '—'}</dd> : children}
    </div>
  );
}

/** One mechanism: the result and a line at a glance; the details open on a click. */
function Line({
  name,
  result,
  summary,
  children,
}: {
  name: string;
  result: AuthResult;
  summary: string;
  children?: ReactNode;
}) {
  return (
    <details className="check-line" data-mechanism={name}>
      <summary>
        <ResultBadge result={result} />
        <span className="check-line__name">{name}</span>
        <span className="check-line__summary">{summary}</span>
      </summary>
      <dl className="facts check-line__details">{children}</dl>
    </details>
  );
}

function dkimLines(check: AuthCheck): ReactNode[] {
  if (check.DKIM.length === 0) {
    return [<Line key="dkim" name="DKIM" result="none" summary="The message is not signed." />];
  }
  return check.DKIM.map((s, i) => (
    <Line
      key={`dkim-${i}`}
      name="DKIM"
      result={s.Result}
      summary={s.Reason || `d=${s.Domain} s=${s.Selector}${s.AlignedWithFrom ? ', aligned with From' : ''}`}
    >
      <Fact label="Domain / selector">{`d=${s.Domain}  s=${s.Selector}`}</Fact>
      <Fact label="Algorithm">{`${s.Algorithm}${s.KeyBits ? ` (${s.KeyBits}-bit key)` : ''}, c=${s.Canonicalization}`}</Fact>
      <Fact label="Signed headers">{s.SignedHeaders.join(', ')}</Fact>
      <Fact label="Body hash (bh=)">{s.BodyHashClaimed}</Fact>
      <Fact label="Body hash computed">{s.BodyHashComputed}</Fact>
      <Fact label="Aligned with From">{s.AlignedWithFrom ? 'yes' : 'no'}</Fact>
      <Fact label="Key">
        <Record record={s.Key} />
      </Fact>
      {s.Warnings.length > 0 ? (
        <Fact label="Warnings">
          <dd>
            <ul className="check-warnings">
              {s.Warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </dd>
        </Fact>
      ) : null}
    </Line>
  ));
}

/**
 * DKIM (one line per signature), SPF, DMARC, ARC and BIMI of the message, pass or fail at a glance
 * with the reason; the tags, body hashes, records and where each record came from a click away.
 */
export function AuthSection({ id }: { id: string }) {
  const query = useAuthCheck(id);
  return (
    <section className="check-section" aria-labelledby={`auth-${id}`}>
      <h3 id={`auth-${id}`} className="check-section__title">
        Authentication
      </h3>
      {query.isPending ? <p className="tab-empty">Verifying DKIM, SPF and DMARC…</p> : null}
      {query.isError ? <p className="tab-empty error-text">Could not verify: {query.error.message}</p> : null}
      {query.data ? <AuthLines check={query.data} /> : null}
    </section>
  );
}

function AuthLines({ check }: { check: AuthCheck }) {
  const { SPF, DMARC, ARC, BIMI } = check;
  return (
    <div className="check-lines">
      {dkimLines(check)}
      <Line name="SPF" result={SPF.Result} summary={SPF.Reason || `${SPF.ClientAddress} allowed for ${SPF.Domain}`}>
        <Fact label="Client address">{SPF.ClientAddress}</Fact>
        <Fact label="MAIL FROM">{SPF.MailFrom || '<>'}</Fact>
        <Fact label="HELO">{SPF.Helo}</Fact>
        <Fact label="Record">
          <Record record={SPF.Record} />
        </Fact>
      </Line>
      <Line
        name="DMARC"
        result={DMARC.Result}
        summary={DMARC.Reason || `From ${DMARC.FromDomain} aligned with ${DMARC.AlignedDkim || DMARC.AlignedSpf}`}
      >
        <Fact label="From domain">{DMARC.FromDomain}</Fact>
        <Fact label="Policy">{DMARC.Policy}</Fact>
        <Fact label="Aligned DKIM domain">{DMARC.AlignedDkim || 'none'}</Fact>
        <Fact label="Aligned SPF domain">{DMARC.AlignedSpf || 'none'}</Fact>
        <Fact label="Record">
          <Record record={DMARC.Record} />
        </Fact>
      </Line>
      <Line name="ARC" result={ARC.Result} summary={ARC.Reason || `chain of ${ARC.Instance}`}>
        <Fact label="Chain">{ARC.Chain.map((l) => `i=${l.Instance} d=${l.Domain} s=${l.Selector}`).join('; ')}</Fact>
      </Line>
      <Line name="BIMI" result={BIMI.Result} summary={BIMI.Reason || BIMI.Location}>
        <Fact label="Logo (l=)">{BIMI.Location}</Fact>
        <Fact label="Certificate (a=)">{BIMI.Authority}</Fact>
        <Fact label="Record">
          <Record record={BIMI.Record} />
        </Fact>
      </Line>
      <details className="check-line">
        <summary>
          <span className="check-line__name">Authentication-Results</span>
          <span className="check-line__summary">the header Pigeonhole would add (the message is not changed)</span>
        </summary>
        <pre className="mono check-ar">{check.AuthenticationResults}</pre>
      </details>
      <details className="check-line">
        <summary>
          <span className="check-line__name">DNS lookups</span>
          <span className="check-line__summary">{check.Lookups.length} made, and where each answer came from</span>
        </summary>
        <ul className="check-lookups mono">
          {check.Lookups.map((l, i) => (
            <li key={i}>
              {l.Type} {l.Name}: {l.Outcome} ({SOURCES[l.Source]})
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
