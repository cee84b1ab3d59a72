import { RouteTable, type RouteName } from '@pigeonhole/shared/routes';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openapiDocument } from './openapi-document';
import { startPigeonhole, type Pigeonhole } from './pigeonhole';

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

const running: Pigeonhole[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

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

  it('is served, as `npm run build` wrote it, at /api/v1/openapi.json and /api/v1/swagger.json', async () => {
    const p = await startPigeonhole({ logLevel: 'silent' });
    running.push(p);
    for (const path of ['/api/v1/openapi.json', '/api/v1/swagger.json']) {
      const res = await fetch(`${p.httpUrl}${path}`);
      const body = await res.text();
      // A 404 here says the build has not run (`npm test` runs it first); a difference from the
      // document built above says the build is older than the routes.
      expect(res.status, `${path}: ${body.slice(0, 200)}`).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(JSON.parse(body), `${path} differs from the routes: run npm run build -w server`).toEqual(built);
    }
  });
});
