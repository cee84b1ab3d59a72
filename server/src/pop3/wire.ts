const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const CRLF = Buffer.from('\r\n');
const DOT_BYTE = Buffer.from('.');

/**
 * The message as a POP3 multi-line body (RFC 1939 section 3): every line ends in CRLF (a bare LF
 * becomes CRLF, since POP3 clients split on CRLF), a line that starts with "." gets a second one
 * (byte-stuffing), and the last line ends in CRLF even when the raw message did not. The bytes are
 * otherwise exactly the stored raw bytes. The terminating ".\r\n" is not included.
 */
export function toWire(raw: Buffer): Buffer {
  if (isWireReady(raw)) return raw;
  const parts: Buffer[] = [];
  let start = 0;
  while (start < raw.length) {
    const lf = raw.indexOf(LF, start);
    const end = lf === -1 ? raw.length : lf;
    const contentEnd = end > start && raw[end - 1] === CR ? end - 1 : end;
    if (raw[start] === DOT) parts.push(DOT_BYTE);
    parts.push(raw.subarray(start, contentEnd), CRLF);
    start = end + 1;
  }
  return Buffer.concat(parts);
}

/** True when the raw bytes already are a valid multi-line body: CRLF lines, no leading dot. */
function isWireReady(raw: Buffer): boolean {
  if (raw.length === 0) return true;
  if (raw[0] === DOT || raw[raw.length - 1] !== LF) return false;
  for (let lf = raw.indexOf(LF); lf !== -1; lf = raw.indexOf(LF, lf + 1)) {
    if (lf === 0 || raw[lf - 1] !== CR) return false;
    if (raw[lf + 1] === DOT) return false;
  }
  return true;
}

/**
 * The message size POP3 reports (STAT, LIST): the raw size with every line ending counted as CRLF,
 * before byte-stuffing, as RFC 1939 section 11 asks ("the size of the message as it would be
 * transferred", CRLF included). Equal to the raw size for mail that arrived over SMTP with CRLF.
 */
export function wireSize(raw: Buffer): number {
  let size = raw.length;
  for (let lf = raw.indexOf(LF); lf !== -1; lf = raw.indexOf(LF, lf + 1)) {
    if (lf === 0 || raw[lf - 1] !== CR) size++;
  }
  if (raw.length > 0 && raw[raw.length - 1] !== LF) size += 2;
  return size;
}

/**
 * TOP: the header block, the blank line after it, and the first `lines` lines of the body, from the
 * byte-stuffed wire form. A message with no blank line is all headers.
 */
export function top(wire: Buffer, lines: number): Buffer {
  const blank = wire.indexOf('\r\n\r\n');
  if (blank === -1) return wire;
  let end = blank + 4;
  for (let i = 0; i < lines && end < wire.length; i++) {
    const next = wire.indexOf(CRLF, end);
    end = next === -1 ? wire.length : next + 2;
  }
  return wire.subarray(0, end);
}
