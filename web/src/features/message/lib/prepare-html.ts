import DOMPurify from 'dompurify';

/** How to render a message's HTML in the preview frame. */
export interface PrepareOptions {
  /** Content-ID (without brackets) to the URL of its part, for `cid:` references. */
  cidUrls: ReadonlyMap<string, string>;
  /** Keep images and styles from other hosts from loading (tracking pixels, remote fonts). */
  blockRemote: boolean;
  /** The UI's origin, from which part URLs (inline images) load. */
  origin: string;
}

/** The prepared document and what was found in it. */
export interface PreparedHtml {
  html: string;
  /** Remote resources (images, stylesheets) the message references. */
  remoteCount: number;
}

const URL_ATTRIBUTES = ['src', 'background', 'poster'];

/**
 * Turns hostile message HTML into the `srcdoc` of the preview frame. Defence in depth on top of the
 * frame's sandbox (no `allow-scripts`) and the UI's CSP: DOMPurify strips script, event handlers,
 * `javascript:` URLs, meta refresh, forms' submit targets and SVG script; links get
 * `target="_blank"`; `cid:` images point at their parts; and a CSP of the document's own allows
 * images and styles only from where the user wants them.
 */
export function prepareHtml(source: string, options: PrepareOptions): PreparedHtml {
  let remoteCount = 0;
  const isRemote = (value: string) => /^\s*(https?:)?\/\//i.test(value);
  const purify = DOMPurify();
  purify.addHook('afterSanitizeAttributes', (node) => {
    for (const name of URL_ATTRIBUTES) {
      const value = node.getAttribute(name);
      if (value === null) continue;
      const cid = /^\s*cid:(.+)$/i.exec(value);
      if (cid) {
        const url = options.cidUrls.get(decodeCid(cid[1]!));
        if (url) node.setAttribute(name, url);
        else node.removeAttribute(name);
      } else if (isRemote(value)) {
        remoteCount++;
      }
    }
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    if (node.tagName === 'LINK' && isRemote(node.getAttribute('href') ?? '')) remoteCount++;
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
  const csp = [
    "default-src 'none'",
    `img-src ${options.origin} data: blob:${remote}`,
    `style-src 'unsafe-inline'${remote}`,
    `font-src data:${remote}`,
    `media-src ${options.origin} data:${remote}`,
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
