import type { ParsedMessage } from './parse';

/**
 * Rewrites `cid:` references in a message's HTML to the URLs of the parts they name, as Mailpit's
 * `/view/{ID}.html` does, so images embedded in the mail show up. Unknown Content-IDs stay as they are.
 */
export function rewriteCids(html: string, parsed: ParsedMessage, partUrl: (partId: string) => string): string {
  const byCid = new Map<string, string>();
  for (const part of [...parsed.inline, ...parsed.attachments]) {
    if (part.ContentID) byCid.set(part.ContentID.toLowerCase(), part.PartID);
  }
  if (byCid.size === 0) return html;
  return html.replace(/(["'(=\s])cid:([^"')\s>]+)/gi, (whole, lead: string, cid: string) => {
    let key = cid;
    try {
      key = decodeURIComponent(cid);
    } catch {
      // keep the raw form
    }
    const partId = byCid.get(key.toLowerCase());
    return partId ? `${lead}${partUrl(partId)}` : whole;
  });
}
