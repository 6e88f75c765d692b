/**
 * The one error type a DocumentStore throws on purpose. Anything else a backend throws (an I/O
 * error, a lost connection) means "storage unavailable" to the caller.
 */
export type StoreErrorCode =
  /** The document does not exist (commit, snapshot or named version for an unknown id). */
  | 'DOCUMENT_NOT_FOUND'
  /** A named version with that id exists already. */
  | 'ALREADY_EXISTS'
  /** The caller broke the contract (non-consecutive versions, malformed text, ...): a bug upstream. */
  | 'INVALID_ARGUMENT'
  /** The store was closed, or used before init(). */
  | 'CLOSED'
  /** The database was written by a newer version of this program; refusing to touch it. */
  | 'SCHEMA_TOO_NEW';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
