/**
 * One dependency's protection (cockatiel): every call gets a timeout, a circuit breaker counts
 * consecutive failures (timeouts included) and, once open, refuses calls at once for
 * `halfOpenAfterMs`, after which one trial call decides whether it closes again. Reads may also
 * be retried a few times, quickly, after an error that came back fast (a reset connection); never
 * after a timeout (it would only double the wait) nor an open breaker, and never writes (a commit
 * retried blindly could be stored twice under a new version; the client retries it by changeId).
 *
 * Why: a call to a stalled database or Redis (connection open, nothing coming back) otherwise
 * never settles, and the commit pipeline keeps one commit in flight per document, so one hung
 * call would block its document for good. With the guard a hung call costs at most timeoutMs,
 * and while the dependency stays away callers are refused immediately with a retry hint.
 *
 * Contract errors (the caller's mistake: `isFailure` says no) pass through untouched and do not
 * count against the dependency.
 */
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  IsolatedCircuitError,
  retry,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { DependencyUnavailableError } from './resilient-errors.js';

export interface GuardOptions {
  /** A call that has not settled after this long is given up (its outcome is then unknown). */
  timeoutMs: number;
  /** Consecutive failures (errors or timeouts) that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker refuses calls before it lets one trial call through. */
  halfOpenAfterMs: number;
  /** Extra attempts for reads after a quick failure. Default 2. */
  readRetries?: number;
}

/** Gauge values: 0 closed, 1 half-open (one trial call in flight), 2 open. */
export type BreakerState = 0 | 1 | 2;

export type FailureReason = 'timeout' | 'breaker_open' | 'error';

export interface GuardEvents {
  state?(state: BreakerState): void;
  failure?(reason: FailureReason): void;
}

/** What run() needs of a cockatiel policy (the wrapped ones have different generic types). */
interface Executes {
  execute<T>(fn: () => Promise<T>): Promise<T>;
}

/** The retry hint when the breaker is not open (a single timeout or error). */
export const DEFAULT_RETRY_AFTER_MS = 1000;
/** Smallest hint: an open breaker about to half-open still deserves a short pause. */
const MIN_RETRY_AFTER_MS = 100;

export interface Guard {
  readonly dependency: string;
  /** Runs a read: timeout, breaker, and a few quick retries after fast errors. */
  read<T>(call: () => Promise<T>): Promise<T>;
  /** Runs a write: timeout and breaker, never retried here. */
  write<T>(call: () => Promise<T>): Promise<T>;
  readonly state: BreakerState;
  /** True while the breaker is open and its half-open delay has not run out. */
  refusing(): boolean;
  /** ms until the breaker lets a trial call through (DEFAULT_RETRY_AFTER_MS when not open). */
  retryAfterMs(): number;
}

export function createGuard(
  dependency: string,
  options: GuardOptions,
  isFailure: (error: unknown) => boolean,
  events: GuardEvents = {},
): Guard {
  const breaker = circuitBreaker(handleWhen(isFailure), {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.failureThreshold),
  });
  // Aggressive: the call cannot be cancelled (a query on a stalled socket), so we stop waiting.
  const timeLimit = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  const guarded = wrap(breaker, timeLimit);
  const quickFailure = (error: unknown): boolean =>
    isFailure(error) &&
    !(error instanceof TaskCancelledError) &&
    !(error instanceof BrokenCircuitError) &&
    !(error instanceof IsolatedCircuitError);
  const retried = wrap(
    retry(handleWhen(quickFailure), {
      maxAttempts: options.readRetries ?? 2,
      backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 400 }),
    }),
    guarded,
  );

  let openedAt = 0;
  let state: BreakerState = 0;
  breaker.onBreak(() => {
    openedAt = Date.now();
  });
  breaker.onStateChange((s) => {
    state = s === CircuitState.Closed ? 0 : s === CircuitState.HalfOpen ? 1 : 2;
    events.state?.(state);
  });

  const remainingOpenMs = (): number =>
    state === 2 ? Math.max(0, openedAt + options.halfOpenAfterMs - Date.now()) : 0;
  const retryAfterMs = (): number => {
    const remaining = remainingOpenMs();
    return remaining > 0 ? Math.max(MIN_RETRY_AFTER_MS, Math.ceil(remaining)) : DEFAULT_RETRY_AFTER_MS;
  };

  const run = async <T>(policy: Executes, call: () => Promise<T>): Promise<T> => {
    try {
      return await policy.execute(() => call());
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        events.failure?.('breaker_open');
        throw new DependencyUnavailableError(
          dependency,
          'breaker_open',
          retryAfterMs(),
          `${dependency}: circuit breaker open after repeated failures`,
        );
      }
      if (error instanceof TaskCancelledError) {
        events.failure?.('timeout');
        throw new DependencyUnavailableError(
          dependency,
          'timeout',
          retryAfterMs(),
          `${dependency}: no answer within ${options.timeoutMs} ms`,
        );
      }
      if (isFailure(error)) events.failure?.('error');
      throw error;
    }
  };

  return {
    dependency,
    read: (call) => run(retried, call),
    write: (call) => run(guarded, call),
    get state() {
      return state;
    },
    refusing: () => remainingOpenMs() > 0,
    retryAfterMs,
  };
}

/**
 * A readiness probe (/readyz): refused at once while any of `guards` is open (a node that cannot
 * store should get no users even though a ping might answer), else one timed call through the
 * first guard, not retried: a probe reports, it does not insist.
 */
export async function probe(guards: readonly [Guard, ...Guard[]], ping: () => Promise<void>): Promise<void> {
  const open = guards.find((g) => g.refusing());
  if (open) {
    throw new DependencyUnavailableError(
      open.dependency,
      'breaker_open',
      open.retryAfterMs(),
      `${open.dependency}: circuit breaker open`,
    );
  }
  await guards[0].write(ping);
}
