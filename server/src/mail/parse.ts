import { createHash } from 'node:crypto';
import { CacheKind } from '../store/message-cache';
import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import type { CalendarEvent, DeliveryReport } from '@pigeonhole/shared/schemas/message';
import { calendarEvents } from './calendar';
import { deliveryReport } from './delivery-report';
import { htmlText, mime } from './mailparser-adapter';
import { decodeTransfer } from './mime/body';
import { decodeText } from './mime/charset';
import { first, headerText, parseHeaders, splitHeader } from './mime/headers';
import { decodeLargePart, LARGE_PART_BYTES, measureLargePart } from './mime/large-parts';
import { mimeModel, type ModelPart } from './mime/model';

/** One attachment or inline part, decoded, with the fields Mailpit lists. */
export interface ParsedPart {
  PartID: string;
  FileName: string;
  ContentType: string;
  ContentID: string;
  Size: number;
  Checksums: { MD5: string; SHA1: string; SHA256: string };
  /** `attachment` or `inline` (what the Content-Disposition said, `attachment` when absent). */
  disposition: string;
  /** The decoded bytes; null for a large part, decoded on request (see {@link partContent}). */
  content: Buffer | null;
  /** A large part's base64 body in the raw message. */
  encoded?: Buffer;
}

/** The decoded bytes of a part. */
export function partContent(part: ParsedPart): Buffer {
  return part.content ?? decodeLargePart(part.encoded ?? Buffer.alloc(0));
}

/** What a full MIME parse gives: the bodies and every part, decoded. */
export interface ParsedMessage {
  text: string;
  html: string;
  /** The Date header, if it parses. */
  date: Date | null;
  attachments: ParsedPart[];
  inline: ParsedPart[];
  /** The events of its text/calendar parts (calendar.ts). */
  events: CalendarEvent[];
  /** What it reports when it is a delivery report (delivery-report.ts); null when it is none. */
  report: DeliveryReport | null;
  /** Rough memory held, for the cache's byte bound. */
  bytes: number;
}

function checksums(content: Buffer): ParsedPart['Checksums'] {
  return {
    MD5: createHash('md5').update(content).digest('hex'),
    SHA1: createHash('sha1').update(content).digest('hex'),
    SHA256: createHash('sha256').update(content).digest('hex'),
  };
}

/** A part of the model, decoded (a large base64 body only measured: decoded again on request). */
function toPart(raw: Buffer, part: ModelPart): ParsedPart {
  const fields = {
    PartID: part.path,
    // Mailpit shows the Content-ID where a part has no file name.
    FileName: part.fileName || part.contentId,
    // The declared type, as Mailpit reports it: never one guessed from the file name.
    ContentType: part.mime,
    ContentID: part.contentId,
    disposition: part.disposition || (part.role === 'inline' ? 'inline' : 'attachment'),
  };
  const base64 = first(part.headers, 'content-transfer-encoding').trim().toLowerCase() === 'base64';
  if (!base64 || part.end - part.start < LARGE_PART_BYTES) {
    const content = Buffer.from(decodeTransfer(raw, part));
    return { ...fields, Size: content.length, Checksums: checksums(content), content };
  }
  const encoded = raw.subarray(part.start, part.end);
  const measured = measureLargePart(encoded);
  return {
    ...fields,
    Size: measured.size,
    Checksums: { MD5: measured.md5, SHA1: measured.sha1, SHA256: measured.sha256 },
    content: null,
    encoded,
  };
}

/** A body's text: transfer encoding and charset undone, format=flowed joined, line ends as LF. */
function bodyOf(raw: Buffer, part: ModelPart): string {
  let text = decodeText(decodeTransfer(raw, part), part.params.charset);
  if (part.mime === 'text/plain' && part.params.format?.toLowerCase() === 'flowed') {
    // libmime drops the line end after the last line; the body had it, so Text keeps it.
    const end = /\r?\n$/.exec(text)?.[0] ?? '';
    text =
      mime()
        .decodeFlowed(text, part.params.delsp?.toLowerCase() === 'yes')
        .replace(/\r?\n$/, '') + end;
  }
  return text.replace(/\r?\n/g, '\n');
}

