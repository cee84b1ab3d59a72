import { RouteTable } from '@pigeonhole/shared/routes';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';

type Document = { openapi: string; paths: Record<string, Record<string, unknown>> };

/** The table's methods of each path, as OpenAPI spells the path (`/api/v1/message/{id}`), lower case. */
function tableMethods(): Map<string, Set<string>> {
  const byPath = new Map<string, Set<string>>();
  for (const entry of Object.values(RouteTable)) {
    // The UI's files (GET `/`, `/*`) are not API and not documented; SES's Query API shares `/`.
    if (entry.module === 'http/routes/web.ts') continue;
    const path = entry.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const methods = byPath.get(path) ?? new Set<string>();
    for (const method of entry.methods) methods.add(method.toLowerCase());
    byPath.set(path, methods);
  }
  return byPath;
}

describe('the OpenAPI document', () => {
  it('is served from the build at /api/v1/openapi.json and, as in Mailpit, /api/v1/swagger.json', async () => {
    const p = await start();
    const bodies: string[] = [];
    for (const path of ['/api/v1/openapi.json', '/api/v1/swagger.json']) {
      const res = await fetch(`${p.httpUrl}${path}`);
      const body = await res.text();
      // A 404 says that no build wrote server/dist/openapi.json (`npm test` builds first).
      expect(res.status, `${path}: ${body.slice(0, 200)}`).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      bodies.push(body);
    }
    expect(bodies[1]).toBe(bodies[0]);

    const doc = JSON.parse(bodies[0]!) as Document;
    expect(doc.openapi).toMatch(/^3\./);
    // Every documented path is a route of the table, with the table's methods: a build older
    // than the routes fails here. (server/src/openapi-document.test.ts checks the other way round.)
    const table = tableMethods();
    for (const [path, operations] of Object.entries(doc.paths)) {
      expect(table.has(path), `${path} is not in the route table`).toBe(true);
      expect(new Set(Object.keys(operations)), path).toEqual(table.get(path));
    }
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
  });
});
