import { existsSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import packageJson from './package.json' with { type: 'json' };

const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(packageJson.dependencies),
];

/**
 * The outDir is shared with the web UI (`dist/web`), so it is not emptied; this removes the previous
 * server build instead, so that stale hashed chunks never end up in the npm package.
 */
function cleanServerBuild(): Plugin {
  return {
    name: 'pigeonhole:clean-server-build',
    apply: 'build',
    buildStart() {
      const dist = new URL('dist/', import.meta.url);
      if (!existsSync(dist)) return;
      const files = readdirSync(dist, { withFileTypes: true }).filter(
        (f) => f.isFile() && /\.js(\.map)?$/.test(f.name),
      );
      for (const file of files) rmSync(new URL(file.name, dist), { force: true });
      rmSync(new URL('chunks', dist), { recursive: true, force: true });
    },
  };
}

/**
 * Bundles the server for Node: our code and `@pigeonhole/shared` (TypeScript source, not published)
 * go into `dist/`; npm dependencies stay external and are installed with the package. The web UI is
 * built into `dist/web` by the web workspace. Type declarations (`dist/index.d.ts`, shared's types
 * inlined) come from `npm run build:types`, which `prepack` runs.
 */
export default defineConfig({
  plugins: [cleanServerBuild()],
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: { cli: 'src/cli.ts', index: 'src/index.ts' },
      external: (id) => external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
      // Chunks sit beside the entries: code that finds files relative to itself (`./web`, the built UI)
      // must resolve the same from every chunk.
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
  ssr: { noExternal: ['@pigeonhole/shared'] },
});
