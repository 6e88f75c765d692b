/**
 * WebSocket close codes the server uses. 1000-1015 are RFC 6455 codes; 4000-4999 are ours.
 * `reconnect` tells a client whether reconnecting (with backoff) can help, so both ends agree on it.
 */
export const CloseCode = {
  /** The client sent document.close, or the client closed the tab/connection itself. */
  NORMAL: 1000,
  /** Authentication failed or expired, no read permission, origin refused, or sustained rate-limit abuse. */
  POLICY_VIOLATION: 1008,
  /** A frame was larger than the maximum frame size (MAX_FRAME_BYTES by default). */
  MESSAGE_TOO_BIG: 1009,
  /** The server hit an unexpected error for this session. */
  INTERNAL_ERROR: 1011,
  /** The server is restarting or shutting down; it sent system.reconnect first. */
  SERVICE_RESTART: 1012,
  /** Nothing was received from the client (no frame, no pong) within the idle timeout. */
  HEARTBEAT_TIMEOUT: 4000,
} as const;

export type CloseCodeName = keyof typeof CloseCode;
export type CloseCode = (typeof CloseCode)[CloseCodeName];

export interface CloseCodeInfo {
  readonly code: CloseCode;
  readonly name: CloseCodeName;
  /** Short reason, also used as the close frame's reason text (must stay under 123 bytes). */
  readonly reason: string;
  /** Whether a client should reconnect (with backoff and jitter) after this close. */
  readonly reconnect: boolean;
}

export const CloseCodes: { readonly [K in CloseCodeName]: CloseCodeInfo } = {
  NORMAL: { code: 1000, name: 'NORMAL', reason: 'Normal closure', reconnect: false },
  POLICY_VIOLATION: {
    code: 1008,
    name: 'POLICY_VIOLATION',
    reason: 'Policy violation (authentication, permission, origin or rate limit)',
    reconnect: false,
  },
  MESSAGE_TOO_BIG: { code: 1009, name: 'MESSAGE_TOO_BIG', reason: 'Message too big', reconnect: true },
  INTERNAL_ERROR: { code: 1011, name: 'INTERNAL_ERROR', reason: 'Internal server error', reconnect: true },
  SERVICE_RESTART: { code: 1012, name: 'SERVICE_RESTART', reason: 'Server restarting', reconnect: true },
  HEARTBEAT_TIMEOUT: { code: 4000, name: 'HEARTBEAT_TIMEOUT', reason: 'Heartbeat timeout', reconnect: true },
};

/** The entry for a close code, or undefined for a code the protocol does not define (e.g. 1006). */
export function closeCodeInfo(code: number): CloseCodeInfo | undefined {
  return Object.values(CloseCodes).find((info) => info.code === code);
}

/**
 * Whether a client should try to reconnect after a close with this code. Codes the protocol does not
 * define (1001 going away, 1006 abnormal closure / network loss, ...) are treated as transient.
 */
export function shouldReconnect(code: number): boolean {
  return closeCodeInfo(code)?.reconnect ?? true;
}
