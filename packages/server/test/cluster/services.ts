/**
 * The real services the cluster tests run against, each owned by the test that starts it and
 * removed afterwards: a PostgreSQL database of its own (on TEST_DATABASE_URL's server), nginx
 * with a generated configuration in a temp folder, a private redis-server, and a TCP proxy that
 * can be taken down to cut a node off PostgreSQL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { renderNginxMain } from '../../src/deploy/nginx-config.js';
import { adminConnection, deleteKeys, randomPrefix } from '../pubsub/redis-test-support.js';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns true (a service coming up); fails with `what` after timeoutMs. */
export async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

// ---- PostgreSQL ------------------------------------------------------------------------------

export interface TestDatabase {
  /** Connection string of the database. */
  url: string;
  /** The same with another port (to go through a proxy). */
  urlWithPort(port: number): string;
  drop(): Promise<void>;
}

function withPath(url: string, name: string, port?: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  if (port !== undefined) parsed.port = String(port);
  return parsed.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database; PostgreSQL not reachable is a failure, not a skip (CI starts it). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `jdcollab_cluster_${randomBytes(6).toString('hex')}`;
  try {
    await admin(async (client) => {
      await client.query(`CREATE DATABASE ${name}`);
      // Test data need not survive a power cut; ordering and locking are unchanged.
      await client.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    });
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL} (${String(error)}). These tests need a real ` +
        'PostgreSQL: start it (CI does), or point TEST_DATABASE_URL at one.',
    );
  }
  return {
    url: withPath(ADMIN_URL, name),
    urlWithPort: (port) => withPath(ADMIN_URL, name, port),
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

// ---- nginx -------------------------------------------------------------------------------------

/**
 * Registers this test file's hooks for the shared services: a PostgreSQL database of its own,
 * created before the first test and dropped after the last, and a Redis key prefix whose keys
 * are deleted at the end. Read `db` inside tests (it exists once `beforeAll` ran).
 */
export function useTestServices(): { readonly db: TestDatabase; readonly prefix: string } {
  const prefix = randomPrefix();
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    const redis = await adminConnection();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });
  return {
    prefix,
    get db(): TestDatabase {
      if (!db) throw new Error('the test database is created in beforeAll');
      return db;
    },
  };
}

export interface Nginx {
  url: string;
  wsUrl: string;
  runDir: string;
  stop(): Promise<void>;
}

/** Debian's nginx in the foreground with a generated configuration, running as this user. */
export async function startNginx(nodes: readonly string[]): Promise<Nginx> {
  const port = await freePort();
  const runDir = mkdtempSync(join(tmpdir(), 'jd-nginx-'));
  const conf = join(runDir, 'nginx.conf');
  const user = process.getuid?.() === 0 ? userInfo().username : undefined;
  writeFileSync(
    conf,
    renderNginxMain({
      listen: `127.0.0.1:${port}`,
      nodes,
      runDir,
      ...(user ? { user } : {}),
      // Quick to notice a dead node in a test; production keeps the defaults.
      failTimeoutSeconds: 2,
    }),
  );
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  let output = '';
  const proc = spawn(NGINX, ['-c', conf, '-p', runDir, '-e', join(runDir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await until('nginx did not start', async () => {
      if (proc.exitCode !== null) throw new Error(`nginx exited: ${output}`);
      return (await fetch(`${url}/nginx-health`)).status === 200;
    });
  } catch (error) {
    proc.kill('SIGKILL');
    throw new Error(`${String(error)}\n${output}`);
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    runDir,
    async stop() {
      await stopProcess(proc, 'SIGTERM');
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

async function stopProcess(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  await exited;
}

// ---- a private Redis ----------------------------------------------------------------------------

export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL: no goodbye to its clients). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing). */
  start(): Promise<void>;
}

/** A redis-server of this test's own, so it can be killed and restarted without touching others. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    );
    proc = child;
    await until('redis-server did not start', async () => {
      if (child.exitCode !== null) throw new Error('redis-server exited');
      return ping(port);
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      if (proc) await stopProcess(proc, 'SIGKILL');
      proc = null;
    },
    start,
  };
}

/** PING over a raw socket (no client library: its reconnects would hide what we test). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
  });
}

// ---- a TCP proxy that can be taken down ------------------------------------------------------

export interface TcpProxy {
  port: number;
  /** Stops listening and cuts every connection through it (the database "vanishes"). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** `targetPort` may be a function: read at each connection (a restarted in-process node moves). */
export async function startTcpProxy(
  targetPort: number | (() => number),
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const up = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = tcpConnect(typeof targetPort === 'number' ? targetPort : targetPort(), targetHost);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
      server = s;
    });
  const down = async (): Promise<void> => {
    const s = server;
    server = null;
    const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await up();
  return { port, up, down, close: down };
}
