import type { Message } from '@pigeonhole/shared/schemas/message';
import type { Headers } from '@pigeonhole/shared/schemas/message';
import type { StoredMessage } from '../store/types';
import { checkListUnsubscribe } from '../checks/unsubscribe';
import { deliveryOf } from './delivery';
import { first, headerText, parseHeaders, splitHeader, type HeaderMap } from './mime/headers';
import type { ParsedMessage, ParsedPart } from './parse';

/** The header block of a stored message, by lower-case name. */
export function headerMap(raw: Buffer): HeaderMap {
  return parseHeaders(headerText(raw, 0, splitHeader(raw).headerEnd));
}

/**
 * Go's `textproto.CanonicalMIMEHeaderKey`: `message-id` becomes `Message-Id`. Mailpit's headers route
 * marshals Go's `mail.Header`, so its clients look headers up by these keys.
 */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** Mailpit's `/headers` answer: canonical names, sorted (Go marshals maps sorted), raw values. */
export function headersOf(raw: Buffer): Headers {
  const out: Headers = {};
  const map = headerMap(raw);
  for (const name of [...map.keys()].map(canonicalHeaderName).sort()) out[name] = [];
  for (const [name, values] of map) out[canonicalHeaderName(name)]!.push(...values);
  return out;
}

/**
 * `List-Unsubscribe` as Mailpit reports it: the header, its links (at most one mailto: and one
 * http(s)), and what is wrong with it and with `List-Unsubscribe-Post` (checks/unsubscribe.ts).
 */
export function listUnsubscribe(headers: HeaderMap): Message['ListUnsubscribe'] {
  const header = first(headers, 'list-unsubscribe');
  const post = first(headers, 'list-unsubscribe-post');
  const { links, errors } = checkListUnsubscribe(header, post);
  return { Header: header, Links: links, Errors: errors.join(', '), HeaderPost: post };
}

function publicPart(part: ParsedPart): Message['Attachments'][number] {
  const { PartID, FileName, ContentType, ContentID, Size, Checksums } = part;
  return { PartID, FileName, ContentType, ContentID, Size, Checksums };
}

/**
 * Mailpit's full `Message` from the stored summary (addresses, subject and tags exactly as the list
 * shows them) and the parse (bodies and parts).
 */
export function toMessage(message: StoredMessage, parsed: ParsedMessage): Message {
  const s = message.summary;
  const headers = message.withRaw(headerMap);
  const returnPath = first(headers, 'return-path').replace(/^<|>$/g, '').trim() || message.envelope.mailFrom;
  const delivery = deliveryOf(message.envelope, headers, parsed.report);
  return {
    ID: s.ID,
    MessageID: s.MessageID,
    From: s.From,
    To: s.To,
    Cc: s.Cc,
    Bcc: s.Bcc,
    ReplyTo: s.ReplyTo,
    ReturnPath: returnPath,
    Subject: s.Subject,
    ListUnsubscribe: listUnsubscribe(headers),
    // Mailpit falls back to the time received when the Date header is missing or bad.
    Date: (parsed.date ?? new Date(s.Created)).toISOString(),
    Tags: s.Tags,
    Username: s.Username,
    Text: parsed.text,
    HTML: parsed.html,
    Size: s.Size,
    Inline: parsed.inline.map(publicPart),
    Attachments: parsed.attachments.map(publicPart),
    ...(delivery ? { Delivery: delivery } : {}),
    ...(parsed.events.length > 0 ? { Calendar: parsed.events } : {}),
    ...(s.Via ? { Via: s.Via } : {}),
  };
}

/** The attachment or inline part with this PartID. */
export function findPart(parsed: ParsedMessage, partId: string): ParsedPart | undefined {
  return parsed.attachments.find((p) => p.PartID === partId) ?? parsed.inline.find((p) => p.PartID === partId);
}
