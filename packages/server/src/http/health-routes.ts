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

/**
 * How long storage and the broker each get to answer. Both are asked at once, so /readyz answers
 * within this even when a database host stalls (connections open, nothing coming back): a probe
 * that hangs is as bad for a load balancer as a node that is down.
 */
const PING_TIMEOUT_MS = 500;

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
    const [storageAnswers, brokerAnswers] = await Promise.all([
      answers(() => store.ping()),
      broker ? answers(() => broker.ping()) : Promise.resolve(true),
    ]);
    if (!storageAnswers) {
      return reply
        .code(503)
        .send({ status: 'unavailable', code: 'STORAGE_UNAVAILABLE', message: 'Storage does not answer.' });
    }
    if (!brokerAnswers) {
      return reply.code(503).send({
        status: 'unavailable',
        code: 'BROKER_UNAVAILABLE',
        message: 'The pub/sub broker does not answer.',
      });
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

/** Whether `ping` resolves within PING_TIMEOUT_MS (a throw or a timeout: no). */
function answers(ping: () => Promise<void>): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    const settle = (ok: boolean) => () => {
      clearTimeout(timer);
      resolve(ok);
    };
    Promise.resolve().then(ping).then(settle(true), settle(false));
  });
}
