import { decode as decodeQp } from 'libqp';
import { decodeCharset } from '../mailparser-adapter';
import { first, type HeaderMap } from './headers';
import { parseValue } from './header-value';

/** A leaf body in the raw bytes, with the headers that say how it is encoded. */
export interface BodyRange {
  headers: HeaderMap;
  start: number;
  end: number;
}

/**
 * The text of up to `sourceBytes` of a body: its transfer encoding (base64, quoted-printable) undone
 * and its charset decoded.
 */
export function decodeBody(raw: Buffer, part: BodyRange, sourceBytes: number): string {
  const encoding = first(part.headers, 'content-transfer-encoding').toLowerCase().trim();
  const charset = parseValue(first(part.headers, 'content-type')).params.charset ?? 'utf-8';
  const source = raw.subarray(part.start, Math.min(part.end, part.start + sourceBytes));
  let bytes: Buffer;
  if (encoding === 'base64') {
    const text = source.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
    // Only a source cut short can end mid-quantum; a whole part's unpadded tail is real data.
    const whole = source.length === part.end - part.start;
    bytes = Buffer.from(whole ? text : text.slice(0, text.length - (text.length % 4)), 'base64');
  } else if (encoding === 'quoted-printable') {
    bytes = decodeQp(source.toString('latin1'));
  } else {
    bytes = source;
  }
  // Most mail is UTF-8: libmime would normalise the charset name with regular expressions first.
  if (/^utf-?8$/i.test(charset)) return bytes.toString('utf8');
  try {
    return decodeCharset(bytes, charset);
  } catch {
    return bytes.toString('utf8');
  }
}
