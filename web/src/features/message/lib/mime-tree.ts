/** One node of a message's MIME structure, as the MIME tab shows it. */
export interface MimeNode {
  /** Position in the tree: `1`, `1.2`, ... (the root is empty). */
  path: string;
  contentType: string;
  charset: string;
  encoding: string;
  disposition: string;
  filename: string;
  contentId: string;
  /** Bytes of the body as transferred (encoded), headers excluded. */
  size: number;
  children: MimeNode[];
}

/** The tree and whether it was cut short by the limits below. */
export interface MimeTree {
  root: MimeNode;
  truncated: boolean;
}

/**
 * Work budget for hostile mail (the fixtures hold 100,000 parts and 10,000 levels): a tree bigger
 * than this is shown cut, with a note, rather than freezing the tab.
 */
const MAX_NODES = 2000;
const MAX_DEPTH = 40;

interface Headers {
  [name: string]: string;
}

/**
 * Reads the MIME structure of raw message bytes: the part tree with types, encodings and sizes.
 * Structure only, no decoding; bounded by {@link MAX_NODES} and {@link MAX_DEPTH}.
 */
export function mimeTree(raw: Uint8Array): MimeTree {
  // latin1 keeps one character per byte, so offsets are byte counts.
  const text = new TextDecoder('latin1').decode(raw);
  const state = { nodes: 0, truncated: false };
  const root = parsePart(text, 0, text.length, '', 0, state, 'text/plain');
  return { root, truncated: state.truncated };
}

function parsePart(
  text: string,
  start: number,
  end: number,
  path: string,
  depth: number,
  state: { nodes: number; truncated: boolean },
  fallback: string,
): MimeNode {
  state.nodes++;
  const { headers, bodyStart } = readHeaders(text, start, end);
  const [contentType, params] = parseParams(headers['content-type'] ?? fallback);
  const [disposition, dispositionParams] = parseParams(headers['content-disposition'] ?? '');
  const node: MimeNode = {
    path,
    contentType: contentType.toLowerCase() || fallback,
    charset: params.charset ?? '',
    encoding: (headers['content-transfer-encoding'] ?? '7bit').trim().toLowerCase(),
    disposition: disposition.toLowerCase(),
    filename: dispositionParams.filename ?? params.name ?? '',
    contentId: (headers['content-id'] ?? '').trim(),
    size: Math.max(0, end - bodyStart),
    children: [],
  };
  const childPath = (i: number) => (path ? `${path}.${i}` : String(i));
  if (depth >= MAX_DEPTH) {
    if (node.contentType.startsWith('multipart/') || node.contentType === 'message/rfc822') state.truncated = true;
    return node;
  }
  if (node.contentType.startsWith('multipart/') && params.boundary) {
    // RFC 2046 section 5.1.5: a part of a multipart/digest without a Content-Type is a message.
    const childDefault = node.contentType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    for (const [i, [from, to]] of splitMultipart(text, bodyStart, end, params.boundary).entries()) {
      if (state.nodes >= MAX_NODES) {
        state.truncated = true;
        break;
      }
      node.children.push(parsePart(text, from, to, childPath(i + 1), depth + 1, state, childDefault));
    }
  } else if (node.contentType === 'message/rfc822' && state.nodes < MAX_NODES) {
    node.children.push(parsePart(text, bodyStart, end, childPath(1), depth + 1, state, 'text/plain'));
  }
  return node;
}

function readHeaders(text: string, start: number, end: number): { headers: Headers; bodyStart: number } {
  const crlf = text.indexOf('\r\n\r\n', start);
  const lf = text.indexOf('\n\n', start);
  let stop = end;
  let bodyStart = end;
  if (crlf >= 0 && crlf < end && (lf < 0 || crlf < lf)) {
    stop = crlf;
    bodyStart = crlf + 4;
  } else if (lf >= 0 && lf < end) {
    stop = lf;
    bodyStart = lf + 2;
  }
  // A part that starts with a blank line has no headers.
  if (text.startsWith('\r\n', start) || text.startsWith('\n', start)) {
    stop = start;
    bodyStart = start + (text.startsWith('\r\n', start) ? 2 : 1);
  }
  const headers: Headers = {};
  const unfolded = text.slice(start, stop).replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  return { headers, bodyStart };
}

/** `text/html; charset="utf-8"` to `['text/html', { charset: 'utf-8' }]`. */
function parseParams(value: string): [string, Record<string, string>] {
  const [head = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const piece of rest) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const key = piece
      .slice(0, eq)
      .trim()
      .toLowerCase()
      .replace(/\*\d*\*?$/, '');
    let val = piece.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) val = val.slice(1, -1);
    if (!(key in params)) params[key] = val.replace(/^utf-8''/i, '');
  }
  return [head.trim(), params];
}

/** The [start, end) ranges of the parts between `--boundary` lines. */
function splitMultipart(text: string, start: number, end: number, boundary: string): [number, number][] {
  const delimiter = `--${boundary}`;
  const ranges: [number, number][] = [];
  let partStart = -1;
  let pos = start;
  while (pos < end) {
    const at = text.indexOf(delimiter, pos);
    if (at < 0 || at >= end) break;
    const lineStart = at === start || text[at - 1] === '\n';
    if (!lineStart) {
      pos = at + delimiter.length;
      continue;
    }
    // The line break before a delimiter belongs to the delimiter (RFC 2046).
    const partEnd = text[at - 2] === '\r' ? at - 2 : at - 1;
    if (partStart >= 0) ranges.push([partStart, Math.max(partStart, partEnd)]);
    const closing = text.startsWith('--', at + delimiter.length);
    const eol = text.indexOf('\n', at);
    if (closing) return ranges;
    partStart = eol < 0 || eol >= end ? end : eol + 1;
    pos = partStart;
  }
  // A boundary that never closes: the last part runs to the end.
  if (partStart >= 0 && partStart < end) ranges.push([partStart, end]);
  return ranges;
}
