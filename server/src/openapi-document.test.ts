import { RouteTable, type RouteName } from '@pigeonhole/shared/routes';
import { beforeAll, describe, expect, it } from 'vitest';
import { openapiDocument } from './openapi-document';

/**
 * Routes of the table the document leaves out, and why: the WebSocket feeds are not request and
 * answer (Mailpit's own swagger leaves `/api/events` out too), the document does not describe
 * itself, and health checks and UI files are not API.
 */
const UNDOCUMENTED: ReadonlySet<RouteName> = new Set([
  'events',
  'mailhogWebsocket',
  'openapi',
  'swagger',
  'livez',
  'readyz',
  'webUi',
  'webFiles',
  // OPTIONS answers every API path (CORS preflight and `Allow`); it is not an operation of its own.
  'apiOptions',
]);

/** `/api/v1/message/:id/part/:partId` as OpenAPI spells it: `/api/v1/message/{id}/part/{partId}`. */
function openapiPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z]+)/g, '{$1}');
}

type Document = { openapi: string; paths: Record<string, Record<string, unknown>> };

let built: Document;
beforeAll(async () => {
  built = (await openapiDocument()) as Document;
});

/** The document as `npm run build` makes it (server/scripts/openapi.mjs calls the same function). */
describe('the OpenAPI document made at build time', () => {
  it('lists every documented route of the table with its methods, and nothing else', () => {
    expect(built.openapi).toMatch(/^3\./);
    const expected: Record<string, string[]> = {};
    for (const [name, entry] of Object.entries(RouteTable)) {
      if (UNDOCUMENTED.has(name as RouteName)) continue;
      const path = openapiPath(entry.path);
      expected[path] = [...new Set([...(expected[path] ?? []), ...entry.methods.map((m) => m.toLowerCase())])].sort();
    }
    const documented = Object.fromEntries(
      Object.entries(built.paths).map(([path, operations]) => [path, Object.keys(operations).sort()]),
    );
    expect(documented).toEqual(expected);
  });
});
