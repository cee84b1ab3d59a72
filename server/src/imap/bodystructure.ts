import addressparser from 'nodemailer/lib/addressparser';
import { first, type HeaderMap } from '../mail/mime/headers';
import { parseValue } from '../mail/mime/header-value';
import { flat, list, nstr, str, type Piece } from './format';
import type { ImapPart } from './mime-tree';

/**
 * BODYSTRUCTURE and ENVELOPE (RFC 3501 section 7.4.2) from the MIME tree. One function per response
 * item, each taking the parsed tree only, so that a different MIME model can feed them unchanged.
 */

/** Characters of one address header handed to addressparser: 1,000 recipients of 60 characters fit. */
const ADDRESS_HEADER_MAX = 64 * 1024;

function lines(raw: Buffer, start: number, end: number): number {
  let count = 0;
  for (let at = raw.indexOf(0x0a, start); at !== -1 && at < end; at = raw.indexOf(0x0a, at + 1)) count++;
  // A last line without a line end counts too.
  if (end > start && raw[end - 1] !== 0x0a) count++;
  return count;
}

function params(values: Record<string, string>, skip: string[] = []): Piece | Piece[] {
  const entries = Object.entries(values).filter(([key]) => !skip.includes(key));
  if (entries.length === 0) return 'NIL';
  return list(entries.flatMap(([key, value]) => [str(key.toUpperCase()), str(value)]));
}

function disposition(headers: HeaderMap): Piece | Piece[] {
  const value = first(headers, 'content-disposition');
  if (!value) return 'NIL';
  const parsed = parseValue(value);
  const values: Record<string, string> = {};
  for (const [key, v] of Object.entries(parsed.params)) if (v !== undefined) values[key.toLowerCase()] = v;
  return list(flat([str(parsed.value.toLowerCase() || 'attachment'), params(values)]));
}

function headerOrNil(headers: HeaderMap, name: string): Piece {
  const value = first(headers, name);
  return value ? str(value) : 'NIL';
}

/**
 * BODYSTRUCTURE of a part (with extension data) or BODY (without), as RFC 3501 section 7.4.2
 * describes: for a multipart, its parts and subtype; for any other part, type, subtype, parameters,
 * ID, description, transfer encoding and size in octets, with the line count for text and the
 * envelope, structure and line count for message/rfc822.
 */
export function bodyStructure(raw: Buffer, part: ImapPart, extended: boolean): Piece[] {
  if (part.type === 'multipart' && part.children.length > 0) {
    const items: (Piece | Piece[])[] = [
      ...part.children.map((child) => bodyStructure(raw, child, extended)),
      ' ',
      str(part.subtype),
    ];
    if (extended) {
      const language = headerOrNil(part.headers, 'content-language');
      items.push(' ', params(part.params), ' ', disposition(part.headers), ' ', language, ' ');
      items.push(headerOrNil(part.headers, 'content-location'));
    }
    return ['(', ...flat(items), ')'];
  }
  const size = part.end - part.bodyStart;
  const encoding = first(part.headers, 'content-transfer-encoding').toLowerCase() || '7bit';
  const typeParams =
    part.type === 'text' && !part.params.charset ? { charset: 'us-ascii', ...part.params } : part.params;
  const fields: (Piece | Piece[])[] = [
    str(part.type),
    str(part.subtype),
    params(typeParams),
    headerOrNil(part.headers, 'content-id'),
    headerOrNil(part.headers, 'content-description'),
    str(encoding),
    String(size),
  ];
  if (part.message) {
    fields.push(
      envelope(part.message.headers),
      bodyStructure(raw, part.message, extended),
      String(lines(raw, part.bodyStart, part.end)),
    );
  } else if (part.type === 'text') {
    fields.push(String(lines(raw, part.bodyStart, part.end)));
  }
  if (extended) {
    fields.push(
      headerOrNil(part.headers, 'content-md5'),
      disposition(part.headers),
      headerOrNil(part.headers, 'content-language'),
      headerOrNil(part.headers, 'content-location'),
    );
  }
  return spaced(fields);
}

/** A parenthesised list of fields, each a piece or a list of pieces. */
function spaced(fields: (Piece | Piece[])[]): Piece[] {
  const out: Piece[] = ['('];
  fields.forEach((field, i) => {
    if (i > 0) out.push(' ');
    if (Array.isArray(field)) out.push(...field);
    else out.push(field);
  });
  out.push(')');
  return out;
}

interface ParsedAddress {
  name: string;
  address: string;
}

function addresses(headers: HeaderMap, name: string): ParsedAddress[] | null {
  const values = headers.get(name);
  if (!values || values.length === 0) return null;
  const out: ParsedAddress[] = [];
  try {
    for (const entry of addressparser(values.join(', ').slice(0, ADDRESS_HEADER_MAX), { flatten: true })) {
      out.push({ name: entry.name, address: entry.address ?? '' });
    }
  } catch {
    return null;
  }
  return out.length > 0 ? out : null;
}

function addressList(list: ParsedAddress[] | null): Piece | Piece[] {
  if (!list) return 'NIL';
  const items: Piece[] = ['('];
  for (const a of list) {
    const at = a.address.lastIndexOf('@');
    const mailbox = at === -1 ? a.address : a.address.slice(0, at);
    const host = at === -1 ? '' : a.address.slice(at + 1);
    items.push(
      ...spaced([a.name ? str(a.name) : 'NIL', 'NIL', mailbox ? str(mailbox) : 'NIL', host ? str(host) : 'NIL']),
    );
  }
  items.push(')');
  return items;
}

/**
 * ENVELOPE of a message's headers: date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to
 * and message-id, values as written (clients decode RFC 2047 words themselves). Sender and Reply-To
 * default to From, as the RFC requires of servers.
 */
export function envelope(headers: HeaderMap): Piece[] {
  const from = addresses(headers, 'from');
  return spaced([
    headerOrNil(headers, 'date'),
    nstr(headers.get('subject')?.[0]),
    addressList(from),
    addressList(addresses(headers, 'sender') ?? from),
    addressList(addresses(headers, 'reply-to') ?? from),
    addressList(addresses(headers, 'to')),
    addressList(addresses(headers, 'cc')),
    addressList(addresses(headers, 'bcc')),
    headerOrNil(headers, 'in-reply-to'),
    headerOrNil(headers, 'message-id'),
  ]);
}
