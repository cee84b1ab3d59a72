import { cleanCss, cleanSrcset, mailUrlAllowed, type ShowingOrigin } from '@pigeonhole/shared/mail-urls';
import DOMPurify from 'dompurify';

/** How to render a message's HTML in the preview frame. */
export interface PrepareOptions {
  /** Content-ID (without brackets) to a `data:` URL of its part's bytes, for `cid:` references. */
  cidUrls: ReadonlyMap<string, string>;
  /** Keep images and styles from other hosts from loading (tracking pixels, remote fonts). */
  blockRemote: boolean;
  /** The UI's origin (`location`): nothing in the mail may load from it. */
  origin: ShowingOrigin;
}

/** The prepared document and what was found in it. */
export interface PreparedHtml {
  html: string;
  /** Remote resources (images, stylesheets) the message references. */
  remoteCount: number;
}

/** Attributes that load a resource by themselves, on any element (SVG's `href` on `<image>` too). */
const URL_ATTRIBUTES = ['src', 'background', 'poster', 'lowsrc', 'dynsrc', 'data', 'xlink:href', 'icon'];
/** Attributes followed on a click, or that send a request of their own. */
const LINK_ATTRIBUTES = ['href', 'action', 'formaction', 'ping', 'cite', 'longdesc', 'manifest'];
/** Elements that load what their `href` names without a click. */
const LOADING_HREF = new Set(['LINK', 'IMAGE', 'USE', 'FEIMAGE']);

/**
 * Turns hostile message HTML into the `srcdoc` of the preview frame. Defence in depth on top of the
 * frame's sandbox (no `allow-scripts`) and the UI's CSP: DOMPurify strips script, event handlers,
 * `javascript:` URLs, meta refresh, forms' submit targets and SVG script; links get
 * `target="_blank"`; `cid:` images point at `data:` URLs of their parts; nothing may load from the
 * UI's own origin (relative URLs, our host, srcset, CSS `url()` and `@import`: see
 * `shared/mail-urls.ts`), since the frame's requests would run our API on the mail's behalf; and a
 * CSP of the document's own allows images and styles only from where the user wants them.
 */
export function prepareHtml(source: string, options: PrepareOptions): PreparedHtml {
  let remoteCount = 0;
  const isRemote = (value: string) => /^\s*(https?:)?\/\//i.test(value);
  const purify = DOMPurify();
  const own = options.origin;
  const resource = (value: string): string | null => {
    const cid = /^\s*cid:(.+)$/i.exec(value);
    const url = cid ? (options.cidUrls.get(decodeCid(cid[1]!)) ?? null) : value;
    if (url === null || !mailUrlAllowed(url, own, 'resource')) return null;
    if (isRemote(url)) remoteCount++;
    return url;
  };
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style') node.textContent = cleanCss(node.textContent ?? '', own, resource);
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    for (const attribute of [...node.attributes]) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (URL_ATTRIBUTES.includes(name) || (name === 'href' && LOADING_HREF.has(node.tagName.toUpperCase()))) {
        const url = resource(value);
        if (url === null) node.removeAttribute(attribute.name);
        else node.setAttribute(attribute.name, url);
      } else if (LINK_ATTRIBUTES.includes(name) || name.endsWith(':href')) {
        if (!mailUrlAllowed(value, own, 'link')) node.removeAttribute(attribute.name);
      } else if (name === 'srcset' || name === 'imagesrcset') {
        const kept = cleanSrcset(value, own);
        if (kept) node.setAttribute(attribute.name, kept);
        else node.removeAttribute(attribute.name);
      } else if (name === 'style') {
        node.setAttribute(attribute.name, cleanCss(value, own, resource));
      }
    }
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  const body = purify.sanitize(source, {
    WHOLE_DOCUMENT: true,
    // Mail's own layout: style sheets, and the table attributes old mail clients still read.
    ADD_TAGS: ['style', 'link', 'center', 'font'],
    ADD_ATTR: [
      'target',
      'bgcolor',
      'background',
      'valign',
      'align',
      'border',
      'cellpadding',
      'cellspacing',
      'color',
      'face',
      'size',
    ],
    FORBID_TAGS: [
      'form',
      'input',
      'button',
      'select',
      'textarea',
      'meta',
      'base',
      'script',
      'iframe',
      'frame',
      'object',
      'embed',
    ],
    ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|tel|cid):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  });
  const html = typeof body === 'string' ? body : String(body);
  const remote = options.blockRemote ? '' : ' http: https:';
  // No source names our origin; `http:` still matches it, hence the rewriting above.
  const csp = [
    "default-src 'none'",
    `img-src data: blob:${remote}`,
    `style-src 'unsafe-inline'${remote}`,
    `font-src data:${remote}`,
    `media-src data: blob:${remote}`,
  ].join('; ');
  const head =
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    '<meta name="referrer" content="no-referrer">' +
    '<base target="_blank">' +
    '<style>html{background:#fff;color:#111;color-scheme:light}body{margin:0;padding:16px;font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>';
  return { html: injectHead(html, head), remoteCount };
}

function decodeCid(value: string): string {
  let cid = value.trim();
  try {
    cid = decodeURIComponent(cid);
  } catch {
    // Not percent-encoded: use it as it is.
  }
  return cid.replace(/^<|>$/g, '');
}

/** Puts our head elements first, before anything of the mail's, so our CSP governs all of it. */
function injectHead(html: string, head: string): string {
  const match = /<head[^>]*>/i.exec(html);
  if (match) return html.slice(0, match.index + match[0].length) + head + html.slice(match.index + match[0].length);
  return `<!doctype html><html><head>${head}</head><body>${html}</body></html>`;
}
