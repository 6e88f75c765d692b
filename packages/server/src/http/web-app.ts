/**
 * Serves the built web app (config.webDir) when it exists: files as they are, and index.html for
 * any other GET outside /api and /ws so client-side routes survive a reload (SPA fallback).
 * Without a build, GET / answers a short hint instead.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './types.js';

/** Hashed build output (Vite's assets/) never changes under the same name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function hasWebApp(webDir: string): boolean {
  return existsSync(join(webDir, 'index.html'));
}

export async function registerWebApp(app: App, webDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: webDir,
    index: 'index.html',
    cacheControl: false,
    // @fastify/static 10 hands over the reply (9 gave the raw response).
    setHeaders(reply, path) {
      const immutable = /[/\\]assets[/\\]/.test(path.slice(webDir.length));
      // index.html must be revalidated, or a deploy would leave browsers on old asset names.
      void reply.header('cache-control', immutable ? IMMUTABLE : 'no-cache');
    },
  });
}

/** Whether a request that matched no route should get index.html. */
export function wantsSpaFallback(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/ws/')) return false;
  return true;
}

export function sendSpaIndex(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache').sendFile('index.html');
}

export function registerWebAppHint(app: App): void {
  app.get('/', async () => ({
    name: 'jd-collab',
    message:
      'The web app is not built (set WEB_DIR or run `npm run build -w @jd-collab/web`). ' +
      'The API is under /api, the collaboration endpoint under /ws/document/{id}.',
    endpoints: [
      '/healthz',
      '/readyz',
      '/metrics',
      '/api/documents',
      '/api/auth/dev-login',
      '/ws/document/{id}',
    ],
  }));
}
