import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RouteTable, type RouteEntry } from '@pigeonhole/shared/routes';
import { afterAll, describe, expect, it } from 'vitest';
import { createFastify, pigeonholeApp } from '../app';
import { DEFAULTS, resolveConfig } from '../config';
import { createLogger } from '../logger';
import { MessageStore } from '../store/store';

/** A route as fastify registered it, with the names of the plugins it was registered in. */
interface Registered {
  method: string;
  url: string;
  plugins: string[];
}

/** The function names a module exports (a route plugin, or the factory of one), by module. */
type ExportedNames = (module: string) => Promise<Set<string> | null>;

const SRC = new URL('../', import.meta.url);

/** Exports of `server/src/<module>`, or null when there is no such file. */
const exportedNames: ExportedNames = async (module) => {
  const file = new URL(module, SRC);
  if (!existsSync(file)) return null;
  const exports = (await import(/* @vite-ignore */ fileURLToPath(file))) as Record<string, unknown>;
  return new Set(
    Object.values(exports)
      .filter((value): value is (...args: never[]) => unknown => typeof value === 'function')
      .map((fn) => fn.name),
  );
};

/** The entries a registered route belongs to: same path and method, or under a `/*` entry's prefix. */
function entriesOf(table: Record<string, RouteEntry>, route: Registered): [string, RouteEntry][] {
  const all = Object.entries(table).filter(([, e]) => e.methods.some((m) => m === route.method));
  const exact = all.filter(([, e]) => e.path === route.url);
  if (exact.length > 0) return exact;
  return all.filter(([, e]) => e.path.endsWith('/*') && route.url.startsWith(e.path.slice(0, -1)));
}

/**
 * Everything on which the table and the registered routes disagree, each said in a sentence. HEAD
 * is left out on both sides: fastify adds it for every GET (and @fastify/static registers it with
 * its GET), so it says nothing about the table.
 */
async function drift(
  table: Record<string, RouteEntry>,
  registered: readonly Registered[],
  exportsOf: ExportedNames,
): Promise<string[]> {
  const problems: string[] = [];
  const routes = registered.filter((r) => r.method !== 'HEAD');
  const claimed = new Set<string>();
  for (const route of routes) {
    const entries = entriesOf(table, route);
    if (entries.length === 0) {
      const samePath = Object.keys(table).filter((name) => table[name]!.path === route.url);
      problems.push(
        samePath.length > 0
          ? `${route.method} ${route.url} is registered, but the table's ${samePath.join(', ')} lists ${samePath.map((n) => table[n]!.methods.join('/')).join(', ')}`
          : `${route.method} ${route.url} is registered but missing from the route table`,
      );
      continue;
    }
    for (const [name, entry] of entries) {
      const names = await exportsOf(entry.module);
      const byModule = names !== null && route.plugins.some((plugin) => names.has(plugin));
      // A `/*` entry covers only what its own module registers (the UI's files), not any path.
      if (entry.path !== route.url && !byModule) {
        problems.push(`${route.method} ${route.url} is registered but missing from the route table`);
        continue;
      }
      claimed.add(`${name} ${route.method}`);
      if (!names) problems.push(`${name}: module ${entry.module} does not exist under server/src/`);
      else if (!byModule) {
        problems.push(
          `${name}: ${route.method} ${route.url} is registered by plugin ${route.plugins.join(' -> ')}, which ${entry.module} does not export`,
        );
      }
    }
  }
  for (const [name, entry] of Object.entries(table)) {
    for (const method of entry.methods) {
      if (!claimed.has(`${name} ${method}`)) problems.push(`${name}: ${method} ${entry.path} has no registered route`);
    }
  }
  return [...new Set(problems)];
}

/** A built web UI of three files, so that the static routes are there whether or not `npm run build` ran. */
function fakeWebRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'pigeonhole-routes-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'export {};');
  return root;
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Builds the app as `buildApp` does, recording each route as fastify adds it. */
async function registeredRoutes(webRoot: string | undefined): Promise<Registered[]> {
  const config = resolveConfig(webRoot ? { webRoot } : {}, DEFAULTS);
  const app = createFastify(config, createLogger('silent'));
  const routes: Registered[] = [];
  app.addHook('onRoute', function (route) {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // `this` is the instance the route is added to; its name chain starts with the plugin whose
    // function registered it (fastify-plugin wrapped plugins add their names after it).
    const plugins = this.pluginName.split(' -> ');
    for (const method of methods) routes.push({ method, url: route.url, plugins });
  });
  const store = new MessageStore({ maxMessages: config.max, maxBytes: config.maxBytes });
  await app.register(pigeonholeApp, { context: { config, store, ready: () => true } });
  await app.ready();
  await app.close();
  return routes;
}

describe('the route table (shared/src/routes.ts)', () => {
  it('lists every route the app registers, with its methods and the module that registers it', async () => {
    const root = fakeWebRoot();
    roots.push(root);
    const routes = await registeredRoutes(root);
    // The fake UI's files are routes of their own, as a real build's are.
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(['/', '/favicon.svg', '/assets/index-abc123.js']));
    expect(await drift(RouteTable, routes, exportedNames)).toEqual([]);
  });

  it('without a built UI, `/` is still a route of web.ts (a note saying to build)', async () => {
    const routes = await registeredRoutes(join(tmpdir(), 'pigeonhole-no-such-ui'));
    const problems = await drift(RouteTable, routes, exportedNames);
    expect(problems).toEqual(['webFiles: GET /* has no registered route']);
  });

  it('finds each kind of drift', async () => {
    const table: Record<string, RouteEntry> = {
      ok: { methods: ['GET'], path: '/ok', module: 'http/routes/health.ts' },
      noRoute: { methods: ['GET'], path: '/gone', module: 'http/routes/health.ts' },
      wrongMethod: { methods: ['GET'], path: '/put-only', module: 'http/routes/health.ts' },
      noModule: { methods: ['GET'], path: '/nowhere', module: 'http/routes/no-such-file.ts' },
      otherModule: { methods: ['GET'], path: '/elsewhere', module: 'http/routes/health.ts' },
      files: { methods: ['GET'], path: '/files/*', module: 'http/routes/health.ts' },
    };
    const registered: Registered[] = [
      { method: 'GET', url: '/ok', plugins: ['healthRoutes'] },
      { method: 'HEAD', url: '/ok', plugins: ['healthRoutes'] },
      { method: 'GET', url: '/unlisted', plugins: ['healthRoutes'] },
      { method: 'PUT', url: '/put-only', plugins: ['healthRoutes'] },
      { method: 'GET', url: '/nowhere', plugins: ['healthRoutes'] },
      { method: 'GET', url: '/elsewhere', plugins: ['messagesRoutes'] },
      { method: 'GET', url: '/files/a.js', plugins: ['healthRoutes'] },
      { method: 'GET', url: '/files/b.js', plugins: ['messagesRoutes'] },
    ];
    expect(await drift(table, registered, exportedNames)).toEqual([
      'GET /unlisted is registered but missing from the route table',
      "PUT /put-only is registered, but the table's wrongMethod lists GET",
      'noModule: module http/routes/no-such-file.ts does not exist under server/src/',
      'otherModule: GET /elsewhere is registered by plugin messagesRoutes, which http/routes/health.ts does not export',
      'GET /files/b.js is registered but missing from the route table',
      'noRoute: GET /gone has no registered route',
      'wrongMethod: GET /put-only has no registered route',
    ]);
  });
});
