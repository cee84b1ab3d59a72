// Messages as MCP resources: `pigeonhole://message/{id}` (the compact view) and its raw, HTML and
// text forms, its parts, and the newest messages as a list.
import { htmlText } from '@pigeonhole/shared/mail-helpers';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { clip, compactHeaders, compactPart, compactSummary } from './format';
import { RESOURCE_LIST_MAX, RESOURCE_MAX_BYTES, TEXT_MAX_CHARS } from './limits';
import type { McpBackend, RequestExtra } from './tool';
import { ToolError } from './tool';
import { messageUri } from './uris';

/** A template variable as given (the SDK leaves it URL-encoded). */
function variable(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function text(uri: URL, mimeType: string, body: string): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType, text: body }] };
}

/** Registers the message resources, reading through the backend's typed client. */
export function registerResources(server: McpServer, backend: McpBackend): void {
  const newest = async (extra: RequestExtra) => {
    const list = await backend.client(extra).messages({ limit: RESOURCE_LIST_MAX });
    return list.messages;
  };

  server.registerResource(
    'messages',
    'pigeonhole://messages',
    {
      title: 'Newest caught messages',
      description: `The ${RESOURCE_LIST_MAX} newest messages as compact summaries (JSON)`,
      mimeType: 'application/json',
    },
    async (uri, extra) => text(uri, 'application/json', JSON.stringify((await newest(extra)).map(compactSummary))),
  );

  server.registerResource(
    'message',
    new ResourceTemplate('pigeonhole://message/{id}', {
      list: async (extra) => ({
        resources: (await newest(extra)).map((m) => ({
          uri: messageUri(m.ID),
          name: m.Subject || '(no subject)',
          description: `From ${m.From?.Address ?? '?'} to ${m.To.map((a) => a.Address).join(', ')}, ${m.Created}`,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: 'A caught message',
      description: 'Headers, plain text and the list of attachments of one message, as JSON (marks it read)',
      mimeType: 'application/json',
    },
    async (uri, { id }, extra) => {
      const m = await backend.client(extra).get(variable(id));
      const body = {
        ...compactHeaders(m),
        text: clip(m.Text, TEXT_MAX_CHARS, `read ${messageUri(m.ID, 'raw')}`),
        attachments: [...m.Attachments.map((p) => compactPart(p, false)), ...m.Inline.map((p) => compactPart(p, true))],
      };
      return text(uri, 'application/json', JSON.stringify(body));
    },
  );

  server.registerResource(
    'message-raw',
    new ResourceTemplate('pigeonhole://message/{id}/raw', { list: undefined }),
    { title: 'Raw source of a message', description: 'The message exactly as received', mimeType: 'message/rfc822' },
    async (uri, { id }, extra) => {
      const bytes = await backend.client(extra).raw(variable(id));
      const shown = bytes.subarray(0, RESOURCE_MAX_BYTES);
      const note = bytes.length > shown.length ? `\n[... cut at ${shown.length} of ${bytes.length} bytes]` : '';
      return text(uri, 'message/rfc822', new TextDecoder().decode(shown) + note);
    },
  );

  server.registerResource(
    'message-html',
    new ResourceTemplate('pigeonhole://message/{id}/html', { list: undefined }),
    {
      title: 'HTML body of a message',
      description: 'The HTML part as sent (hostile: never render it with scripts)',
      mimeType: 'text/html',
    },
    async (uri, { id }, extra) => {
      const m = await backend.client(extra).get(variable(id));
      return text(uri, 'text/html', clip(m.HTML, RESOURCE_MAX_BYTES, 'the source is longer'));
    },
  );

  server.registerResource(
    'message-text',
    new ResourceTemplate('pigeonhole://message/{id}/text', { list: undefined }),
    {
      title: 'Text of a message',
      description: 'The plain-text part, or the text of the HTML part',
      mimeType: 'text/plain',
    },
    async (uri, { id }, extra) => {
      const m = await backend.client(extra).get(variable(id));
      return text(uri, 'text/plain', clip(m.Text || htmlText(m.HTML), RESOURCE_MAX_BYTES, 'the text is longer'));
    },
  );

  server.registerResource(
    'message-part',
    new ResourceTemplate('pigeonhole://message/{id}/part/{partId}', { list: undefined }),
    {
      title: 'An attachment of a message',
      description: `Its decoded bytes (at most ${RESOURCE_MAX_BYTES / 1024 / 1024} MB)`,
    },
    async (uri, { id, partId }, extra) => {
      const client = backend.client(extra);
      const m = await client.get(variable(id));
      const part = [...m.Attachments, ...m.Inline].find((p) => p.PartID === variable(partId));
      if (!part) throw new ToolError(`Message ${m.ID} has no part ${variable(partId)}`);
      if (part.Size > RESOURCE_MAX_BYTES) {
        throw new ToolError(
          `Part ${part.PartID} is ${part.Size} bytes, more than the ${RESOURCE_MAX_BYTES} a resource may carry`,
        );
      }
      const { bytes, contentType } = await client.part(m.ID, part.PartID);
      const mimeType = contentType.split(';')[0]!.trim() || 'application/octet-stream';
      return { contents: [{ uri: uri.href, mimeType, blob: Buffer.from(bytes).toString('base64') }] };
    },
  );
}
