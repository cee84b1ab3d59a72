import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No module of server/, shared/ or web/ may import itself back through other modules: a cycle makes
 * the load order decide which side sees the other half-initialised, and ties together layers that
 * are meant to stay apart (a route importing back the app that registers it). Every import counts:
 * `import type` too (erased at run time, yet it still binds the two files' designs together),
 * `export ... from`, and `import()`.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const WORKSPACES = ['server', 'shared', 'web'];

/** The compiler options of a workspace, as `tsc -b` reads them, and the files its tsconfig lists. */
function workspaceConfig(workspace: string): ts.ParsedCommandLine {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}${workspace}/tsconfig.json`, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error(`cannot read ${workspace}/tsconfig.json`);
  return config;
}

/** The files of ours (relative to the repository) that `text`, the source of `file`, imports. */
function importsOf(file: string, text: string, options: ts.CompilerOptions): string[] {
  const targets = new Set<string>();
  // The compiler's own scanner: import/export declarations, `import type`, `import()` and
  // `require()`, never an import written inside a comment or a string.
  for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
    // The compiler's resolution with the workspace's options: relative paths, and
    // `@pigeonhole/shared/*` through its package exports and the `source` condition.
    const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
    if (!resolved) continue;
    const target = relative(root, ts.sys.realpath?.(resolved.resolvedFileName) ?? resolved.resolvedFileName);
    if (WORKSPACES.some((w) => target.startsWith(`${w}/src/`))) targets.add(target);
  }
  return [...targets].sort();
}

/** Each source file of the workspaces and the files of ours it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const workspace of WORKSPACES) {
    const config = workspaceConfig(workspace);
    for (const file of config.fileNames.filter((f) => f.startsWith(`${root}${workspace}/src/`))) {
      graph.set(relative(root, file), importsOf(file, readFileSync(file, 'utf8'), config.options));
    }
  }
  return graph;
}

/** The strongly connected components with more than one file, or one file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * One shortest import path from the first file of a cycle back to itself, as `a -> b -> a`, with
 * the cycle's other files named after it.
 */
function path(graph: Map<string, string[]>, component: string[]): string {
  const start = component[0]!;
  const members = new Set(component);
  const from = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const next of graph.get(queue[i]!) ?? []) {
      if (next === start) {
        const chain: string[] = [];
        for (let at: string | undefined = queue[i]; at !== undefined && at !== start; at = from.get(at)) {
          chain.unshift(at);
        }
        const rest = component.filter((f) => f !== start && !chain.includes(f));
        return [start, ...chain, start].join(' -> ') + (rest.length > 0 ? ` (and through ${rest.join(', ')})` : '');
      }
      if (members.has(next) && !from.has(next)) {
        from.set(next, queue[i]!);
        queue.push(next);
      }
    }
  }
  return component.join(', ');
}

describe('the import graph of server/src, shared/src and web/src', () => {
  const graph = importGraph();
  const found = cycles(graph);

  it('reads every kind of import and resolves it to our files', () => {
    // Guards the walk itself: a walk that resolved nothing would report no cycles at all.
    const text = [
      "import type { StoredMessage } from './store/types';",
      "export { Routes } from '@pigeonhole/shared/routes';",
      "const app = () => import('./app');",
      "// import { nothing } from './cli';",
      "import { z } from 'fastify';",
    ].join('\n');
    expect(importsOf(`${root}server/src/probe.ts`, text, workspaceConfig('server').options)).toEqual([
      'server/src/app.ts',
      'server/src/store/types.ts',
      'shared/src/routes.ts',
    ]);
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.keys()]).toContain('web/src/app/inbox.tsx');
  });

  it('has no import cycle', () => {
    const paths = found.map((c) => path(graph, c));
    expect(paths, `import cycles:\n${paths.join('\n')}`).toEqual([]);
  });
});
