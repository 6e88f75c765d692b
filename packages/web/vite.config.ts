/**
 * Vite builds the web app into dist/, which the server serves (config.webDir). Workspace packages
 * resolve to their TypeScript sources (the `@jd-collab/source` export condition), so the app never
 * bundles a stale build of the client library. `npm run dev -w @jd-collab/web` serves the app with
 * hot reload and forwards the API and WebSocket to a server on localhost:3000.
 *
 * A service worker (vite-plugin-pwa, Workbox's generateSW) precaches the whole build, so a reload
 * without a network still opens the app, and the editor opens pending edits from IndexedDB
 * (docs/web.md, "Offline"). Only the app's own files are cached: API answers never are, since
 * an old answer served as the truth would be worse than none.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const API_SERVER = process.env.JD_COLLAB_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    react(),
    VitePWA({
      // Registered by a small external script (registerSW.js): the CSP allows no inline script.
      injectRegister: 'script-defer',
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        // Every chunk, the lazily loaded editor included, so any page opens offline.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // Client-side routes (/documents/<id>) are answered with the cached index.html...
        navigateFallback: '/index.html',
        // ...but never the API or the WebSocket endpoint.
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/ws\//],
        runtimeCaching: [],
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  resolve: {
    conditions: ['@jd-collab/source', ...defaultClientConditions],
    alias: {
      // Its browser build decodes HTML entities with `document`, which the writing checks' Web
      // Worker does not have; the plain build (a lookup table) works everywhere.
      'decode-named-character-reference': fileURLToPath(
        import.meta.resolve('decode-named-character-reference'),
      ),
    },
  },
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
