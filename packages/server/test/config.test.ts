import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { ensureJwtSecret, JWT_SECRET_FILE } from '../src/jwt-secret.js';

const SECRET = 'a-production-secret-of-at-least-32-chars!';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has documented defaults in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: resolve('./data'),
      jwtSecret: null,
      production: false,
      logLevel: 'info',
      allowedOrigins: ['*'],
      rateLimitPerSecond: 10,
      rateLimitPerMinute: 300,
      restSignInsPerMinute: 20,
      restCreatesPerMinute: 30,
      restWritesPerMinute: 120,
      maxMessageBytes: 1_048_576,
      compression: true,
      compressionThreshold: 1024,
      heartbeatIntervalMs: 30_000,
      idleTimeoutMs: 1_800_000,
      snapshotEvery: 100,
      historyLimit: 1000,
      historyRetainMs: 30_000,
      hiringOrganization: null,
      changeRetentionMs: 30 * 24 * 3600 * 1000,
      compactionIntervalMs: 3_600_000,
      trashRetentionMs: 30 * 24 * 3600 * 1000,
      fanoutFramesPerSecond: 25_000,
      shutdownTimeoutMs: 8000,
      tokenTtlSeconds: 43_200,
      trustProxy: false,
      jwtProvider: null,
      upgradeTimeoutMs: 5000,
      maxConnectionsPerIp: 1000,
      maxUpgradesPerIp: 500,
      storageTimeoutMs: 3000,
      redisTimeoutMs: 2000,
      breakerFailureThreshold: 5,
      breakerHalfOpenMs: 3000,
    });
    expect(config.serverId).toMatch(new RegExp(`-${process.pid}$`));
    expect(config.webDir.replaceAll('\\', '/')).toMatch(/packages\/web\/dist$/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: '/tmp/jd',
      JWT_SECRET: 'dev-secret',
      JWT_JWKS_URL: 'https://idp.example.com/jwks.json',
      JWT_ISSUER: 'https://idp.example.com/',
      JWT_AUDIENCE: 'jd',
      LOG_LEVEL: 'DEBUG',
      SERVER_ID: 'node-a',
      ALLOWED_ORIGINS: 'https://jd.example.com, http://localhost:5173',
      RATE_LIMIT_PER_SECOND: '5',
      RATE_LIMIT_PER_MINUTE: '100',
      REST_SIGN_INS_PER_MINUTE: '2',
      REST_CREATES_PER_MINUTE: '3',
      REST_WRITES_PER_MINUTE: '4',
      MAX_MESSAGE_BYTES: '65536',
      MAX_DOCUMENT_LENGTH: '5000',
      WS_COMPRESSION: 'false',
      WS_COMPRESSION_THRESHOLD: '0',
      HEARTBEAT_INTERVAL_MS: '1000',
      IDLE_TIMEOUT_MS: '60000',
      SNAPSHOT_EVERY: '10',
      HISTORY_LIMIT: '50',
      HISTORY_RETAIN_MS: '0',
      HIRING_ORGANIZATION_NAME: 'Acme Ltd',
      HIRING_ORGANIZATION_URL: 'https://acme.example/',
      CHANGE_RETENTION_DAYS: '0',
      COMPACTION_INTERVAL_MS: '60000',
      TRASH_RETENTION_DAYS: '7',
      FANOUT_FRAMES_PER_SECOND: '1000',
      SHUTDOWN_TIMEOUT_MS: '2000',
      DEV_TOKEN_TTL_SECONDS: '60',
      TRUST_PROXY: 'true',
      WEB_DIR: '/srv/web',
      SQLITE_SYNCHRONOUS: 'normal',
      DATABASE_URL: 'postgresql://127.0.0.1/jd',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      REDIS_KEY_PREFIX: 'test:',
      DATABASE_SCHEMA: 'staging_2',
      DATABASE_START_TIMEOUT_MS: '5000',
      PRESENCE_TTL_MS: '6000',
      CLUSTER_CHECK_INTERVAL_MS: '0',
      UPGRADE_TIMEOUT_MS: '2500',
      MAX_CONNECTIONS_PER_IP: '0',
      MAX_UPGRADES_PER_IP: '20',
      STORAGE_TIMEOUT_MS: '1500',
      REDIS_TIMEOUT_MS: '700',
      BREAKER_FAILURE_THRESHOLD: '2',
      BREAKER_HALF_OPEN_MS: '900',
    });
    expect(config).toEqual({
      port: 0,
      host: '127.0.0.1',
      dataDir: '/tmp/jd',
      jwtSecret: 'dev-secret',
      jwtProvider: {
        jwksUrl: 'https://idp.example.com/jwks.json',
        issuer: 'https://idp.example.com/',
        audience: 'jd',
      },
      production: false,
      logLevel: 'debug',
      serverId: 'node-a',
      allowedOrigins: ['https://jd.example.com', 'http://localhost:5173'],
      rateLimitPerSecond: 5,
      rateLimitPerMinute: 100,
      restSignInsPerMinute: 2,
      restCreatesPerMinute: 3,
      restWritesPerMinute: 4,
      maxMessageBytes: 65_536,
      maxDocumentLength: 5000,
      compression: false,
      compressionThreshold: 0,
      heartbeatIntervalMs: 1000,
      idleTimeoutMs: 60_000,
      snapshotEvery: 10,
      historyLimit: 50,
      historyRetainMs: 0,
      hiringOrganization: { name: 'Acme Ltd', url: 'https://acme.example/' },
      changeRetentionMs: 0,
      compactionIntervalMs: 60_000,
      trashRetentionMs: 7 * 24 * 3600 * 1000,
      fanoutFramesPerSecond: 1000,
      shutdownTimeoutMs: 2000,
      tokenTtlSeconds: 60,
      trustProxy: true,
      webDir: '/srv/web',
      sqliteSynchronous: 'normal',
      databaseUrl: 'postgresql://127.0.0.1/jd',
      redisUrl: 'redis://127.0.0.1:6379/2',
      redisKeyPrefix: 'test:',
      databaseSchema: 'staging_2',
      databaseStartTimeoutMs: 5000,
      presenceTtlMs: 6000,
      clusterCheckIntervalMs: 0,
      upgradeTimeoutMs: 2500,
      maxConnectionsPerIp: 0,
      maxUpgradesPerIp: 20,
      storageTimeoutMs: 1500,
      redisTimeoutMs: 700,
      breakerFailureThreshold: 2,
      breakerHalfOpenMs: 900,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', JWT_SECRET: '', ALLOWED_ORIGINS: ' ' })).toMatchObject({
      port: 3000,
      jwtSecret: null,
      allowedOrigins: ['*'],
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '3.5' }, 'PORT'],
    [{ RATE_LIMIT_PER_SECOND: '0' }, 'RATE_LIMIT_PER_SECOND'],
    [{ MAX_MESSAGE_BYTES: '1e6' }, 'MAX_MESSAGE_BYTES'],
    [{ STORAGE_TIMEOUT_MS: '0' }, 'STORAGE_TIMEOUT_MS'],
    [{ BREAKER_FAILURE_THRESHOLD: '0' }, 'BREAKER_FAILURE_THRESHOLD'],
    [{ SNAPSHOT_EVERY: 'often' }, 'SNAPSHOT_EVERY'],
    [{ UPGRADE_TIMEOUT_MS: '10' }, 'UPGRADE_TIMEOUT_MS'],
    [{ JWT_JWKS_URL: 'https://idp.example.com/jwks.json' }, 'JWT_ISSUER'],
    [
      { JWT_JWKS_URL: 'https://idp.example.com/jwks.json', JWT_ISSUER: 'https://idp.example.com/' },
      'JWT_AUDIENCE',
    ],
    [{ JWT_AUDIENCE: 'jd' }, 'JWT_JWKS_URL'],
    [{ JWT_JWKS_URL: 'ftp://idp.example.com/jwks.json', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'JWT_JWKS_URL'],
    [{ MAX_CONNECTIONS_PER_IP: '-1' }, 'MAX_CONNECTIONS_PER_IP'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WS_COMPRESSION: 'maybe' }, 'WS_COMPRESSION'],
    [{ ALLOWED_ORIGINS: 'jd.example.com' }, 'ALLOWED_ORIGINS'],
    [{ ALLOWED_ORIGINS: 'https://jd.example.com/app' }, 'ALLOWED_ORIGINS'],
    [{ ALLOWED_ORIGINS: 'ftp://jd.example.com' }, 'ALLOWED_ORIGINS'],
    [{ TRUST_PROXY: 'the proxy' }, 'TRUST_PROXY'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(configError(env).message).toContain(variable);
  });

  it('reads TRUST_PROXY as a flag, a hop count or a list of addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });

  it('allows any origin with ALLOWED_ORIGINS=*', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: '*' }).allowedOrigins).toEqual(['*']);
  });

  describe('in production', () => {
    it('refuses to start without JWT_SECRET', () => {
      const error = configError({ NODE_ENV: 'production' });
      expect(error.message).toContain('JWT_SECRET is required');
    });

    it('refuses a JWT_SECRET shorter than 32 characters', () => {
      expect(configError({ NODE_ENV: 'production', JWT_SECRET: 'short' }).message).toContain('at least 32');
    });

    it('defaults to same-origin WebSockets', () => {
      const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET });
      expect(config.production).toBe(true);
      expect(config.allowedOrigins).toEqual([]);
      expect(config.jwtSecret).toBe(SECRET);
    });

    it('takes a JWKS over https only', () => {
      const provider = { JWT_ISSUER: 'https://idp.example.com/', JWT_AUDIENCE: 'jd' };
      const env = { NODE_ENV: 'production', JWT_SECRET: SECRET, ...provider };
      expect(configError({ ...env, JWT_JWKS_URL: 'http://idp.example.com/jwks.json' }).message).toContain(
        'JWT_JWKS_URL',
      );
      expect(loadConfig({ ...env, JWT_JWKS_URL: 'https://idp.example.com/jwks.json' }).jwtProvider).toEqual({
        jwksUrl: 'https://idp.example.com/jwks.json',
        issuer: 'https://idp.example.com/',
        audience: 'jd',
      });
    });
  });
});

