/**
 * The HTTP application: health and metrics, authentication, the documents API, the web app.
 * Built apart from `listen` so tests drive it with `app.inject`. WebSocket upgrades are not
 * handled here: server.ts hands them to the collaboration core.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import { authRoutes } from './auth-routes.js';
import { documentRoutes } from './document-routes.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { healthRoutes } from './health-routes.js';
import { addSecurityHeaders } from './security-headers.js';
import type { App, AppDeps } from './types.js';
import { hasWebApp, registerWebApp, registerWebAppHint, sendSpaIndex, wantsSpaFallback } from './web-app.js';

/** Request bodies are small JSON objects (titles, names); content travels over the WebSocket. */
const BODY_LIMIT = 64 * 1024;
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** Fastify takes a hop count too, but its types only know booleans, lists and functions. */
function trustProxyOption(
  value: boolean | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, metrics, logger } = deps;
  const readiness = deps.readiness ?? { shuttingDown: false };

  const app = Fastify({
    loggerInstance: logger,
    // One log line per response instead (see onResponse), with our correlationId label.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: BODY_LIMIT,
    // Document ids are up to 128 characters (Fastify's default limit is 100).
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: true },
    // Keep a caller's X-Request-Id for tracing across services, if it is a sane value.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });

  // The API speaks JSON only: anything else is a 415, not a string that fails validation later.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler);
  addSecurityHeaders(app, { production: config.production });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequestDurationSeconds.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      seconds,
    );
    const level = QUIET_ROUTES.has(route) ? 'debug' : 'info';
    request.log[level](
      { req: request, res: { statusCode: reply.statusCode }, ms: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });

  await app.register(healthRoutes, {
    store: deps.store,
    metrics,
    readiness,
    collab: deps.collab,
    broker: deps.broker,
  });
  await app.register(authRoutes, { config, tokens: deps.tokens });
  await app.register(documentRoutes, { store: deps.store, tokens: deps.tokens, collab: deps.collab });

  const webApp = hasWebApp(config.webDir);
  if (webApp) await registerWebApp(app, config.webDir);
  else registerWebAppHint(app);

  app.setNotFoundHandler((request, reply) => {
    if (webApp && wantsSpaFallback(request)) return sendSpaIndex(reply);
    return notFoundHandler(request, reply);
  });

  return app;
}
