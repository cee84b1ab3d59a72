import { decode as decodeQp } from 'libqp';
import { decodeText } from './charset';
import { first, type HeaderMap } from './headers';
import { parseValue } from './header-value';

/** A leaf body in the raw bytes, with the headers that say how it is encoded. */
export interface BodyRange {
  headers: HeaderMap;
  start: number;
  end: number;
}

/**
 * The bytes of up to `sourceBytes` of a body with its transfer encoding (base64, quoted-printable)
 * undone; any other encoding (7bit, 8bit, binary, unknown) is the bytes as they stand.
 */
export function decodeTransfer(raw: Buffer, part: BodyRange, sourceBytes = Infinity): Buffer {
  const encoding = first(part.headers, 'content-transfer-encoding').toLowerCase().trim();
  const source = raw.subarray(part.start, Math.min(part.end, part.start + sourceBytes));
  if (encoding === 'base64') {
    const text = source.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
    // Only a source cut short can end mid-quantum; a whole part's unpadded tail is real data.
    const whole = source.length === part.end - part.start;
    return Buffer.from(whole ? text : text.slice(0, text.length - (text.length % 4)), 'base64');
  }
  if (encoding === 'quoted-printable') return decodeQp(source.toString('latin1'));
  return source;
}

/** The text of up to `sourceBytes` of a body: transfer encoding undone, charset decoded. */
export function decodeBody(raw: Buffer, part: BodyRange, sourceBytes: number): string {
  const charset = parseValue(first(part.headers, 'content-type')).params.charset;
  return decodeText(decodeTransfer(raw, part, sourceBytes), charset);
}
