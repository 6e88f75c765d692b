/**
 * Vite builds the web app into dist/, which the server serves (config.webDir). Workspace packages
 * resolve to their TypeScript sources (the `@jd-collab/source` export condition), so the app never
 * bundles a stale build of the client library. `npm run dev -w @jd-collab/web` serves the app with
 * hot reload and forwards the API and WebSocket to a server on localhost:3000.
 */
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const API_SERVER = process.env.JD_COLLAB_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: { conditions: ['@jd-collab/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // CodeMirror + React + the client library: one chunk of ~250 kB gzipped is fine for an internal tool.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': API_SERVER,
      '/ws': { target: API_SERVER, ws: true },
    },
  },
});
