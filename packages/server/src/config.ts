/**
 * Server configuration, read from environment variables.
 *
 * `loadConfig` is a pure function of the environment (plus the host name and pid for the default
 * server id), so tests can build any configuration. The one side effect configuration needs, a
 * persisted development JWT secret, lives in `ensureJwtSecret`, called once at startup.
 *
 * Every variable, its default and why:
 * - PORT (3000), HOST ('0.0.0.0'): where the HTTP + WebSocket server listens. PORT=0 picks a free port.
 * - DATA_DIR ('./data'): SQLite database and the development JWT secret.
 * - SQLITE_SYNCHRONOUS ('full'): 'full' fsyncs every commit, so an acknowledged edit survives a power
 *   cut; 'normal' (WAL) survives a process crash but may lose the last commits on power loss, for
 *   several times the commit rate. Changes are acked only after the commit returns, either way.
 * - DATABASE_URL: PostgreSQL connection string; when set, PostgreSQL replaces SQLite (several nodes).
 * - DATABASE_SCHEMA ('public'): PostgreSQL schema holding the tables (created if missing), so several
 *   deployments or test runs can share one database.
 * - REDIS_URL: when set, committed changes, presence and cursors travel between nodes through Redis.
 * - REDIS_KEY_PREFIX ('jd-collab:'): prefix of every Redis channel and key (several deployments can
 *   share one Redis).
 * - DATABASE_START_TIMEOUT_MS (30 s): how long a starting node waits for PostgreSQL (retrying with
 *   backoff) before it gives up and exits 1; all containers of a deployment often start together.
 * - PRESENCE_TTL_MS (15 s): a user's cluster-wide presence entry expires this long after its node
 *   last heartbeated it (every third of it): the users of a node that died vanish within about that.
 * - CLUSTER_CHECK_INTERVAL_MS (5 s): with PostgreSQL or Redis, how often each open document's version
 *   is compared with the database, to read changes whose pub/sub message was lost; 0 turns it off.
 * - JWT_SECRET: HS256 key for access tokens. Required in production (at least 32 characters, since a
 *   short HMAC key can be brute-forced offline from any token). In development, when unset, a random
 *   one is generated and kept in DATA_DIR/jwt-secret so tokens survive restarts.
 * - JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE: tokens from an identity provider (SSO). With JWT_JWKS_URL
 *   set, RS256 and ES256 tokens are also accepted when signed by a key of that JWKS and their `iss` and
 *   `aud` equal JWT_ISSUER and JWT_AUDIENCE (both then required: without the audience, a token the
 *   provider issued for any other application would do). https only in production.
 * - NODE_ENV: 'production' turns on production behaviour (secret required, no dev-login, same-origin).
 * - LOG_LEVEL ('info'): pino level.
 * - SERVER_ID (hostname-pid): names this instance in logs and metrics.
 * - ALLOWED_ORIGINS: comma list of origins allowed to open WebSockets (e.g. `https://jd.example.com`),
 *   or `*` for any. Default: any origin in development (the Vite dev server runs on another port);
 *   same-origin only in production (the Origin's host must equal the request's Host), which is what
 *   stops another site from opening a socket with a user's token (cross-site WebSocket hijacking).
 *   Requests without an Origin header (non-browser clients) are always allowed: the origin check only
 *   protects browsers, and those always send it.
 * - RATE_LIMIT_PER_SECOND (10), RATE_LIMIT_PER_MINUTE (300): per WebSocket session; a batched frame
 *   counts once.
 * - REST_SIGN_INS_PER_MINUTE (20): REST sign-ins per client address;
 *   REST_CREATES_PER_MINUTE (30): documents created per user; REST_WRITES_PER_MINUTE (120):
 *   REST writes (POST, PATCH, DELETE) per user. Counted per node; past a limit, 429 RATE_LIMITED.
 * - MAX_MESSAGE_BYTES (1 MiB): largest WebSocket frame accepted.
 * - MAX_DOCUMENT_LENGTH (100,000 code points): a change that would make a document longer is
 *   refused (DOCUMENT_TOO_LARGE); the whole text must fit in one frame for clients to open it.
 * - WS_COMPRESSION (true), WS_COMPRESSION_THRESHOLD (1024): permessage-deflate for frames above the
 *   threshold; small frames are not worth the CPU.
 * - HEARTBEAT_INTERVAL_MS (30 s): ping interval; a peer that misses one is closed with 4000.
 * - IDLE_TIMEOUT_MS (30 min): a session that sends nothing for that long is closed with 4000.
 * - SNAPSHOT_EVERY (100): a snapshot is stored every N versions, bounding the work to load a document.
 * - HISTORY_LIMIT (1000) and HISTORY_RETAIN_MS (30 s): a room keeps at least the last
 *   HISTORY_LIMIT changes in memory, and every change younger than HISTORY_RETAIN_MS (at most
 *   100,000), to transform late changes without reading storage; older bases are read from storage.
 * - HIRING_ORGANIZATION_NAME, HIRING_ORGANIZATION_URL (unset): the organisation job postings'
 *   schema.org JSON-LD names (GET /api/documents/:id/job-posting reports it missing while unset).
 * - CHANGE_RETENTION_DAYS (30): committed changes are kept this long, then compacted into a
 *   snapshot (0: kept forever). Within it, a client back from offline replays the exact changes;
 *   past it, its pending edits are merged over a snapshot. COMPACTION_INTERVAL_MS (1 h): how often.
 * - TRASH_RETENTION_DAYS (30): a deleted document stays in the trash, restorable, this long; then
 *   it is purged for good (0: kept until an administrator deletes it). Checked every
 *   COMPACTION_INTERVAL_MS.
 * - FANOUT_FRAMES_PER_SECOND (25,000): a room of N sessions writes its broadcasts at most every
 *   N / this seconds, batching what was committed meanwhile (25 sessions: 1 ms; 1,000: 40 ms).
 * - SHUTDOWN_TIMEOUT_MS (8 s): graceful shutdown budget before connections are cut.
 * - DEV_TOKEN_TTL_SECONDS (12 h): lifetime of tokens issued by the development login.
 * - TRUST_PROXY (false): `true`, a hop count, or a comma list of proxy addresses/CIDRs, passed to
 *   Fastify so client IPs (logs, rate limits) come from X-Forwarded-For only behind trusted proxies.
 * - WEB_DIR (packages/web/dist): the built web app, served when the folder exists.
 * - UPGRADE_TIMEOUT_MS (5 s): a new connection must send a complete request head, and a WebSocket
 *   upgrade must be answered, within this; otherwise the socket is closed (connections that send
 *   nothing, or half a request, would otherwise stay open for good). Also the header timeout of
 *   later requests on kept-alive connections.
 * - MAX_CONNECTIONS_PER_IP (1000): TCP connections at once per remote address; more are closed at
 *   once. Trusted proxies (TRUST_PROXY) are exempt: they carry everyone's connections. 0: no cap.
 * - STORAGE_TIMEOUT_MS (3 s): a storage call (PostgreSQL query, SQLite commit waiting for its fsync)
 *   not settled by then is given up: a stalled database would otherwise block its document for
 *   good (one commit in flight per document). The change is refused with STORAGE_UNAVAILABLE and
 *   the client resends it by changeId (a commit that did land is recognised). Far above a
 *   healthy commit (milliseconds), below the client's patience.
 * - REDIS_TIMEOUT_MS (2 s): the same for a publish, subscribe or presence call to Redis.
 * - BREAKER_FAILURE_THRESHOLD (5): consecutive failures (errors or timeouts) of one dependency
 *   (storage reads, storage writes, pub/sub, presence) that open its circuit breaker; while open,
 *   calls are refused at once instead of each waiting for the timeout.
 * - BREAKER_HALF_OPEN_MS (3 s): how long an open breaker refuses calls before one trial call may
 *   close it; clients are told to retry after what is left of it (STORAGE_UNAVAILABLE retryAfter).
 * - MAX_UPGRADES_PER_IP (500): WebSockets (being upgraded or open) at once per client address,
 *   taken from X-Forwarded-For behind trusted proxies; more are refused with 429
 *   TOO_MANY_CONNECTIONS. 0: no cap.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_DOCUMENT_LENGTH } from '@jd-collab/protocol';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Absolute path. */
  dataDir: string;
  /** null only in development before `ensureJwtSecret` filled it in. */
  jwtSecret: string | null;
  /** An identity provider whose RS256/ES256 tokens are accepted too; null: HS256 tokens only. */
  jwtProvider: { jwksUrl: string; issuer: string; audience: string } | null;
  production: boolean;
  logLevel: LogLevel;
  serverId: string;
  /**
   * Origins allowed to open WebSockets. `['*']`: any. `[]`: same-origin only (Origin host = Host).
   * Otherwise exact origins such as `https://jd.example.com` (scheme://host[:port], lower case).
   */
  allowedOrigins: string[];
  rateLimitPerSecond: number;
  rateLimitPerMinute: number;
  restSignInsPerMinute: number;
  restCreatesPerMinute: number;
  restWritesPerMinute: number;
  maxMessageBytes: number;
  maxDocumentLength: number;
  compression: boolean;
  compressionThreshold: number;
  heartbeatIntervalMs: number;
  idleTimeoutMs: number;
  snapshotEvery: number;
  historyLimit: number;
  historyRetainMs: number;
  /** The organisation named in job postings' JSON-LD (HIRING_ORGANIZATION_NAME/_URL); null: unset. */
  hiringOrganization: { name: string; url?: string } | null;
  /** Committed changes older than this are compacted into a snapshot (0: never). */
  changeRetentionMs: number;
  compactionIntervalMs: number;
  /** Documents in the trash longer than this are purged (0: never). */
  trashRetentionMs: number;
  fanoutFramesPerSecond: number;
  shutdownTimeoutMs: number;
  tokenTtlSeconds: number;
  trustProxy: boolean | number | string[];
  upgradeTimeoutMs: number;
  /** 0: no cap. */
  maxConnectionsPerIp: number;
  /** 0: no cap. */
  maxUpgradesPerIp: number;
  storageTimeoutMs: number;
  redisTimeoutMs: number;
  breakerFailureThreshold: number;
  breakerHalfOpenMs: number;
  /** Absolute path of the built web app. */
  webDir: string;
  sqliteSynchronous: 'full' | 'normal';
  databaseUrl: string | null;
  databaseSchema: string;
  databaseStartTimeoutMs: number;
  redisUrl: string | null;
  redisKeyPrefix: string;
  presenceTtlMs: number;
  clusterCheckIntervalMs: number;
}

