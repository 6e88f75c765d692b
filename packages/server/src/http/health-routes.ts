/**
 * Liveness, readiness and metrics.
 * - /healthz: the process answers (liveness; never touches storage, so a slow database does not
 *   get the process restarted).
 * - /readyz: storage and the pub/sub broker answer and no shutdown is in progress (load balancers
 *   stop routing on 503: a node that cannot store or cannot hear the others should get no users).
 * - /metrics: Prometheus text format.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../metrics.js';
import type { DocumentStore } from '../storage/types.js';
import type { CollabView, Pingable, Readiness } from './types.js';

const PING_TIMEOUT_MS = 2000;

export interface HealthRoutesOptions {
  store: DocumentStore;
  metrics: Metrics;
  readiness: Readiness;
  collab?: CollabView | undefined;
  broker?: Pingable | undefined;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (
  app,
  { store, metrics, readiness, collab, broker },
) => {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (readiness.shuttingDown) {
      return reply.code(503).send({
        status: 'unavailable',
        code: 'SERVER_SHUTTING_DOWN',
        message: 'The server is shutting down.',
      });
    }
    try {
      await withTimeout(store.ping(), PING_TIMEOUT_MS);
    } catch {
      return reply
        .code(503)
        .send({ status: 'unavailable', code: 'STORAGE_UNAVAILABLE', message: 'Storage does not answer.' });
    }
    if (broker) {
      try {
        await withTimeout(broker.ping(), PING_TIMEOUT_MS);
      } catch {
        return reply.code(503).send({
          status: 'unavailable',
          code: 'BROKER_UNAVAILABLE',
          message: 'The pub/sub broker does not answer.',
        });
      }
    }
    return {
      status: 'ok',
      storage: store.kind,
      ...(broker ? { broker: broker.kind } : {}),
      ...(collab ? collab.stats() : {}),
    };
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.contentType).send(await metrics.render());
  });
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
