// The links a message holds, as Mailpit collects them: `<a href>`, stylesheet `<link href>` and
// `<img src>` in the HTML, and http(s) URLs in the text (bare, or in RFC 2396 angle brackets).
import { DomUtils, parseDocument } from 'htmlparser2';

/** Links checked per message; the rest are left out (a newsletter has dozens, not thousands). */
export const MAX_LINKS = 200;

// Mailpit's character class, with an IPv6 literal host (`http://[::1]/`) allowed, so that such
// links are checked rather than silently skipped.
const HTTP = /^https?:\/\/(\[[\da-f:.]+\])?[-\w@:%_+'!.~#?,&/=;]+/i;
const TEXT_LINK = /(?:^|[^<\w])(https?:\/\/(?:\[[\da-f:.]+\])?[-\w@:%_+'!.~#?,&/=;]+)/gi;
const BRACKET_LINK = /<(https?:\/\/[^>\s][^>]*)>/gi;

/** The unique http(s) links of a message's HTML and text, in order of appearance, at most MAX_LINKS. */
export function extractLinks(html: string, text: string): string[] {
  const links: string[] = [];
  if (html) {
    const document = parseDocument(html);
    for (const element of DomUtils.findAll(() => true, document.children)) {
      const name = element.name.toLowerCase();
      const value =
        name === 'a'
          ? element.attribs.href
          : name === 'link' && /(^|\s)stylesheet(\s|$)/i.test(element.attribs.rel ?? '')
            ? element.attribs.href
            : name === 'img'
              ? element.attribs.src
              : undefined;
      const trimmed = value?.trim();
      if (trimmed && HTTP.test(trimmed)) links.push(trimmed);
    }
  }
  for (const match of text.matchAll(TEXT_LINK)) links.push(match[1]!);
  for (const match of text.matchAll(BRACKET_LINK)) links.push(match[1]!.replace(/\r?\n/g, ''));
  return [...new Set(links)].slice(0, MAX_LINKS);
}