/** A configuration problem the operator must fix; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIN_PRODUCTION_SECRET_LENGTH = 32;
const DAY_MS = 24 * 3600 * 1000;
// packages/server/src (or dist) -> packages/web/dist
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const jwtSecret = readSecret(env, production);
  return {
    port: int(env, 'PORT', 3000, 0, 65_535),
    host: str(env, 'HOST', '0.0.0.0'),
    dataDir: resolve(str(env, 'DATA_DIR', './data')),
    jwtSecret,
    jwtProvider: jwtProvider(env, production),
    production,
    logLevel: logLevel(env),
    serverId: str(env, 'SERVER_ID', `${hostname()}-${process.pid}`),
    allowedOrigins: origins(env, production),
    rateLimitPerSecond: int(env, 'RATE_LIMIT_PER_SECOND', 10, 1),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 300, 1),
    restSignInsPerMinute: int(env, 'REST_SIGN_INS_PER_MINUTE', 20, 1),
    restCreatesPerMinute: int(env, 'REST_CREATES_PER_MINUTE', 30, 1),
    restWritesPerMinute: int(env, 'REST_WRITES_PER_MINUTE', 120, 1),
    maxMessageBytes: int(env, 'MAX_MESSAGE_BYTES', 1_048_576, 1024),
    maxDocumentLength: int(env, 'MAX_DOCUMENT_LENGTH', MAX_DOCUMENT_LENGTH, 1000),
    compression: bool(env, 'WS_COMPRESSION', true),
    compressionThreshold: int(env, 'WS_COMPRESSION_THRESHOLD', 1024, 0),
    heartbeatIntervalMs: int(env, 'HEARTBEAT_INTERVAL_MS', 30_000, 100),
    idleTimeoutMs: int(env, 'IDLE_TIMEOUT_MS', 30 * 60_000, 1000),
    snapshotEvery: int(env, 'SNAPSHOT_EVERY', 100, 1),
    historyLimit: int(env, 'HISTORY_LIMIT', 1000, 1),
    historyRetainMs: int(env, 'HISTORY_RETAIN_MS', 30_000, 0),
    hiringOrganization: hiringOrganization(env),
    changeRetentionMs: int(env, 'CHANGE_RETENTION_DAYS', 30, 0, 36_500) * DAY_MS,
    compactionIntervalMs: int(env, 'COMPACTION_INTERVAL_MS', 3_600_000, 1000),
    trashRetentionMs: int(env, 'TRASH_RETENTION_DAYS', 30, 0, 36_500) * DAY_MS,
    fanoutFramesPerSecond: int(env, 'FANOUT_FRAMES_PER_SECOND', 25_000, 1),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 8000, 0),
    tokenTtlSeconds: int(env, 'DEV_TOKEN_TTL_SECONDS', 12 * 3600, 1),
    trustProxy: trustProxy(env),
    upgradeTimeoutMs: int(env, 'UPGRADE_TIMEOUT_MS', 5_000, 100, 300_000),
    maxConnectionsPerIp: int(env, 'MAX_CONNECTIONS_PER_IP', 1000, 0),
    maxUpgradesPerIp: int(env, 'MAX_UPGRADES_PER_IP', 500, 0),
    storageTimeoutMs: int(env, 'STORAGE_TIMEOUT_MS', 3_000, 50, 600_000),
    redisTimeoutMs: int(env, 'REDIS_TIMEOUT_MS', 2_000, 50, 600_000),
    breakerFailureThreshold: int(env, 'BREAKER_FAILURE_THRESHOLD', 5, 1, 1000),
    breakerHalfOpenMs: int(env, 'BREAKER_HALF_OPEN_MS', 3_000, 100, 600_000),
    webDir: resolve(str(env, 'WEB_DIR', DEFAULT_WEB_DIR)),
    sqliteSynchronous: oneOf(env, 'SQLITE_SYNCHRONOUS', ['full', 'normal'] as const, 'full'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseSchema: schemaName(env),
    databaseStartTimeoutMs: int(env, 'DATABASE_START_TIMEOUT_MS', 30_000, 0),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisKeyPrefix: str(env, 'REDIS_KEY_PREFIX', 'jd-collab:'),
    presenceTtlMs: int(env, 'PRESENCE_TTL_MS', 15_000, 300),
    clusterCheckIntervalMs: int(env, 'CLUSTER_CHECK_INTERVAL_MS', 5_000, 0),
  };
}

function readSecret(env: Env, production: boolean): string | null {
  const secret = env.JWT_SECRET;
  if (secret === undefined || secret === '') {
    if (production) {
      throw new ConfigError(
        'JWT_SECRET is required when NODE_ENV=production (a random string of at least 32 characters, ' +
          'e.g. `openssl rand -base64 48`).',
      );
    }
    return null;
  }
  if (production && secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
    throw new ConfigError(
      `JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production ` +
        `(got ${secret.length}); a short HMAC key can be brute-forced from any token.`,
    );
  }
  return secret;
}

function jwtProvider(env: Env, production: boolean): Config['jwtProvider'] {
  const jwksUrl = url(env, 'JWT_JWKS_URL', production ? ['https:'] : ['https:', 'http:']);
  const issuer = env.JWT_ISSUER?.trim() ?? '';
  const audience = env.JWT_AUDIENCE?.trim() ?? '';
  if (jwksUrl === null) {
    if (issuer !== '' || audience !== '') {
      throw new ConfigError('JWT_ISSUER and JWT_AUDIENCE only apply with JWT_JWKS_URL; set it too.');
    }
    return null;
  }
  if (issuer === '' || audience === '') {
    throw new ConfigError(
      'JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE (the `iss` and `aud` tokens from that provider must carry).',
    );
  }
  return { jwksUrl, issuer, audience };
}

function hiringOrganization(env: Env): Config['hiringOrganization'] {
  const name = str(env, 'HIRING_ORGANIZATION_NAME', '');
  const site = url(env, 'HIRING_ORGANIZATION_URL', ['http:', 'https:']);
  if (name === '') {
    if (site !== null) throw new ConfigError('HIRING_ORGANIZATION_URL needs HIRING_ORGANIZATION_NAME too.');
    return null;
  }
  return site === null ? { name } : { name, url: site };
}

function str(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? fallback : raw;
}

function int(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    throw new ConfigError(`${name} must be a whole number, got "${raw}".`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${raw}.`);
  }
  return value;
}

function parseBool(raw: string): boolean | undefined {
  const value = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  return undefined;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = parseBool(raw);
  if (value === undefined) {
    throw new ConfigError(`${name} must be true or false, got "${raw}".`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = str(env, name, fallback).toLowerCase();
  const value = values.find((v) => v === raw);
  if (!value) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}".`);
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Never echo the value: connection strings carry passwords.
    throw new ConfigError(`${name} is not a valid URL.`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}.`);
  }
  return raw;
}

/** A bare PostgreSQL identifier, so it can be quoted into SQL safely. */
function schemaName(env: Env): string {
  const schema = str(env, 'DATABASE_SCHEMA', 'public');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(
      `DATABASE_SCHEMA must be lower-case letters, digits and _ (not starting with a digit), got "${schema}".`,
    );
  }
  return schema;
}

