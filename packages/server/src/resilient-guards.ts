/**
 * The breakers of one node, built from the configuration and reported in metrics and logs: one
 * for storage reads, one for storage writes (see resilient-store.ts for why two), one for pub/sub
 * and one for presence (separate Redis connections that can fail apart).
 */
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { type BreakerState, createGuard, type Guard } from './resilient-policy.js';

export type ResilienceConfig = Pick<
  Config,
  'storageTimeoutMs' | 'redisTimeoutMs' | 'breakerFailureThreshold' | 'breakerHalfOpenMs'
>;

export interface Guards {
  storageRead: Guard;
  storageWrite: Guard;
  pubsub: Guard;
  presence: Guard;
}

const STATE_NAMES: Record<BreakerState, string> = { 0: 'closed', 1: 'half-open', 2: 'open' };

export function createGuards(
  config: ResilienceConfig,
  isFailure: { storage(error: unknown): boolean; broker(error: unknown): boolean },
  metrics: Metrics,
  logger: Logger,
): Guards {
  const make = (dependency: string, timeoutMs: number, failure: (error: unknown) => boolean): Guard => {
    metrics.breakerState.set({ dependency }, 0); // present from the start, so alerts can match it
    return createGuard(
      dependency,
      {
        timeoutMs,
        failureThreshold: config.breakerFailureThreshold,
        halfOpenAfterMs: config.breakerHalfOpenMs,
      },
      failure,
      {
        state: (state) => {
          metrics.breakerState.set({ dependency }, state);
          // Half-open is a routine trial; opening and closing again are what an operator needs.
          if (state === 2) logger.warn({ dependency }, 'circuit breaker open');
          else if (state === 0) logger.info({ dependency }, 'circuit breaker closed');
          else logger.debug({ dependency, state: STATE_NAMES[state] }, 'circuit breaker trial call');
        },
        failure: (reason) => metrics.dependencyFailures.inc({ dependency, reason }),
      },
    );
  };
  return {
    storageRead: make('storage_read', config.storageTimeoutMs, isFailure.storage),
    storageWrite: make('storage_write', config.storageTimeoutMs, isFailure.storage),
    pubsub: make('pubsub', config.redisTimeoutMs, isFailure.broker),
    presence: make('presence', config.redisTimeoutMs, isFailure.broker),
  };
}