describe('ensureJwtSecret', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function warnings() {
    const messages: string[] = [];
    return { messages, logger: { warn: (_obj: object, msg: string) => void messages.push(msg) } };
  }

  it('returns JWT_SECRET when set, without touching the disk', () => {
    dir = mkdtempSync(join(tmpdir(), 'jd-config-'));
    const { messages, logger } = warnings();
    const config = loadConfig({ JWT_SECRET: 'configured', DATA_DIR: join(dir, 'data') });
    expect(ensureJwtSecret(config, logger)).toBe('configured');
    expect(messages).toEqual([]);
    expect(() => statSync(join(dir!, 'data'))).toThrow();
  });

  it('generates a development secret once, stores it with mode 0600 and warns', () => {
    dir = mkdtempSync(join(tmpdir(), 'jd-config-'));
    const config = loadConfig({ DATA_DIR: join(dir, 'data') });
    const first = warnings();
    const secret = ensureJwtSecret(config, first.logger);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, 'data', JWT_SECRET_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.messages.join('\n')).toMatch(/JWT_SECRET is not set.*generated/);

    const second = warnings();
    expect(ensureJwtSecret(config, second.logger)).toBe(secret);
    expect(second.messages.join('\n')).toContain('JWT_SECRET is not set');
  });

  it('uses a secret already stored in DATA_DIR', () => {
    dir = mkdtempSync(join(tmpdir(), 'jd-config-'));
    writeFileSync(join(dir, JWT_SECRET_FILE), 'stored-secret\n');
    expect(ensureJwtSecret(loadConfig({ DATA_DIR: dir }), warnings().logger)).toBe('stored-secret');
  });

  it('never generates a secret in production', () => {
    const config = { ...loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }), jwtSecret: null };
    expect(() => ensureJwtSecret(config, warnings().logger)).toThrow(ConfigError);
  });
});