function logLevel(env: Env): LogLevel {
  const raw = str(env, 'LOG_LEVEL', 'info').toLowerCase();
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}".`);
  }
  return level;
}

function origins(env: Env, production: boolean): string[] {
  const raw = env.ALLOWED_ORIGINS?.trim();
  if (raw === undefined || raw === '') return production ? [] : ['*'];
  const list = raw
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  return list.map((origin) => {
    if (origin === '*') return origin;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(
        `ALLOWED_ORIGINS entries must be origins like https://host:port, got "${origin}".`,
      );
    }
    const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare || origin.endsWith('/')) {
      throw new ConfigError(
        `ALLOWED_ORIGINS entries must be origins like https://host:port (no path), got "${origin}".`,
      );
    }
    return url.origin;
  });
}

function trustProxy(env: Env): boolean | number | string[] {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '') return false;
  const asBool = parseBool(raw);
  // "1"/"0" read as booleans: one hop of proxies is what "trust the proxy" means.
  if (asBool !== undefined) return asBool;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (list.length === 0 || list.some((a) => !/^[0-9A-Fa-f.:/]+$/.test(a))) {
    throw new ConfigError(
      `TRUST_PROXY must be true, false, a hop count or a comma list of IP addresses/CIDRs, got "${raw}".`,
    );
  }
  return list;
}
