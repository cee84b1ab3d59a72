// Compact views of messages for agents: summaries, not whole bodies, unless asked.
import type { Address } from '@pigeonhole/shared/schemas/common';
import type { Attachment, Message } from '@pigeonhole/shared/schemas/message';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** `Name <address>`, or the address alone. */
export function address(a: Address | null | undefined): string {
  if (!a) return '';
  return a.Name ? `${a.Name} <${a.Address}>` : a.Address;
}

/** One message in a list: who, what, when, and whether it was read. */
export function compactSummary(m: MessageSummary): Record<string, unknown> {
  return {
    id: m.ID,
    from: address(m.From),
    to: m.To.map(address),
    ...(m.Cc.length ? { cc: m.Cc.map(address) } : {}),
    ...(m.Bcc.length ? { bcc: m.Bcc.map(address) } : {}),
    subject: m.Subject,
    received: m.Created,
    read: m.Read,
    size: m.Size,
    attachments: m.Attachments,
    ...(m.Tags.length ? { tags: m.Tags } : {}),
    snippet: m.Snippet,
  };
}

/** An attachment or inline part as an agent needs it to ask for it. */
export function compactPart(p: Attachment, inline: boolean): Record<string, unknown> {
  return {
    partId: p.PartID,
    filename: p.FileName,
    contentType: p.ContentType,
    size: p.Size,
    ...(inline ? { inline: true, contentId: p.ContentID } : {}),
  };
}

/**
 * The first `max` characters of `text`, with a note of what was left out and where the rest is.
 * Cut at a code point, never inside a surrogate pair.
 */
export function clip(text: string, max: number, rest: string): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}\n[... cut at ${end} of ${text.length} characters; ${rest}]`;
}

/** The message's headers that an agent usually wants, besides the body. */
export function compactHeaders(m: Message): Record<string, unknown> {
  return {
    id: m.ID,
    messageId: m.MessageID,
    from: address(m.From),
    to: m.To.map(address),
    ...(m.Cc.length ? { cc: m.Cc.map(address) } : {}),
    ...(m.Bcc.length ? { bcc: m.Bcc.map(address) } : {}),
    ...(m.ReplyTo.length ? { replyTo: m.ReplyTo.map(address) } : {}),
    subject: m.Subject,
    date: m.Date,
    size: m.Size,
    ...(m.Tags.length ? { tags: m.Tags } : {}),
    hasHtml: m.HTML !== '',
    hasText: m.Text !== '',
  };
}

/** A tool result of one JSON text block. Compact JSON: indentation costs an agent tokens. */
export function jsonResult(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}

/** A tool result that reports a failure the agent can act on (MCP's `isError`, not a protocol error). */
export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}
