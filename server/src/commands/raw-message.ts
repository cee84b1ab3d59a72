import addressparser from 'nodemailer/lib/addressparser';
import { splitHeader } from '../mail/mime/headers';

/**
 * A message read from a file or standard input, taken apart just enough to build an SMTP envelope
 * and to add or drop a header, as an MTA's sendmail does. Header bytes are handled as latin1 so that
 * 8-bit bytes survive unchanged; the body is never touched.
 */
export interface RawMessage {
  /** Header fields, each with its continuation lines and line end, as in the input. */
  fields: string[];
  /** The line end the input uses (`\r\n` or `\n`), for headers we add. */
  eol: string;
  /** The blank line and everything after it. */
  rest: Buffer;
}

/** Splits a message into header fields and the rest. */
export function readRawMessage(raw: Buffer): RawMessage {
  const { headerEnd } = splitHeader(raw);
  const header = raw.subarray(0, headerEnd).toString('latin1');
  const eol = /\r\n/.test(header) || (header === '' && raw[0] === 0x0d) ? '\r\n' : '\n';
  const fields: string[] = [];
  for (const line of header.split(/(?<=\n)/)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length > 0) fields[fields.length - 1] += line;
    else if (line !== '') fields.push(line);
  }
  return { fields, eol, rest: raw.subarray(headerEnd) };
}

/** The field's name in lower case (`to`, `bcc`), or empty for a malformed line. */
export function fieldName(field: string): string {
  const colon = field.indexOf(':');
  return colon > 0 ? field.slice(0, colon).trim().toLowerCase() : '';
}

/** The field's value, unfolded. */
export function fieldValue(field: string): string {
  return field
    .slice(field.indexOf(':') + 1)
    .replace(/\r?\n[ \t]/g, ' ')
    .trim();
}

/** Every value of a header. */
export function valuesOf(message: RawMessage, name: string): string[] {
  return message.fields.filter((f) => fieldName(f) === name).map(fieldValue);
}

/** The addresses in these headers (`to`, `cc`, ...), groups flattened, deduplicated. */
export function addressesIn(message: RawMessage, names: string[]): string[] {
  const found = new Set<string>();
  for (const name of names) {
    for (const value of valuesOf(message, name)) {
      for (const { address } of addressparser(value, { flatten: true })) if (address) found.add(address);
    }
  }
  return [...found];
}

/** The message as bytes again. */
export function toBuffer(message: RawMessage): Buffer {
  return Buffer.concat([Buffer.from(message.fields.join(''), 'latin1'), message.rest]);
}
