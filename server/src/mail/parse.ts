import { createHash } from 'node:crypto';
import { CacheKind } from '../store/message-cache';
import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import { MAILPARSER_MAX_PARTS, mailparserParse, type MailparserAttachment } from './mailparser-adapter';
import { decodeLargePart, elideLargeParts, measureLargePart, type LargePart } from './mime/large-parts';

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

function toPart(a: MailparserAttachment, fallbackId: string, large: LargePart | undefined): ParsedPart {
  const contentId = (a.contentId ?? '').replace(/^<|>$/g, '');
  const part = {
    PartID: a.partId ?? fallbackId,
    // Mailpit shows the Content-ID where a part has no file name.
    FileName: a.filename ?? contentId,
    ContentType: a.contentType,
    ContentID: contentId,
    disposition: (a.contentDisposition ?? 'attachment').toLowerCase(),
  };
  if (!large) return { ...part, Size: a.content.length, Checksums: checksums(a.content), content: a.content };
  const measured = measureLargePart(large.encoded);
  return {
    ...part,
    Size: measured.size,
    Checksums: { MD5: measured.md5, SHA1: measured.sha1, SHA256: measured.sha256 },
    content: null,
    encoded: large.encoded,
  };
}

/** The large part a mailparser attachment stands for: its content is that part's marker. */
function largePartOf(a: MailparserAttachment, large: LargePart[]): LargePart | undefined {
  if (large.length === 0 || a.content.length > 64) return undefined;
  const text = a.content.toString('latin1');
  return large.find((part) => part.marker === text);
}

/**
 * Inline or attachment, as Mailpit (enmime) sorts them: a part marked `inline`, or one inside
 * multipart/related with a Content-ID, is inline; every other part with a name or a Content-ID is an
 * attachment.
 */
function isInline(a: MailparserAttachment): boolean {
  const disposition = (a.contentDisposition ?? '').toLowerCase();
  if (disposition === 'attachment') return false;
  return disposition === 'inline' || Boolean(a.related && a.contentId);
}

/** Parses raw bytes fully with mailparser. Never throws on bad mail: what cannot be parsed is left out. */
export async function parseRaw(raw: Buffer): Promise<ParsedMessage> {
  // Large parts are looked for among as many parts as mailparser builds nodes for.
  const elided = elideLargeParts(raw, MAILPARSER_MAX_PARTS);
  const large = elided?.parts ?? [];
  const mail = await mailparserParse(elided?.skeleton ?? raw);
  const attachments: ParsedPart[] = [];
  const inline: ParsedPart[] = [];
  mail.attachments.forEach((a, i) => {
    const part = toPart(a, String(i + 1), largePartOf(a, large));
    if (isInline(a)) inline.push(part);
    else if (a.filename || a.contentId || a.contentDisposition === 'attachment' || !a.contentType.startsWith('text/'))
      attachments.push(part);
  });
  const text = mail.text ?? '';
  const html = typeof mail.html === 'string' ? mail.html : '';
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null;
  const partBytes = [...attachments, ...inline].reduce((n, p) => n + (p.content?.length ?? 0), 0);
  return { text, html, date, attachments, inline, bytes: partBytes + (text.length + html.length) * 2 + 512 };
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
  return { text: '', html: '', date: null, attachments: [], inline: [], bytes: 64 };
}
