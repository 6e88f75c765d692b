import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve workspace packages to their TypeScript sources, so tests never run stale builds.
  // Vitest runs tests in Vite's SSR environment, which takes its conditions from `ssr`.
  resolve: { conditions: ['@jd-collab/source'] },
  ssr: { resolve: { conditions: ['@jd-collab/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
