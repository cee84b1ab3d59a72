import type { ReactNode } from 'react';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"')\]]+/g;

/** Plain text with its http(s) links made clickable (as React elements, never as markup). */
function linkify(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(/[.,;:!?]+$/, '');
    const at = match.index;
    out.push(text.slice(last, at));
    out.push(
      <a key={at} href={url} target="_blank" rel="noopener noreferrer">
        {url}
      </a>,
    );
    last = at + url.length;
  }
  out.push(text.slice(last));
  return out;
}

/** The plain-text part, as text. */
export function TextTab({ text }: { text: string }) {
  if (!text) return <p className="tab-empty">This message has no plain-text part.</p>;
  return <pre className="text-tab">{linkify(text)}</pre>;
}
