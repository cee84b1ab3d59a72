import { first, parseHeaders, splitHeader, type HeaderMap } from '../mail/mime/headers';
import { parseValue } from '../mail/mime/header-value';
import { boundaries } from '../mail/mime/walk';

/**
 * The MIME tree of a message with every part's place in the raw bytes, which IMAP needs twice: for
 * BODYSTRUCTURE, and to cut BODY[1.2.MIME] and the like out of the stored bytes exactly. It reads
 * the bytes with the helpers the summary's MIME walk uses (mail/mime: splitHeader, parseHeaders,
 * boundaries, parseValue), so a part here is a part in the web UI.
 */

/** Parts and depth followed; a hostile tree of 100,000 parts costs no more than this. */
export const MAX_PARTS = 1000;
export const MAX_DEPTH = 20;

/** One part of a message (the message itself is the root part). */
export interface ImapPart {
  headers: HeaderMap;
  /** Lower case, `text` and `plain` when there is no Content-Type. */
  type: string;
  subtype: string;
  /** Content-Type parameters, names lower case. */
  params: Record<string, string>;
  /** The header block: [headerStart, bodyStart) is the headers and the blank line after them. */
  headerStart: number;
  bodyStart: number;
  /** End of the body (exclusive). */
  end: number;
  /** A multipart's parts; empty otherwise. */
  children: ImapPart[];
  /** A message/rfc822 part's own message. */
  message: ImapPart | null;
}

function clean(params: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key.toLowerCase()] = value;
  return out;
}

/** The tree of the whole raw message. */
export function mimeTree(raw: Buffer): ImapPart {
  const budget = { parts: 0 };
  return part(raw, 0, raw.length, 0, budget, 'text/plain');
}

function part(
  raw: Buffer,
  start: number,
  end: number,
  depth: number,
  budget: { parts: number },
  defaultType: string,
): ImapPart {
  budget.parts++;
  const split = splitHeader(raw, start, end);
  const headers = parseHeaders(raw.toString('utf8', start, split.headerEnd));
  const contentType = parseValue(first(headers, 'content-type') || defaultType);
  const [type = 'text', subtype = 'plain'] = contentType.value.toLowerCase().split('/');
  const node: ImapPart = {
    headers,
    type: type || 'text',
    subtype: subtype || 'plain',
    params: clean(contentType.params),
    headerStart: start,
    bodyStart: Math.min(split.bodyStart, end),
    end,
    children: [],
    message: null,
  };
  if (depth >= MAX_DEPTH || budget.parts >= MAX_PARTS) return node;
  const boundary = node.params.boundary;
  if (node.type === 'multipart' && boundary) {
    // RFC 2046 section 5.1.5: the parts of a multipart/digest are messages unless they say otherwise.
    const childDefault = node.subtype === 'digest' ? 'message/rfc822' : 'text/plain';
    for (const [partStart, partEnd] of boundaries(raw, boundary, node.bodyStart, end)) {
      if (budget.parts >= MAX_PARTS) break;
      node.children.push(part(raw, partStart, partEnd, depth + 1, budget, childDefault));
    }
  } else if (node.type === 'message' && (node.subtype === 'rfc822' || node.subtype === 'global')) {
    node.message = part(raw, node.bodyStart, end, depth + 1, budget, 'text/plain');
  }
  return node;
}

/**
 * The part a section path names (`1.2`, RFC 3501 section 6.4.5): in a multipart, the Nth part; in a
 * part that is not multipart, 1 is the part itself; after a message/rfc822 part, the numbers go on in
 * its own message. Undefined when there is no such part.
 */
export function partAt(root: ImapPart, path: readonly number[]): ImapPart | undefined {
  let container = root;
  let target: ImapPart | undefined = root;
  for (const [i, n] of path.entries()) {
    if (container.type === 'multipart' && container.children.length > 0) target = container.children[n - 1];
    else target = n === 1 ? container : undefined;
    if (!target) return undefined;
    if (i === path.length - 1) break;
    if (target.message) container = target.message;
    else if (target.type === 'multipart' && target !== container) container = target;
    else return undefined;
  }
  return target;
}
