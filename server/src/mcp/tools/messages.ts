// The tools that list, read, mark and delete caught mail.
import { MAX_QUERY_LENGTH } from '@pigeonhole/shared/schemas/messages';
import { htmlText } from '@pigeonhole/shared/mail-helpers';
import { z } from 'zod';
import { clip, compactHeaders, compactPart, compactSummary, jsonResult } from '../format';
import { HEADERS_MAX_CHARS, IDS_MAX, LIST_DEFAULT, LIST_MAX, TEXT_DEFAULT_CHARS, TEXT_MAX_CHARS } from '../limits';
import { SEARCH_SYNTAX } from '../search-syntax';
import { defineTool, ToolError } from '../tool';

/** A message ID as the API hands them out; `latest` is the newest message. */
export const messageId = z
  .string()
  .min(1)
  .max(200)
  .describe('A message ID from list_messages or wait_for_message, or "latest" for the newest message');

const query = z.string().max(MAX_QUERY_LENGTH);

export const listMessages = defineTool({
  name: 'list_messages',
  title: 'List or search caught mail',
  description:
    'List the mail Pigeonhole caught, newest first, or search it. Returns compact summaries (id, from, to, ' +
    'subject, received, read, snippet), never bodies: use get_message for one message. ' +
    SEARCH_SYNTAX,
  input: z.object({
    query: query.optional().describe('Search query (syntax above); empty or absent lists everything'),
    limit: z.number().int().min(1).max(LIST_MAX).default(LIST_DEFAULT).describe(`How many (at most ${LIST_MAX})`),
    start: z.number().int().min(0).max(1_000_000).default(0).describe('Skip this many (paging)'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run({ query: q, limit, start }, client) {
    const list = q?.trim() ? await client.search(q, { limit, start }) : await client.messages({ limit, start });
    return jsonResult({
      total: list.total,
      unread: list.unread,
      matched: list.messages_count,
      start: list.start,
      messages: list.messages.map(compactSummary),
    });
  },
});

export const getMessage = defineTool({
  name: 'get_message',
  title: 'Read one message',
  description:
    'Read one message: its main headers, the plain text (cut at maxLength characters), and its attachments ' +
    'listed with their partId (get_attachment fetches one). The HTML body is left out unless asked: ' +
    'html "text" gives the text a reader sees, "raw" the HTML source. Reading marks the message read, ' +
    'as in Mailpit. For links or a one-time code, get_links and get_code are shorter.',
  input: z.object({
    id: messageId,
    html: z.enum(['none', 'text', 'raw']).default('none').describe('Include the HTML body: none, as text, or raw'),
    headers: z.enum(['main', 'all']).default('main').describe('"all" adds every header of the message'),
    maxLength: z
      .number()
      .int()
      .min(100)
      .max(TEXT_MAX_CHARS)
      .default(TEXT_DEFAULT_CHARS)
      .describe('Characters of each body part returned'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ id, html, headers, maxLength }, client) {
    const m = await client.get(id);
    const rest = (form: string) => `ask again with a larger maxLength, or read pigeonhole://message/${m.ID}/${form}`;
    const out: Record<string, unknown> = {
      ...compactHeaders(m),
      text: clip(m.Text || (m.HTML ? htmlText(m.HTML) : ''), maxLength, rest('text')),
    };
    if (!m.Text && m.HTML) out.textFromHtml = true;
    if (html === 'text' && m.HTML) out.html = clip(htmlText(m.HTML), maxLength, rest('html'));
    if (html === 'raw' && m.HTML) out.html = clip(m.HTML, maxLength, rest('html'));
    out.attachments = [
      ...m.Attachments.map((p) => compactPart(p, false)),
      ...m.Inline.map((p) => compactPart(p, true)),
    ];
    if (headers === 'all') {
      out.allHeaders = clip(JSON.stringify(await client.headers(m.ID)), HEADERS_MAX_CHARS, 'see the raw source');
    }
    return jsonResult(out);
  },
});

const target = {
  ids: z.array(z.string().min(1).max(200)).min(1).max(IDS_MAX).optional().describe('These message IDs'),
  query: query.min(1).optional().describe(`Every message matching this search instead. ${SEARCH_SYNTAX}`),
};

/** The IDs or the query of a mark or delete call, exactly one of them. */
function oneTarget(args: { ids?: string[] | undefined; query?: string | undefined }): string | null {
  if (args.ids && args.query) return 'Give ids or query, not both';
  if (!args.ids && !args.query?.trim()) return 'Give ids or a non-empty query (delete_all_messages deletes everything)';
  return null;
}

export const markRead = defineTool({
  name: 'mark_read',
  title: 'Mark messages read or unread',
  description:
    'Mark messages read (or unread with read: false): the given ids, or every message matching query. ' +
    'Handy with is:unread in queries, to tell new mail from mail already handled.',
  input: z.object({ ...target, read: z.boolean().default(true).describe('false marks them unread') }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, client) {
    const problem = oneTarget(args);
    if (problem) throw new ToolError(problem);
    await client.setRead(args.read, args.ids ? { ids: args.ids } : { search: args.query! });
    return jsonResult({ ok: true, read: args.read });
  },
});

export const deleteMessages = defineTool({
  name: 'delete_messages',
  title: 'Delete messages',
  description: 'Delete the given message ids, or every message matching query. Cannot be undone.',
  input: z.object(target),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(args, client) {
    const problem = oneTarget(args);
    if (problem) throw new ToolError(problem);
    if (args.ids) await client.delete(args.ids);
    else await client.deleteSearch(args.query!);
    const left = await client.messages({ limit: 1 });
    return jsonResult({ ok: true, remaining: left.total });
  },
});

export const deleteAll = defineTool({
  name: 'delete_all_messages',
  title: 'Delete all messages',
  description:
    'Delete every caught message, e.g. before a test flow so that wait_for_message sees only new mail. ' +
    'Cannot be undone; other users of this Pigeonhole lose their mail too.',
  input: z.object({}),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(_args, client) {
    await client.clear();
    return jsonResult({ ok: true, remaining: 0 });
  },
});
