import type { StoredMessage } from '../store/types';
import { mailhogPath } from './mailhog';
import { mailhogTree, type MailHogPart } from './mime/mailhog-tree';

/**
 * Bytes of a message body turned into one JSON piece. A MailHog item carries its message about three
 * times over (`Content.Body`, the parts' bodies, `Raw.Data`), and as one JSON string a 40 MB message
 * became some 130 MB of strings; written a slice at a time, an item costs a few of these slices.
 */
const SLICE_BYTES = 64 * 1024;

/** True for a UTF-8 continuation byte (10xxxxxx). */
function continuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/**
 * Where to cut near `at` so that decoding each side on its own gives exactly what decoding the whole
 * does: before a byte that is not a continuation byte, as a character (or the replacement of a bad
 * sequence) never runs across one. Four continuation bytes in a row cannot belong to one character,
 * so when none is found three bytes back, `at` itself is safe.
 */
function safeCut(raw: Buffer, at: number): number {
  for (let cut = at; cut > at - 4; cut--) if (!continuation(raw[cut])) return cut;
  return at;
}

/** The JSON string of `raw[start, end)` decoded as UTF-8, in pieces; equal to `JSON.stringify(raw.toString(...))`. */
export function* jsonStringOf(raw: Buffer, start: number, end: number, slice = SLICE_BYTES): Generator<string> {
  // At least 4 bytes a slice, so that a cut found up to three bytes back still moves forward.
  const step = Math.max(4, slice);
  yield '"';
  let at = start;
  while (at < end) {
    const next = at + step >= end ? end : safeCut(raw, at + step);
    yield JSON.stringify(raw.toString('utf8', at, next)).slice(1, -1);
    at = next;
  }
  yield '"';
}

function* partJson(
  raw: Buffer,
  part: MailHogPart,
  slice: number,
  size = part.Size,
  withParts = true,
): Generator<string> {
  yield `{"Headers":${JSON.stringify(part.Headers)},"Body":`;
  yield* jsonStringOf(raw, part.bodyStart, part.end, slice);
  yield `,"Size":${size},"MIME":`;
  if (withParts && part.parts) yield* partsJson(raw, part.parts, slice);
  else yield 'null';
  yield '}';
}

function* partsJson(raw: Buffer, parts: MailHogPart[], slice: number): Generator<string> {
  yield '{"Parts":[';
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) yield ',';
    yield* partJson(raw, parts[i]!, slice);
  }
  yield ']}';
}

/**
 * One message in MailHog's `data.Message` shape as JSON pieces: the same text as
 * `JSON.stringify(toMailHog(message))`, written a slice at a time so that no piece holds a whole body.
 */
export function* mailhogJson(message: StoredMessage, slice = SLICE_BYTES): Generator<string> {
  // Kept, not lent: the pieces are written over many turns of the event loop.
  const raw = message.keepRaw();
  const top = mailhogTree(raw);
  const { mailFrom, rcptTo } = message.envelope;
  yield `{"ID":${JSON.stringify(message.id)},"From":${JSON.stringify(mailFrom ? mailhogPath(mailFrom) : null)}`;
  yield `,"To":${JSON.stringify(rcptTo.map(mailhogPath))},"Content":`;
  yield* partJson(raw, top, slice, raw.length, false);
  yield `,"Created":${JSON.stringify(message.summary.Created)},"MIME":`;
  if (top.parts) yield* partsJson(raw, top.parts, slice);
  else yield 'null';
  yield `,"Raw":{"From":${JSON.stringify(mailFrom)},"To":${JSON.stringify(rcptTo)},"Data":`;
  yield* jsonStringOf(raw, 0, raw.length, slice);
  yield `,"Helo":${JSON.stringify(message.session.helo)}}}`;
}

/**
 * MailHog's API v2 list (`{ total, count, start, items }`) as JSON pieces, each item read from the
 * store only when its turn comes. A message deleted meanwhile is written as it is then (empty).
 */
export function* mailhogListJson(
  messages: readonly StoredMessage[],
  total: number,
  start: number,
  slice = SLICE_BYTES,
): Generator<string> {
  yield `{"total":${total},"count":${messages.length},"start":${start},"items":[`;
  for (let i = 0; i < messages.length; i++) {
    if (i > 0) yield ',';
    yield* mailhogJson(messages[i]!, slice);
  }
  yield ']}';
}