/**
 * Parses raw bytes fully by the MIME model (mime/model.ts): the text and HTML bodies, every other
 * part decoded as an attachment or inline part. Text is the text/plain body; with none, the HTML's
 * text, as enmime (Mailpit) makes it. HTML is the HTML body only, empty when there is none. Never
 * throws on bad mail: what cannot be parsed is left out.
 */
export async function parseRaw(raw: Buffer): Promise<ParsedMessage> {
  const split = splitHeader(raw);
  const headers = parseHeaders(headerText(raw, 0, split.headerEnd));
  const parts = mimeModel(raw, headers, split.bodyStart);
  const attachments: ParsedPart[] = [];
  const inline: ParsedPart[] = [];
  const calendars: { PartID: string; text: string }[] = [];
  let status: { PartID: string; text: string } | null = null;
  let text: string | null = null;
  let html = '';
  for (const part of parts) {
    if (part.role === 'text') text = bodyOf(raw, part);
    else if (part.role === 'html') html = bodyOf(raw, part);
    else {
      const decoded = toPart(raw, part);
      (part.role === 'inline' ? inline : attachments).push(decoded);
      if (part.mime === 'text/calendar' && decoded.content)
        calendars.push({ PartID: part.path, text: decodeText(decoded.content, part.params.charset) });
      if (DELIVERY_STATUS.has(part.mime) && decoded.content && !status)
        status = { PartID: part.path, text: decoded.content.toString('utf8') };
    }
  }
  text ??= html ? await htmlText(html) : '';
  const returned = parts.find((p) => RETURNED.has(p.mime) && p.within.includes('report'));
  const report = status ? deliveryReport(status.PartID, status.text, returned?.path ?? '') : null;
  const events = await calendarEvents(calendars);
  const date = dateOf(first(headers, 'date'));
  const partBytes = [...attachments, ...inline].reduce((n, p) => n + (p.content?.length ?? 0), 0);
  return {
    text,
    html,
    date,
    attachments,
    inline,
    events,
    report,
    bytes: partBytes + (text.length + html.length) * 2 + 512,
  };
}

/** RFC 3464's report part, and RFC 6533's for internationalised mail. */
const DELIVERY_STATUS = new Set(['message/delivery-status', 'message/global-delivery-status']);
/** The returned message of a report (RFC 6522 section 3), whole or its headers only. */
const RETURNED = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);

/** The Date header as a date, or null when it has none or it does not parse. */
function dateOf(value: string): Date | null {
  if (!value) return null;
  // Comments such as `(UTC)` or `(PDT)` are not part of the date (RFC 5322 CFWS).
  const date = new Date(value.replace(/\([^)]*\)/g, ' ').trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Parses kept: enough for a UI paging through messages; bytes bound the big ones. */
const PARSES = new CacheKind<ParsedMessage>('parse', { maxEntries: 200, maxBytes: 64 * 1024 * 1024 }, (p) => p.bytes);

/**
 * Parses messages on demand and keeps the results in the store's cache, bounded by count and by
 * bytes and dropped with their message, so that opening a message twice costs one parse and a run
 * through many messages cannot grow memory. The ingest path never calls this: mailparser on every
 * message would halve the ingest rate.
 */
export class MessageParser {
  readonly #store: MessageStore;
  readonly #pending = new Map<string, Promise<ParsedMessage>>();

  constructor(store: MessageStore) {
    this.#store = store;
  }

  /** The parsed message, from the cache or parsed now (concurrent callers share one parse). */
  parse(message: StoredMessage): Promise<ParsedMessage> {
    const cache = this.#store.cache(PARSES);
    const cached = cache.get(message.id);
    if (cached) return Promise.resolve(cached);
    let pending = this.#pending.get(message.id);
    if (!pending) {
      pending = parseRaw(message.keepRaw())
        .catch(() => emptyParse())
        .then((parsed) => {
          this.#pending.delete(message.id);
          // Deleted while it was parsed: not kept for a message that is gone.
          return this.#store.get(message.id) === message ? cache.remember(message.id, parsed) : parsed;
        });
      this.#pending.set(message.id, pending);
    }
    return pending;
  }
}

function emptyParse(): ParsedMessage {
  return { text: '', html: '', date: null, attachments: [], inline: [], events: [], report: null, bytes: 64 };
}
