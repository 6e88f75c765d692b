/**
 * `npm run cluster`: the production topology on one machine, without Docker. Three jd-collab
 * node processes on their own ports share the local PostgreSQL (database `jdcollab`, created if
 * missing) and the local Redis; Debian's nginx runs in front of them as the current user, with a
 * configuration generated into a run folder (pid, logs and temp files live there too). Ctrl-C
 * stops everything.
 *
 *   npm run cluster [-- --nodes 3 --port 8080 --base-port 3001 --from-source --no-build]
 *
 * Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/jdcollab), REDIS_URL
 * (default redis://127.0.0.1:6379), JWT_SECRET (default: generated once, kept in the run folder),
 * NGINX_BIN (default /usr/sbin/nginx), CLUSTER_DIR (default <tmp>/jd-collab-cluster).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { renderNginxMain } from '../packages/server/src/deploy/nginx-config.js';

const ROOT = new URL('..', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    'base-port': { type: 'string', default: '3001' },
    'from-source': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const NODES = Number(args.nodes);
const PORT = Number(args.port);
const BASE_PORT = Number(args['base-port']);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/jdcollab';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const RUN_DIR = process.env.CLUSTER_DIR ?? join(tmpdir(), 'jd-collab-cluster');

function say(message: string): void {
  console.log(`[cluster] ${message}`);
}

function fail(message: string): never {
  console.error(`[cluster] ${message}`);
  process.exit(1);
}

/** Newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds ot, protocol and server when their dist is missing or older than their sources. */
function buildIfNeeded(): void {
  const stale = ['ot', 'protocol', 'server'].filter((pkg) => {
    const dist = join(ROOT, 'packages', pkg, 'dist');
    return !existsSync(dist) || newest(dist) < newest(join(ROOT, 'packages', pkg, 'src'));
  });
  if (stale.length > 0) {
    say(`building ${stale.join(', ')} ...`);
    // In dependency order: each one compiles against the previous one's dist types.
    for (const pkg of ['ot', 'protocol', 'server']) {
      execFileSync('npm', ['run', 'build', '-w', `@jd-collab/${pkg}`], { cwd: ROOT, stdio: 'inherit' });
    }
  }
  if (!existsSync(join(ROOT, 'packages/web/dist'))) {
    say('building the web app ...');
    try {
      execFileSync('npm', ['run', 'build', '-w', '@jd-collab/web'], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      say('the web app did not build: the nodes serve the API and WebSockets only');
    }
  }
}

/** Creates the database named in DATABASE_URL when it does not exist yet. */
async function ensureDatabase(): Promise<void> {
  const target = new URL(DATABASE_URL);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) fail(`database name "${name}" must be lower-case letters, digits, _`);
  const admin = new URL(DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${name}`);
      say(`created database ${name}`);
    }
  } catch (error) {
    fail(`PostgreSQL is not reachable (${String(error)}). Start it, or set DATABASE_URL.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(`Redis is not reachable at ${REDIS_URL} (${String(error)}). Start it, or set REDIS_URL.`);
  } finally {
    redis.disconnect();
  }
}

function jwtSecret(): string {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = join(RUN_DIR, 'jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function run(name: string, command: string, argv: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (data: Buffer) => {
      const lines = (rest + data.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) console.log(prefix + line);
    });
  }
  child.once('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) say(`${name} exited (${signal ?? `code ${code}`}); nginx routes around it`);
  });
  children.set(name, child);
  return child;
}

async function waitReady(name: string, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!children.has(name)) fail(`${name} exited during start (see its output above)`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`${name} was not ready within 60 s`);
}

async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping ...');
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      ),
  );
  for (const child of children.values()) child.kill('SIGTERM');
  await Promise.all(exits);
  say('stopped');
  process.exit(0);
}

async function main(): Promise<void> {
  if (!Number.isInteger(NODES) || NODES < 1 || NODES > 20) fail('--nodes must be between 1 and 20');
  if (!existsSync(NGINX)) fail(`nginx not found at ${NGINX} (apt-get install nginx, or set NGINX_BIN)`);
  mkdirSync(RUN_DIR, { recursive: true });
  await ensureDatabase();
  await checkRedis();
  if (!args['from-source'] && !args['no-build']) buildIfNeeded();
  process.once('SIGINT', () => void stopAll());
  process.once('SIGTERM', () => void stopAll());

  const secret = jwtSecret();
  const entry = args['from-source']
    ? ['--conditions=@jd-collab/source', '--import', 'tsx', 'packages/server/src/main.ts']
    : ['packages/server/dist/main.js'];
  const nodes: string[] = [];
  for (let i = 1; i <= NODES; i++) {
    const port = BASE_PORT + i - 1;
    const dataDir = join(RUN_DIR, `node-${i}`);
    mkdirSync(dataDir, { recursive: true });
    run(`node-${i}`, process.execPath, entry, {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SERVER_ID: `node-${i}`,
      DATA_DIR: dataDir,
      DATABASE_URL,
      REDIS_URL,
      JWT_SECRET: secret,
      TRUST_PROXY: '127.0.0.1',
    });
    nodes.push(`127.0.0.1:${port}`);
  }
  await Promise.all(nodes.map((node, i) => waitReady(`node-${i + 1}`, `http://${node}/readyz`)));

  const nginxDir = join(RUN_DIR, 'nginx');
  mkdirSync(nginxDir, { recursive: true });
  const conf = join(nginxDir, 'nginx.conf');
  const user = process.getuid?.() === 0 ? userInfo().username : undefined;
  writeFileSync(conf, renderNginxMain({ listen: PORT, nodes, runDir: nginxDir, ...(user ? { user } : {}) }));
  run('nginx', NGINX, ['-c', conf, '-p', nginxDir, '-e', join(nginxDir, 'error.log')], process.env);
  await waitReady('nginx', `http://127.0.0.1:${PORT}/nginx-health`);

  say(`${NODES} nodes behind nginx: http://localhost:${PORT}`);
  for (const [i, node] of nodes.entries())
    say(`  node-${i + 1}: http://${node} (readiness: /readyz, metrics: /metrics)`);
  say(`  nginx config, logs and pid: ${nginxDir}`);
  say('Ctrl-C stops everything.');
}

await main();
