import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import packageJson from './package.json' with { type: 'json' };

const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(packageJson.dependencies),
];

/**
 * Bundled into our build rather than loaded from node_modules. typebox is published as about 700
 * small ES modules: loaded one by one they cost 19 MB resident and 3.3 MB of heap, bundled and
 * tree-shaken about a tenth of that. Jest's module loader also cannot load an ES module, which the
 * CommonJS build needs.
 */
const ESM_ONLY = ['typebox', '@fastify/type-provider-typebox'];

/**
 * The outDir is shared with the web UI (`dist/web`), so it is not emptied; this removes the previous
 * server build instead, so that stale hashed chunks never end up in the npm package, and keeps the
 * bin executable.
 */
function cleanServerBuild(): Plugin {
  return {
    name: 'pigeonhole:clean-server-build',
    apply: 'build',
    buildStart() {
      const dist = new URL('dist/', import.meta.url);
      if (!existsSync(dist)) return;
      const files = readdirSync(dist, { withFileTypes: true }).filter(
        (f) => f.isFile() && /\.c?js(\.map)?$/.test(f.name),
      );
      for (const file of files) rmSync(new URL(file.name, dist), { force: true });
      rmSync(new URL('chunks', dist), { recursive: true, force: true });
    },
    // The bin is written anew, so it loses the executable bit npm set at install: `npx pigeonhole`
    // in this repository runs it directly.
    writeBundle() {
      chmodSync(new URL('dist/cli.js', import.meta.url), 0o755);
    },
  };
}

/**
 * Writes every character outside ASCII as a `\u` escape (valid in strings, templates, regular
 * expressions and comments alike). V8 keeps a module's source text for as long as the module lives,
 * and one character above U+00FF (a typographic apostrophe in a message) makes the whole text of a
 * chunk two bytes a character: 1.5 MB of heap for the two largest chunks instead of 0.75 MB.
 */
function asciiOutput(): Plugin {
  const escape = (code: string) =>
    code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return {
    name: 'pigeonhole:ascii-output',
    apply: 'build',
    // On the final text (Vite 8 drops what renderChunk returns here): on the few lines with such a
    // character, source-map columns after it are off by five, lines stay right.
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && /[\u0080-\uffff]/.test(file.code)) file.code = escape(file.code);
      }
    },
  };
}

/**
 * Bundles the server for Node: our code and `@pigeonhole/shared` (TypeScript source, not published)
 * go into `dist/`; npm dependencies stay external and are installed with the package. The web UI is
 * built into `dist/web` by the web workspace. Type declarations (`dist/index.d.ts`, shared's types
 * inlined) come from `npm run build:types`, which `prepack` runs.
 *
 * `--mode cjs` adds `dist/index.cjs` for `require('pigeonhole')`: Jest runs test files as CommonJS
 * unless told otherwise, and its module loader cannot load an ES module.
 */
export default defineConfig(({ mode }) => {
  const cjs = mode === 'cjs';
  return {
    plugins: cjs ? [asciiOutput()] : [cleanServerBuild(), asciiOutput()],
    build: {
      ssr: true,
      target: 'node20',
      outDir: 'dist',
      emptyOutDir: false,
      minify: false,
      sourcemap: true,
      rollupOptions: {
        // The summary thread's code is an entry of its own: a worker thread loads it by file name.
        input: cjs
          ? { index: 'src/index.ts' }
          : { cli: 'src/cli.ts', index: 'src/index.ts', 'summary-worker': 'src/mail/summary-worker.ts' },
        external: (id: string) =>
          !ESM_ONLY.some((dep) => id === dep || id.startsWith(`${dep}/`)) &&
          external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
        // Chunks sit beside the entries: code that finds files relative to itself (`./web`, the built
        // UI) must resolve the same from every chunk.
        output: cjs
          ? {
              format: 'cjs' as const,
              entryFileNames: '[name].cjs',
              chunkFileNames: '[name]-[hash].cjs',
              // Lazy `import('mailparser')` becomes require(): Jest refuses import() in CommonJS
              // without --experimental-vm-modules, and the parse came back empty there.
              dynamicImportInCjs: false,
            }
          : { format: 'es' as const, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
    ssr: { noExternal: ['@pigeonhole/shared', ...ESM_ONLY] },
  };
});
