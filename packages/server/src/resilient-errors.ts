/**
 * The one error the resilience wrappers (resilient-*.ts) add: a dependency (storage, Redis) was
 * not asked (its breaker is open) or did not answer in time. Callers treat it like any other
 * "unavailable" rejection; `retryAfterMs` tells them when asking again has a chance, so the
 * collaboration core can hand it to clients as STORAGE_UNAVAILABLE's retryAfter.
 *
 * A timed-out call's outcome is unknown: the call may still finish (a commit may be stored).
 * That is safe for commits because a retried change is recognised by its changeId.
 */

export type UnavailableReason = 'timeout' | 'breaker_open';

export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
  constructor(
    /** Which breaker: 'storage_read', 'storage_write', 'pubsub', 'presence'. */
    readonly dependency: string,
    readonly reason: UnavailableReason,
    /** How long until asking again can succeed (the breaker's remaining open time, or a default). */
    readonly retryAfterMs: number,
    message: string,
  ) {
    super(message);
  }
}

/** The retry hint a rejection carries, when it came from a breaker or a timeout. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof DependencyUnavailableError ? error.retryAfterMs : undefined;
}
