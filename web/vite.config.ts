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
      '/api': {
        target: apiTarget,
        ws: true,
        changeOrigin: true,
        // The server refuses WebSockets from a foreign Origin (cross-site hijacking); through the dev
        // proxy the page's origin is Vite's, so present the server's own.
        configure: (proxy) => proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('origin', apiTarget)),
      },
      '/view': apiTarget,
      '/livez': apiTarget,
      '/readyz': apiTarget,
    },
  },
});
