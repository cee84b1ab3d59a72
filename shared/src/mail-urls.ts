/**
 * Which URLs in mail HTML may load or be followed when Pigeonhole shows the mail. Mail is hostile:
 * an `<img src="/api/v1/search?query=...">` opened in the inbox made the browser run that search on
 * the mail's behalf (four of them stalled SMTP for 78 s). Both the web UI's preview and the server's
 * `/view/{ID}.html` apply this one rule, on top of a CSP; a CSP cannot express it alone, since its
 * `http:` source also matches Pigeonhole's own origin.
 */

import { servedByDefault } from './hosts';

/** The origin that shows the mail: `protocol` with its colon, `host` with its port, as `URL` has them. */
export interface ShowingOrigin {
  protocol: string;
  host: string;
}

/** What a URL is used for: a resource loads by itself, a link only when clicked. */
export type MailUrlUse = 'resource' | 'link';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** Browsers drop tabs and newlines anywhere in a URL and trim spaces and controls at its ends. */
const STRIPPED = /[\t\n\r]/g;
// eslint-disable-next-line no-control-regex -- the C0 controls are exactly what browsers trim
const EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '';
}

/**
 * Whether an absolute http(s) URL reaches Pigeonhole itself: the same host and port, or the same
 * port on any name the Host check serves by default (an IP literal, `localhost`, `*.localhost`, a
 * single-label name), which may all be this server. Other ports of localhost stay allowed: an app
 * under development serves its mail's images from there.
 */
export function reachesUs(url: URL, own: ShowingOrigin): boolean {
  if (url.host === own.host.toLowerCase()) return true;
  const port = url.port || defaultPort(url.protocol);
  const ownPort = new URL(`${own.protocol}//${own.host}`).port || defaultPort(own.protocol);
  if (port !== ownPort) return false;
  return servedByDefault(url.hostname);
}

/**
 * Whether a URL from mail may stay: `data:` and `blob:` (no request), remote http(s) URLs that do not
 * reach us, and for links `mailto:` and `tel:`. Relative URLs resolve against our origin and are
 * refused, as are other schemes. `cid:` is the caller's to rewrite first.
 */
export function mailUrlAllowed(value: string, own: ShowingOrigin, use: MailUrlUse): boolean {
  const url = value.replace(STRIPPED, '').replace(EDGES, '');
  if (url === '') return false;
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'data' || scheme === 'blob') return true;
  if (scheme === 'mailto' || scheme === 'tel') return use === 'link';
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return false;
  // Without a scheme only `//host/...` leaves our origin; `\\host` is the same to a browser.
  if (scheme === undefined && !/^[\\/]{2}/.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url, `${own.protocol}//${own.host}/`);
  } catch {
    return false;
  }
  return !reachesUs(parsed, own);
}

/** A `srcset` with the candidates that may not load taken out; empty when none may. */
export function cleanSrcset(srcset: string, own: ShowingOrigin): string {
  return srcset
    .split(/,(?=\s*\S)/)
    .map((candidate) => candidate.trim())
    .filter((candidate) => candidate && mailUrlAllowed(candidate.split(/\s+/)[0] ?? '', own, 'resource'))
    .join(', ');
}

/** CSS escapes (`\75 rl(` is `url(`); decoded before URLs are looked for, except where they guard syntax. */
const CSS_ESCAPE = /\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|([^\n\r\f0-9a-f]))/gi;
const KEEP_ESCAPED = /["'\\()\s;{}<>&]/;

function decodeCssEscapes(css: string): string {
  if (!css.includes('\\')) return css;
  return css.replace(CSS_ESCAPE, (whole, hex: string | undefined, char: string | undefined) => {
    const decoded = hex ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : (char ?? '');
    return KEEP_ESCAPED.test(decoded) ? whole : decoded;
  });
}

const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/gi;
const CSS_IMPORT = /@import\s+(?:url\(\s*)?(?:"([^"]*)"|'([^']*)'|([^;'"\s)]+))[^;]*;?/gi;
const CSS_IMAGE_SET = /(?:-webkit-)?image-set\(([^()]*(?:\([^()]*\)[^()]*)*)\)/gi;
const CSS_STRING = /"([^"]*)"|'([^']*)'/g;

/**
 * A style sheet or `style` attribute with every `url()`, `@import` and `image-set()` that may not
 * load (see {@link mailUrlAllowed}) replaced by `none` (or dropped, for `@import`). Escapes are
 * decoded first, so `\75 rl(/api/...)` is seen for the `url(` it is.
 */
export function cleanCss(
  css: string,
  own: ShowingOrigin,
  rewrite: (url: string) => string | null = () => null,
): string {
  const allowed = (url: string): string | null => {
    const rewritten = /^\s*cid:/i.test(url) ? rewrite(url) : url;
    return rewritten !== null && mailUrlAllowed(rewritten, own, 'resource') ? rewritten : null;
  };
  return decodeCssEscapes(css)
    .replace(CSS_IMPORT, (whole, a?: string, b?: string, c?: string) => (allowed(a ?? b ?? c ?? '') ? whole : ''))
    .replace(CSS_IMAGE_SET, (whole, inner: string) => {
      for (const match of inner.matchAll(CSS_STRING)) if (!allowed(match[1] ?? match[2] ?? '')) return 'none';
      return whole;
    })
    .replace(CSS_URL, (_whole, a?: string, b?: string, c?: string) => {
      const url = allowed(a ?? b ?? c ?? '');
      return url === null
        ? 'none'
        : `url("${url.replace(/["\\\n\r]/g, (ch) => `\\${ch.charCodeAt(0).toString(16)} `)}")`;
    });
}
