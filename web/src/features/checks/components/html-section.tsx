import type { HtmlCheck, HtmlCheckWarning } from '@pigeonhole/shared/schemas/checks';
import { useHasHtml, useHtmlCheck } from '../api/get-html-check';
import { clientsWith, familyScores } from '../lib/family-scores';
import { ScoreBadge } from './score-badge';

/** Lines as "line 4" or "lines 4, 9, 12 and 3 more". */
function linesText(lines: number[]): string {
  if (lines.length === 0) return '';
  const shown = lines.slice(0, 4).join(', ');
  return `${lines.length === 1 ? 'line' : 'lines'} ${shown}${lines.length > 4 ? ` and ${lines.length - 4} more` : ''}`;
}

/** One feature the message uses that some clients lack: where, who, and caniemail's notes. */
function Warning({ warning }: { warning: HtmlCheckWarning }) {
  const no = clientsWith(warning, 'no');
  const partial = clientsWith(warning, 'partial');
  const notes = Object.entries(warning.NotesByNumber);
  return (
    <details className="check-line" data-slug={warning.Slug}>
      <summary>
        <ScoreBadge score={warning.Score.Supported} />
        <span className="check-line__name">{warning.Title}</span>
        <span className="check-line__summary">
          {warning.Score.Found}× {linesText(warning.Lines)}
          {no.length > 0 ? ` · not in ${no.length} client${no.length === 1 ? '' : 's'}` : ''}
          {partial.length > 0 ? ` · partly in ${partial.length}` : ''}
        </span>
      </summary>
      <dl className="facts check-line__details">
        <div>
          <dt>Used on</dt>
          <dd className="mono">{linesText(warning.Lines) || '—'} of the HTML</dd>
        </div>
        {no.length > 0 ? (
          <div>
            <dt>Not supported</dt>
            <dd>{no.join(', ')}</dd>
          </div>
        ) : null}
        {partial.length > 0 ? (
          <div>
            <dt>Partly supported</dt>
            <dd>{partial.join(', ')}</dd>
          </div>
        ) : null}
        {notes.length > 0 ? (
          <div className="check-wide">
            <dt>Notes</dt>
            <dd>
              <ol className="check-warnings">
                {notes.map(([n, note]) => (
                  <li key={n} value={Number(n)}>
                    {note}
                  </li>
                ))}
              </ol>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>caniemail</dt>
          <dd>
            <a href={warning.URL} target="_blank" rel="noopener noreferrer">
              {warning.URL.replace(/^https:\/\/(www\.)?/, '')}
            </a>
          </dd>
        </div>
      </dl>
    </details>
  );
}

function HtmlResult({ check }: { check: HtmlCheck }) {
  const problems = check.Warnings.filter((w) => w.Score.Unsupported > 0 || w.Score.Partial > 0);
  return (
    <>
      <ul className="check-families" aria-label="Support by client family">
        <li className="check-family check-family--total">
          <ScoreBadge score={check.Total.Supported} />
          <span>All clients</span>
        </li>
        {familyScores(check).map((f) => (
          <li key={f.family} className="check-family" data-family={f.family}>
            <ScoreBadge score={f.supported} />
            <span>{f.name}</span>
          </li>
        ))}
      </ul>
      <p className="check-note">
        {check.Total.Nodes} elements, {check.Total.Tests} features looked for, {problems.length} not supported
        everywhere. Data: {check.Data.Source} (caniemail, {check.Data.Updated.slice(0, 10)}).
      </p>
      {problems.length > 0 ? (
        <div className="check-lines">
          {problems.map((w) => (
            <Warning key={w.Slug} warning={w} />
          ))}
        </div>
      ) : null}
    </>
  );
}

/** HTML compatibility: a score per client family, then each feature some client lacks, worst first. */
export function HtmlSection({ id }: { id: string }) {
  const hasHtml = useHasHtml(id);
  const query = useHtmlCheck(id, hasHtml.data === true);
  const noHtml = hasHtml.data === false;
  return (
    <section className="check-section" aria-labelledby={`html-${id}`}>
      <h3 id={`html-${id}`} className="check-section__title">
        HTML compatibility
      </h3>
      {query.isPending && hasHtml.data ? <p className="tab-empty">Checking the HTML against caniemail…</p> : null}
      {noHtml ? <p className="tab-empty">This message has no HTML part.</p> : null}
      {query.isError ? <p className="tab-empty error-text">Could not check: {query.error.message}</p> : null}
      {query.data ? <HtmlResult check={query.data} /> : null}
    </section>
  );
}
