import { Download } from 'lucide-react';
import { useMemo } from 'react';
import { formatSize } from '../../../lib/format';
import { rawUrl, useRaw } from '../api/get-raw';

/** Shown in full up to this size; beyond it the tab shows the start and the download has it all. */
const MAX_SHOWN = 2 * 1024 * 1024;

/** A file name for the `.eml` download, from the subject: safe on every file system. */
export function emlName(subject: string, id: string): string {
  const base = subject
    .replace(/[^\p{L}\p{N} ._-]+/gu, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
  return `${base || id}.eml`;
}

/** The raw message as received, with a download as `.eml`. */
export function SourceTab({ id, subject }: { id: string; subject: string }) {
  const raw = useRaw(id, true);
  const text = useMemo(() => {
    if (!raw.data) return '';
    const shown = raw.data.subarray(0, MAX_SHOWN);
    // Mail may be any 8-bit charset: UTF-8 where it decodes, replacement characters elsewhere.
    return new TextDecoder('utf-8').decode(shown);
  }, [raw.data]);
  return (
    <div className="source-tab">
      <div className="tab-bar">
        <span className="muted">{raw.data ? `${formatSize(raw.data.length)} as received` : 'Loading…'}</span>
        <a className="btn" href={rawUrl(id)} download={emlName(subject, id)}>
          <Download size={14} aria-hidden="true" /> Download .eml
        </a>
      </div>
      {raw.isError ? <p className="tab-empty error-text">Could not load the source: {raw.error.message}</p> : null}
      {raw.data ? (
        <pre className="code-block" aria-label="Message source">
          {text}
          {raw.data.length > MAX_SHOWN
            ? `\n\n… ${formatSize(raw.data.length - MAX_SHOWN)} more: download the .eml to see it all.`
            : ''}
        </pre>
      ) : null}
    </div>
  );
}
