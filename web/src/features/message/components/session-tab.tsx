import { PigeonholeHttpError } from '@pigeonhole/shared/client';
import type { LineNote } from '@pigeonhole/shared/schemas/message';
import { isProviderName, PROVIDER_LABELS } from '@pigeonhole/shared/schemas/providers';
import { Lock, LockOpen } from 'lucide-react';
import { useState } from 'react';
import { useSession } from '../api/get-session';
import { dsnText } from './delivery-rows';

function time(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return `${date.toLocaleTimeString(undefined, { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** What a line's pieces mean (from the server's `Explain`), each with a link to its RFC. */
function LineNotes({ notes }: { notes: LineNote[] }) {
  return (
    <ul className="transcript__notes">
      {notes.map((n, i) => (
        <li key={i} className="transcript__note">
          <code className="transcript__term">{n.Term}</code> {n.Text}
          {n.URL ? (
            <>
              {' '}
              <a className="transcript__rfc" href={n.URL} target="_blank" rel="noopener noreferrer">
                {n.RFC}
              </a>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * How the message really arrived: client, HELO, TLS, AUTH user, envelope, and the conversation
 * line by line (AUTH secrets masked and the DATA body elided by the server). A message that came
 * through a provider's HTTP API shows that request instead: its headers (secrets masked), its
 * fields (attachment contents elided) and the provider's answer.
 */
export function SessionTab({ id }: { id: string }) {
  const session = useSession(id);
  const [explained, setExplained] = useState(true);
  if (session.isPending) return <p className="tab-empty">Loading the SMTP session…</p>;
  if (session.isError) {
    const missing = session.error instanceof PigeonholeHttpError && session.error.status === 404;
    return (
      <p className={missing ? 'tab-empty' : 'tab-empty error-text'}>
        {missing
          ? 'No SMTP session was recorded for this message (it was not received over SMTP).'
          : `Could not load the session: ${session.error.message}`}
      </p>
    );
  }
  const s = session.data;
  const api = s.Via !== 'smtp';
  const provider = isProviderName(s.Via) ? PROVIDER_LABELS[s.Via] : s.Via;
  return (
    <div className="session-tab">
      {api ? (
        <p className="session-tab__via">
          Sent through the <strong>{provider}</strong> HTTP API: below is the HTTP request that made this message and
          Pigeonhole&apos;s answer, in {provider}&apos;s shape.
        </p>
      ) : null}
      <dl className="facts">
        {api ? (
          <div>
            <dt>Provider API</dt>
            <dd>{provider}</dd>
          </div>
        ) : null}
        <div>
          <dt>Client</dt>
          <dd className="mono">{s.ClientAddress || '—'}</dd>
        </div>
        {api ? null : (
          <div>
            <dt>HELO / EHLO</dt>
            <dd className="mono">{s.Helo || '—'}</dd>
          </div>
        )}
        <div>
          <dt>{api ? 'HTTPS' : 'TLS'}</dt>
          <dd>
            {s.Secure ? (
              <span className="tls tls--on">
                <Lock size={13} aria-hidden="true" /> {s.TLS ? `${s.TLS.Protocol} · ${s.TLS.Cipher}` : 'yes'}
              </span>
            ) : (
              <span className="tls">
                <LockOpen size={13} aria-hidden="true" /> {api ? 'No: plain HTTP' : 'Plain text'}
              </span>
            )}
          </dd>
        </div>
        {api ? null : (
          <div>
            <dt>AUTH user</dt>
            <dd className="mono">{s.Username || 'none'}</dd>
          </div>
        )}
        <div>
          <dt>{api ? 'Envelope from' : 'MAIL FROM'}</dt>
          <dd className="mono">{s.MailFrom || '<>'}</dd>
        </div>
        <div>
          <dt>{api ? 'Envelope to (Bcc included)' : 'RCPT TO'}</dt>
          <dd className="mono">{s.RcptTo.join(', ') || '—'}</dd>
        </div>
        {api ? null : (
          <div>
            <dt>Delivery reports (DSN)</dt>
            <dd className="mono">{s.DSN ? dsnText(s.DSN) : 'none asked'}</dd>
          </div>
        )}
      </dl>
      {!api && (
        <label className="transcript__toggle">
          <input type="checkbox" checked={explained} onChange={(e) => setExplained(e.target.checked)} /> Explain each
          line (what the command, reply code and extension mean, and the RFC)
        </label>
      )}
      <ol className="transcript" aria-label={api ? 'HTTP request' : 'SMTP transcript'}>
        {s.Transcript.map((line, i) => (
          <li key={i} className={`transcript__line transcript__line--${line.Direction}`}>
            <span className="transcript__time">{time(line.At)}</span>
            <span className="transcript__dir" aria-label={line.Direction === 'client' ? 'client' : 'server'}>
              {line.Direction === 'client' ? 'C:' : 'S:'}
            </span>
            <span className="transcript__text">{line.Line}</span>
            {explained && line.Explain.length > 0 ? <LineNotes notes={line.Explain} /> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
