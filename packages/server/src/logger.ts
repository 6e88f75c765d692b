/**
 * Structured logging (pino). Tokens must never reach a log line, so three layers stand in the way:
 * - `redact` removes the fields that hold credentials (authorization headers, token, jwt, ...);
 * - the `req`/`url` serializers strip `token=` from URLs (WebSocket clients may pass it there);
 * - every logged string (message, fields, error messages and stacks) is scrubbed of anything shaped like a bearer token or a JWT, which also
 *   covers messages and error texts that quote a URL or header.
 * Child loggers carry the context of what they log about: sessionId, documentId, userId, correlationId.
 */
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Config } from './config.js';

export type Logger = PinoLogger;

/** Bindings a child logger carries. */
export interface LogContext {
  sessionId?: string;
  documentId?: string;
  userId?: string;
  correlationId?: string;
}

const REDACTED = '[REDACTED]';

const REDACT_PATHS = [
  'token',
  'jwt',
  'jwtSecret',
  'authorization',
  'password',
  '*.token',
  '*.jwt',
  '*.jwtSecret',
  '*.authorization',
  '*.password',
  'headers.authorization',
  'headers.cookie',
  'headers["sec-websocket-protocol"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
];

/** Removes credentials from a string: `token=` query values, bearer tokens, auth subprotocols, JWTs. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/([?&;]token=)[^&#\s"']*/gi, `$1${REDACTED}`)
    .replace(/(bearer\s+)[^\s"',]+/gi, `$1${REDACTED}`)
    .replace(/(jd-collab\.auth\.)[^\s"',]+/g, `$1${REDACTED}`)
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, REDACTED);
}

function scrubDeep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth >= 5 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return scrubError(value, depth);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  // Class instances (a Fastify request, a socket) are left to their serializers: copying them
  // would lose their getters and prototype.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = scrubDeep(v, depth + 1);
  return out;
}

/** A copy of the error (same prototype, so the err serializer still sees its class) with scrubbed texts. */
function scrubError(error: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error & Record<string, unknown>;
  for (const [key, v] of Object.entries(error)) copy[key] = scrubDeep(v, depth + 1);
  Object.defineProperty(copy, 'message', { value: scrubSecrets(error.message), enumerable: false });
  if (error.stack !== undefined) {
    Object.defineProperty(copy, 'stack', { value: scrubSecrets(error.stack), enumerable: false });
  }
  if (error.cause !== undefined) {
    Object.defineProperty(copy, 'cause', { value: scrubDeep(error.cause, depth + 1), enumerable: false });
  }
  return copy;
}

interface RequestLike {
  id?: unknown;
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

const serializers = {
  // Only what is useful to trace a request; headers are left out on purpose.
  req(req: RequestLike) {
    return {
      id: req.id,
      method: req.method,
      url: req.url === undefined ? undefined : scrubSecrets(req.url),
      remoteAddress: req.ip ?? req.socket?.remoteAddress,
    };
  },
  res(res: { statusCode?: number }) {
    return { statusCode: res.statusCode };
  },
  url(url: unknown) {
    return typeof url === 'string' ? scrubSecrets(url) : url;
  },
  err: pino.stdSerializers.err,
  // The message, after printf-style arguments were formatted into it (it bypasses `formatters.log`).
  msg(msg: unknown) {
    return typeof msg === 'string' ? scrubSecrets(msg) : msg;
  },
};

export function createLogger(
  config: Pick<Config, 'logLevel' | 'serverId'>,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { serverId: config.serverId, pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers,
    formatters: {
      // Runs on the whole logged object before serializers; errors are copied with scrubbed texts.
      log: (object) => scrubDeep(object, 0) as Record<string, unknown>,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A child logger carrying the given context (undefined fields are left out). */
export function childLogger(logger: Logger, context: LogContext): Logger {
  const bindings: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (value !== undefined) bindings[key] = value;
  }
  return logger.child(bindings);
}