describe('loadConfig: storage and scale-out settings', () => {
  it('defaults to durable SQLite and no external services', () => {
    expect(loadConfig({})).toMatchObject({
      sqliteSynchronous: 'full',
      databaseUrl: null,
      redisUrl: null,
      redisKeyPrefix: 'jd-collab:',
      databaseSchema: 'public',
      databaseStartTimeoutMs: 30_000,
      presenceTtlMs: 15_000,
      clusterCheckIntervalMs: 5_000,
    });
  });

  it('accepts only a bare lower-case DATABASE_SCHEMA (it is quoted into SQL)', () => {
    expect(loadConfig({ DATABASE_SCHEMA: 'jd_collab' }).databaseSchema).toBe('jd_collab');
    for (const bad of ['Public', 'a-b', '1abc', 'x"; drop table documents; --', 'a'.repeat(64)]) {
      expect(configError({ DATABASE_SCHEMA: bad }).message).toMatch(/DATABASE_SCHEMA must be lower-case/);
    }
  });

  it('bounds PRESENCE_TTL_MS and CLUSTER_CHECK_INTERVAL_MS', () => {
    expect(configError({ PRESENCE_TTL_MS: '100' }).message).toMatch(/PRESENCE_TTL_MS must be between 300/);
    expect(configError({ CLUSTER_CHECK_INTERVAL_MS: '-1' }).message).toMatch(
      /CLUSTER_CHECK_INTERVAL_MS must be a whole number/,
    );
  });

  it('reads DATABASE_URL, REDIS_URL and SQLITE_SYNCHRONOUS', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@127.0.0.1:5432/jd',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SQLITE_SYNCHRONOUS: 'NORMAL',
      REDIS_KEY_PREFIX: 'staging:',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://app@127.0.0.1:5432/jd',
      redisUrl: 'redis://127.0.0.1:6379',
      sqliteSynchronous: 'normal',
      redisKeyPrefix: 'staging:',
    });
  });

  it('refuses malformed URLs without echoing a password', () => {
    const error = configError({ DATABASE_URL: 'mysql://user:hunter2@db/jd' });
    expect(error.message).toMatch(/DATABASE_URL must start with postgres/);
    expect(error.message).not.toContain('hunter2');
    expect(configError({ REDIS_URL: 'not a url' }).message).toMatch(/REDIS_URL is not a valid URL/);
    expect(configError({ SQLITE_SYNCHRONOUS: 'off' }).message).toMatch(/SQLITE_SYNCHRONOUS must be one of/);
  });
});
