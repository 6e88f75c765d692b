/**
 * The HTTP application: health and metrics, authentication, the documents API, the web app.
 * Built apart from `listen` so tests drive it with `app.inject`. WebSocket upgrades are not
 * handled here: server.ts hands them to the collaboration core.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import { authRoutes } from './auth-routes.js';
import { checksRoutes } from './checks-routes.js';
import { trustProxy } from './client-address.js';
import { documentRoutes } from './document-routes.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { healthRoutes } from './health-routes.js';
import { jobPostingRoutes } from './job-posting-routes.js';
import { registerRateLimits } from './rate-limits.js';
import { addSecurityHeaders } from './security-headers.js';
import { trashRoutes } from './trash-routes.js';
import type { App, AppDeps } from './types.js';
import { hasWebApp, registerWebApp, registerWebAppHint, sendSpaIndex, wantsSpaFallback } from './web-app.js';

/** Request bodies are small JSON objects (titles, names); content travels over the WebSocket. */
const BODY_LIMIT = 64 * 1024;
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
/**
 * A whole request (head and body, at most BODY_LIMIT) must arrive within this. Fastify's default
 * is no limit at all, so a client sending its body a byte a minute would hold a socket forever.
 */
const REQUEST_TIMEOUT_MS = 30_000;

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, metrics, logger } = deps;
  const readiness = deps.readiness ?? { shuttingDown: false };

  const app = Fastify({
    loggerInstance: logger,
    // One log line per response instead (see onResponse), with our correlationId label.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
    trustProxy: config.trustProxy === false ? false : trustProxy(config.trustProxy),
    requestTimeout: REQUEST_TIMEOUT_MS,
    http: {
      // Later requests on a kept-alive connection (connection-guard.ts bounds the first one).
      headersTimeout: Math.min(config.upgradeTimeoutMs, REQUEST_TIMEOUT_MS),
      requestTimeout: REQUEST_TIMEOUT_MS,
      // How often Node checks those two (default 30 s).
      connectionsCheckingInterval: Math.min(1_000, config.upgradeTimeoutMs),
    },
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
  const limits = await registerRateLimits(app, config, metrics);
  await app.register(authRoutes, { config, tokens: deps.tokens, limits });
  await app.register(documentRoutes, { store: deps.store, tokens: deps.tokens, collab: deps.collab, limits });
  await app.register(checksRoutes, { store: deps.store, tokens: deps.tokens });
  await app.register(jobPostingRoutes, {
    store: deps.store,
    tokens: deps.tokens,
    organization: config.hiringOrganization,
  });
  await app.register(trashRoutes, { store: deps.store, tokens: deps.tokens, collab: deps.collab, limits });

  const webApp = hasWebApp(config.webDir);
  if (webApp) await registerWebApp(app, config.webDir);
  else registerWebAppHint(app);

  app.setNotFoundHandler((request, reply) => {
    if (webApp && wantsSpaFallback(request)) return sendSpaIndex(reply);
    return notFoundHandler(request, reply);
  });

  return app;
}
