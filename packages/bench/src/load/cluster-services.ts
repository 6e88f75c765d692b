/**
 * The shared services of a bench cluster: a PostgreSQL schema and a Redis key prefix of its own,
 * both with random names, created for one run and removed after it (after its nodes stopped),
 * so runs never see each other's documents or messages and leave nothing behind.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and BENCH_REDIS_URL
 * (default redis://127.0.0.1:6379) choose the servers; like everything in the bench they must be
 * on this machine (loopback), since the figures assume nothing travels over a real network.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const CONNECT_TIMEOUT_MS = 5_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
}

export interface ClusterServices {
  /** What every node of the cluster gets in its environment. */
  env: {
    DATABASE_URL: string;
    DATABASE_SCHEMA: string;
    REDIS_URL: string;
    REDIS_KEY_PREFIX: string;
  };
  /** For the report: where the services are and PostgreSQL's durability settings (no password). */
  settings: Record<string, string>;
  /** Drops the schema and deletes the keys. Call once the nodes stopped. Idempotent. */
  remove(): Promise<void>;
}

/** PostgreSQL or Redis could not be reached: the cluster scenario cannot run here. */
export class ServicesUnavailableError extends Error {
  override readonly name = 'ServicesUnavailableError';
}

export function serviceUrls(env: NodeJS.ProcessEnv = process.env): ServiceUrls {
  return {
    databaseUrl: env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: env.BENCH_REDIS_URL ?? DEFAULT_REDIS_URL,
  };
}

function assertLoopback(url: string, variable: string): void {
  if (!LOOPBACK.has(new URL(url).hostname)) {
    throw new Error(`${variable} must point at this machine (127.0.0.1): the bench targets loopback only`);
  }
}

/** The URL without its password, for printing. */
function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

async function withDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let cause: unknown;
  redis.on('error', (error) => {
    cause = error; // more telling than connect()'s "Connection is closed"
  });
  try {
    await redis.connect().catch((error: unknown) => {
      throw cause ?? error;
    });
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Creates a fresh schema (CREATE SCHEMA fails on an existing one: we only ever drop our own). */
export async function createClusterServices(urls: ServiceUrls = serviceUrls()): Promise<ClusterServices> {
  assertLoopback(urls.databaseUrl, 'BENCH_DATABASE_URL');
  assertLoopback(urls.redisUrl, 'BENCH_REDIS_URL');
  const id = randomBytes(6).toString('hex');
  const schema = `jdbench_${id}`;
  const prefix = `jdbench-${id}:`;
  try {
    await withRedis(urls.redisUrl, (redis) => redis.ping());
  } catch (error) {
    throw new ServicesUnavailableError(`Redis is not reachable at ${urls.redisUrl} (${String(error)})`);
  }
  let postgres: { version: string; synchronousCommit: string };
  try {
    postgres = await withDatabase(urls.databaseUrl, async (client) => {
      const setting = async (name: string) =>
        (await client.query<{ value: string }>('SELECT current_setting($1) AS value', [name])).rows[0]
          ?.value ?? '?';
      const found = {
        version: (await setting('server_version')).split(' ')[0] ?? '?',
        synchronousCommit: await setting('synchronous_commit'),
      };
      // Last, so that nothing can fail between creating the schema and handing out its remover.
      await client.query(`CREATE SCHEMA ${schema}`);
      return found;
    });
  } catch (error) {
    throw new ServicesUnavailableError(
      `PostgreSQL is not reachable at ${redacted(urls.databaseUrl)} (${String(error)})`,
    );
  }
  let removing: Promise<void> | null = null;
  return {
    env: {
      DATABASE_URL: urls.databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: urls.redisUrl,
      REDIS_KEY_PREFIX: prefix,
    },
    settings: {
      database: redacted(urls.databaseUrl),
      schema,
      postgres: postgres.version,
      synchronous_commit: postgres.synchronousCommit,
      redis: urls.redisUrl,
      redisKeyPrefix: prefix,
    },
    remove: () => {
      removing ??= Promise.all([
        withDatabase(urls.databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
        withRedis(urls.redisUrl, (redis) => deleteKeys(redis, prefix)),
      ]).then(() => undefined);
      return removing;
    },
  };
}
