import type { TranscriptLine } from '../store/types';
import type { ProviderAnswer } from './types';

/** What of an HTTP request the transcript shows. */
export interface RecordedRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: Record<string, string | string[] | undefined>;
  /** The request's fields, in order: JSON flattened to paths, or form fields and files. */
  fields: Array<[path: string, value: string]>;
}

/** Headers that carry credentials: shown as their scheme and a mask, never the secret. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-postmark-server-token',
  'x-postmark-account-token',
  'x-amz-security-token',
  'x-api-key',
  'cookie',
]);

/** Form fields of the older AWS signatures that carry the key or the signature. */
const SECRET_FIELDS = /^(?:AWSAccessKeyId|Signature|X-Amz-Credential|X-Amz-Signature|X-Amz-Security-Token)$/i;

export const MASK = '********';

/** Longest value shown; a longer one (a large HTML body) is cut with a count of what was left out. */
const VALUE_MAX = 2000;

/** Lines kept of a request: a batch of hundreds keeps its first fields and says how many followed. */
const LINES_MAX = 400;

/** A header's value with its secret masked: the scheme (`Bearer`, `Basic`, `AWS4-HMAC-SHA256`) stays. */
export function maskHeader(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name.toLowerCase())) return value;
  const scheme = /^([A-Za-z0-9-]+)[ \t]+\S/.exec(value);
  return scheme ? `${scheme[1]} ${MASK}` : MASK;
}

/** Whether a form field carries a credential. */
export function secretField(name: string): boolean {
  return SECRET_FIELDS.test(name);
}

/** Flattens JSON to `path: value` lines (`personalizations[0].to[0].email`), elided where told. */
export function flattenJson(value: unknown, elide: (path: string) => boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (node: unknown, path: string): void => {
    if (out.length > LINES_MAX) return;
    if (Array.isArray(node)) {
      if (node.length === 0) out.push([path, '[]']);
      node.forEach((item, i) => walk(item, `${path}[${i}]`));
      return;
    }
    if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node);
      if (entries.length === 0 && path) out.push([path, '{}']);
      for (const [key, item] of entries) walk(item, path ? `${path}.${key}` : key);
      return;
    }
    if (typeof node === 'string' && elide(path)) {
      out.push([path, `[attachment content: ${node.length} characters, elided]`]);
      return;
    }
    out.push([path, JSON.stringify(node) ?? 'null']);
  };
  walk(value, '');
  return out;
}

/** A value cut to {@link VALUE_MAX} characters, with line breaks escaped so it stays one line. */
function showValue(value: string): string {
  const cut =
    value.length > VALUE_MAX ? `${value.slice(0, VALUE_MAX)}… (${value.length - VALUE_MAX} more characters)` : value;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

const REASONS: Record<number, string> = { 200: 'OK', 202: 'Accepted' };

/**
 * The HTTP exchange as a transcript: the request line, the headers (secrets masked), a blank line,
 * the fields one a line (attachment contents elided), then the answer's status line, headers and
 * body. `secrets` (the configured API key) are masked wherever else they appear.
 */
export function httpTranscript(
  request: RecordedRequest,
  answer: ProviderAnswer,
  startedAt: number,
  secrets: readonly string[],
): TranscriptLine[] {
  const client: string[] = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) client.push(`${name}: ${maskHeader(name, v)}`);
  }
  client.push('');
  const fields = request.fields.slice(0, LINES_MAX);
  for (const [path, value] of fields) client.push(`${path}: ${showValue(value)}`);
  if (request.fields.length > LINES_MAX) client.push(`[${request.fields.length - LINES_MAX} more fields, elided]`);
  const server: string[] = [`HTTP/${request.httpVersion} ${answer.status} ${REASONS[answer.status] ?? ''}`.trimEnd()];
  for (const [name, value] of Object.entries(answer.headers ?? {})) server.push(`${name}: ${value}`);
  server.push('');
  server.push(showValue(answer.text || answer.xml ? String(answer.body) : JSON.stringify(answer.body)));
  const now = Date.now();
  const scrub = (line: string): string =>
    secrets.reduce((text, secret) => (secret ? text.split(secret).join(MASK) : text), line);
  return [
    ...client.map((line) => ({ at: startedAt, direction: 'client' as const, line: scrub(line) })),
    ...server.map((line) => ({ at: now, direction: 'server' as const, line: scrub(line) })),
  ];
}
