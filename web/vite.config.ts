import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `npm run dev` finds a running Pigeonhole for the API and events. */
const apiTarget = 'http://127.0.0.1:8025';

/**
 * The inbox is built into the server package (`server/dist/web`), so that `npm pack -w server` ships
 * it and the server serves it at `/`.
 */
export default defineConfig({
  plugins: [react()],
  build: { outDir: '../server/dist/web', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true },
      '/livez': apiTarget,
      '/readyz': apiTarget,
    },
  },
});
