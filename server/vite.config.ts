import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import packageJson from './package.json' with { type: 'json' };

const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(packageJson.dependencies),
];

/**
 * Bundles the server for Node: our code and `@pigeonhole/shared` (TypeScript source, not published)
 * go into `dist/`; npm dependencies stay external and are installed with the package. The web UI is
 * built into `dist/web` by the web workspace, so the outDir is not emptied here.
 */
export default defineConfig({
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
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
  ssr: { noExternal: ['@pigeonhole/shared'] },
});
