// The tools that read what an agent acts on in a message: its links, its one-time code, its files.
import { code, links } from '@pigeonhole/shared/mail-helpers';
import type { Attachment } from '@pigeonhole/shared/schemas/message';
import { z } from 'zod';
import { compactPart, jsonResult } from '../format';
import { INLINE_IMAGE_MAX_BYTES, INLINE_TEXT_MAX_BYTES, LINK_MAX_CHARS, LINKS_MAX } from '../limits';
import { partUri } from '../uris';
import { defineTool, ToolError } from '../tool';
import { messageId } from './messages';

export const getLinks = defineTool({
  name: 'get_links',
  title: 'Get the links of a message',
  description:
    'The absolute links of a message (HTML hrefs, then URLs in its text), deduplicated, in order. Use contains ' +
    'to pick one, e.g. "confirm" or "/verify". Pigeonhole never opens them; following one is up to you.',
  input: z.object({
    id: messageId,
    contains: z.string().max(200).optional().describe('Only links containing this text (case-insensitive)'),
    limit: z.number().int().min(1).max(LINKS_MAX).default(50),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run({ id, contains, limit }, client) {
    const m = await client.get(id);
    const all = links(m);
    const wanted = contains ? all.filter((l) => l.toLowerCase().includes(contains.toLowerCase())) : all;
    return jsonResult({
      id: m.ID,
      subject: m.Subject,
      count: wanted.length,
      links: wanted.slice(0, limit).map((l) => (l.length > LINK_MAX_CHARS ? `${l.slice(0, LINK_MAX_CHARS)}...` : l)),
    });
  },
});

export const getCode = defineTool({
  name: 'get_code',
  title: 'Get the one-time code of a message',
  description:
    'The one-time code (OTP, PIN, verification code) in a message: a number of `digits` digits standing alone ' +
    '(not part of a date, a longer number or a link), from the text or else the HTML; when several fit, the one ' +
    'right after a word like "code" or "verification" wins. An error result, quoting the text, when there is none.',
  input: z.object({ id: messageId, digits: z.number().int().min(4).max(10).default(6) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run({ id, digits }, client) {
    const m = await client.get(id);
    try {
      return jsonResult({ id: m.ID, subject: m.Subject, code: code(m, { digits }) });
    } catch (err) {
      throw new ToolError((err as Error).message);
    }
  },
});

/** Types whose bytes are text an agent can read. */
const TEXT_TYPE = /^(text\/|application\/(json|xml|javascript|x-yaml|yaml|csv)\b|[^;]*\+(json|xml)\b)/i;
/** Image types an agent host shows (SVG is XML text, and hostile: it goes as text or a link). */
const IMAGE_TYPE = /^image\/(png|jpeg|gif|webp)\b/i;

export const getAttachment = defineTool({
  name: 'get_attachment',
  title: 'Get an attachment',
  description:
    'An attachment or inline part by the partId get_message lists. Small text files (up to ' +
    `${INLINE_TEXT_MAX_BYTES / 1024} KB: .txt, .csv, .json, .ics, ...) come back as text, small images (up to ` +
    `${INLINE_IMAGE_MAX_BYTES / 1024} KB) as an image, anything else as a resource link ` +
    '(pigeonhole://message/{id}/part/{partId}) to read if you need the bytes.',
  input: z.object({ id: messageId, partId: z.string().min(1).max(100).describe('The partId from get_message') }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run({ id, partId }, client) {
    const m = await client.get(id);
    const parts: [Attachment, boolean][] = [
      ...m.Attachments.map((p): [Attachment, boolean] => [p, false]),
      ...m.Inline.map((p): [Attachment, boolean] => [p, true]),
    ];
    const found = parts.find(([p]) => p.PartID === partId);
    if (!found) {
      const known = parts.map(([p]) => `${p.PartID} (${p.FileName || p.ContentType})`).join(', ') || 'none';
      throw new ToolError(`Message ${m.ID} has no part ${partId}; its parts are: ${known}`);
    }
    const [part, inline] = found;
    const about = { type: 'text' as const, text: JSON.stringify(compactPart(part, inline)) };
    if (TEXT_TYPE.test(part.ContentType) && part.Size <= INLINE_TEXT_MAX_BYTES) {
      const { bytes } = await client.part(m.ID, partId);
      return { content: [about, { type: 'text', text: new TextDecoder().decode(bytes) }] };
    }
    if (IMAGE_TYPE.test(part.ContentType) && part.Size <= INLINE_IMAGE_MAX_BYTES) {
      const { bytes } = await client.part(m.ID, partId);
      const mimeType = part.ContentType.split(';')[0]!.trim().toLowerCase();
      return { content: [about, { type: 'image', data: Buffer.from(bytes).toString('base64'), mimeType }] };
    }
    return {
      content: [
        about,
        {
          type: 'resource_link',
          uri: partUri(m.ID, partId),
          name: part.FileName || `part ${partId}`,
          mimeType: part.ContentType.split(';')[0]!.trim() || 'application/octet-stream',
          size: part.Size,
        },
      ],
    };
  },
});
