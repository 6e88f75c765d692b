/**
 * Numeric limits and defaults of the wire protocol. Server and client import these so that both ends
 * enforce (and expect) the same bounds; the server may override the defaults through its own config.
 */

/** Largest WebSocket text frame (one envelope or one batch) a peer may send, in UTF-8 bytes. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Most envelopes in one batched frame. A longer batch is refused whole with MESSAGE_TOO_LARGE. */
export const MAX_BATCH_LENGTH = 100;

/**
 * Longest document, in code points (about 30 pages; a job description is a few thousand). A
 * change that would make a document longer is refused with DOCUMENT_TOO_LARGE: the whole text
 * travels in one frame (document.open, sync.response), and past MAX_FRAME_BYTES no client could
 * open the document any more.
 */
export const MAX_DOCUMENT_LENGTH = 100_000;

/** changeId: 1..64 characters of [A-Za-z0-9_-:.] (fits a UUID, a ULID or `session:counter`). */
export const MAX_CHANGE_ID_LENGTH = 64;

/** correlationId, userId, sessionId: at most this many characters. */
export const MAX_ID_LENGTH = 128;

/** Saved version names, titles and display names: 1..200 characters (UTF-16 units, after trimming). */
export const MAX_NAME_LENGTH = 200;

/** Human-readable texts (error messages, reasons) are cut to this length. */
export const MAX_TEXT_LENGTH = 1000;

/** Default rate limit per session: messages per second. A batched frame counts once. */
export const RATE_LIMIT_PER_SECOND = 10;

/** Default rate limit per session: messages per minute. A batched frame counts once. */
export const RATE_LIMIT_PER_MINUTE = 300;

/** The client sends `system.heartbeat` this often (ms) when it has sent nothing else. */
export const HEARTBEAT_INTERVAL_MS = 25_000;

/** The server closes a session with 4000 when it has received nothing (no frame, no pong) for this long (ms). */
export const IDLE_TIMEOUT_MS = 60_000;

/** Recommended: a client reports `user.presence {status: 'idle'}` after this long (ms) without user input. */
export const PRESENCE_IDLE_AFTER_MS = 120_000;
