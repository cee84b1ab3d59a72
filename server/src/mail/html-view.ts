import { cleanCss, cleanSrcset, mailUrlAllowed, type ShowingOrigin } from '@pigeonhole/shared/mail-urls';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { partContent, type ParsedMessage } from './parse';

/** Attributes that load a resource by themselves, on any element (SVG's `href` on `<image>` too). */
const RESOURCE_ATTRIBUTES = ['src', 'background', 'poster', 'lowsrc', 'dynsrc', 'data', 'xlink:href', 'icon'];
/** Attributes followed on a click, or that send a request of their own (`ping`, `action`). */
const LINK_ATTRIBUTES = ['href', 'action', 'formaction', 'ping', 'cite', 'longdesc', 'manifest'];
/** Elements that load what their `href` names without a click. */
const LOADING_HREF = new Set(['link', 'image', 'use', 'feimage', 'script']);
/** Elements never served: they load or run things, or change where relative URLs go. */
const DROPPED = new Set(['base', 'script', 'iframe', 'frame', 'object', 'embed', 'applet', 'meta', 'portal']);
/** Inline images are served as `data:` URLs up to this size each and in all; larger ones do not show. */
const MAX_INLINE_PART = 4 * 1024 * 1024;
const MAX_INLINE_TOTAL = 16 * 1024 * 1024;

function decodeCid(value: string): string {
  let cid = value.replace(/^\s*cid:/i, '').trim();
  try {
    cid = decodeURIComponent(cid);
  } catch {
    // Not percent-encoded: as it is.
  }
  return cid.replace(/^<|>$/g, '').toLowerCase();
}

/** `cid:` references to `data:` URLs of the parts they name, within the size bounds above. */
function cidResolver(parsed: ParsedMessage): (url: string) => string | null {
  const byCid = new Map<string, ParsedMessage['inline'][number]>();
  for (const part of [...parsed.inline, ...parsed.attachments]) {
    if (part.ContentID) byCid.set(part.ContentID.replace(/^<|>$/g, '').toLowerCase(), part);
  }
  const made = new Map<string, string | null>();
  let total = 0;
  return (url) => {
    const cid = decodeCid(url);
    if (made.has(cid)) return made.get(cid) ?? null;
    const part = byCid.get(cid);
    let data: string | null = null;
    if (part && part.Size <= MAX_INLINE_PART && total + part.Size <= MAX_INLINE_TOTAL) {
      total += part.Size;
      const type = /^[\w.+-]+\/[\w.+-]+$/.test(part.ContentType) ? part.ContentType : 'application/octet-stream';
      data = `data:${type};base64,${partContent(part).toString('base64')}`;
    }
    made.set(cid, data);
    return data;
  };
}

/**
 * Message HTML as `/view/{ID}.html` serves it: nothing in it may load from Pigeonhole's own origin
 * (see `shared/mail-urls.ts`), so relative URLs, URLs naming this host, `<base>`, `<link>`, srcset
 * candidates and CSS `url()`/`@import` that would reach it are removed; `cid:` references become
 * `data:` URLs of the mail's own parts (as Mailpit shows them, without a request of ours); links open
 * in a new tab without an opener.
 */
export function viewHtml(html: string, parsed: ParsedMessage, own: ShowingOrigin): string {
  const document = parseDocument(html);
  const resolveCid = cidResolver(parsed);
  const resource = (value: string): string | null => {
    const url = /^\s*cid:/i.test(value) ? resolveCid(value) : value;
    return url !== null && mailUrlAllowed(url, own, 'resource') ? url : null;
  };
  const elements = DomUtils.findAll(() => true, document.children);
  for (const element of elements) {
    const name = element.name.toLowerCase();
    if (DROPPED.has(name)) {
      DomUtils.removeElement(element);
      continue;
    }
    cleanAttributes(element, name, own, resource);
    if (name === 'style') cleanStyleElement(element, own, resolveCid);
    if (name === 'a' || name === 'area') {
      element.attribs.target = '_blank';
      element.attribs.rel = 'noopener noreferrer';
    }
  }
  return DomUtils.getOuterHTML(document, { decodeEntities: true, encodeEntities: 'utf8' });
}

/**
 * Cleans a `<style>` element's text. A `<` in it is escaped: inside `<svg>` a browser parses a
 * style element's content as markup, not as CSS, and `<img>` there would be an element.
 */
function cleanStyleElement(element: Element, own: ShowingOrigin, resolveCid: (url: string) => string | null): void {
  const css = cleanCss(DomUtils.textContent(element), own, resolveCid).replace(/</g, '\\3c ');
  const first = element.children.find((child) => DomUtils.isText(child));
  for (const child of [...element.children]) if (child !== first) DomUtils.removeElement(child);
  if (first && DomUtils.isText(first)) first.data = css;
}

function cleanAttributes(
  element: Element,
  name: string,
  own: ShowingOrigin,
  resource: (value: string) => string | null,
): void {
  for (const [attribute, value] of Object.entries(element.attribs)) {
    const key = attribute.toLowerCase();
    if (key.startsWith('on')) {
      delete element.attribs[attribute];
    } else if (RESOURCE_ATTRIBUTES.includes(key) || (key === 'href' && LOADING_HREF.has(name))) {
      const url = resource(value);
      if (url === null) delete element.attribs[attribute];
      else element.attribs[attribute] = url;
    } else if (LINK_ATTRIBUTES.includes(key) || key.endsWith(':href')) {
      if (!mailUrlAllowed(value, own, 'link')) delete element.attribs[attribute];
    } else if (key === 'srcset' || key === 'imagesrcset') {
      const kept = cleanSrcset(value, own);
      if (kept) element.attribs[attribute] = kept;
      else delete element.attribs[attribute];
    } else if (key === 'style') {
      element.attribs[attribute] = cleanCss(value, own);
    }
  }
}
