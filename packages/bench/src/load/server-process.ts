/**
 * Runs the real server (packages/server/dist/main.js) as its own process, pinned to one core with
 * taskset, on a fresh temporary DATA_DIR, with a raised file-descriptor limit. The generator talks
 * to it over 127.0.0.1 only and reads its CPU and memory from /proc.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  /** http://127.0.0.1:port */
  url: string;
  /** ws://127.0.0.1:port */
  wsUrl: string;
  pid: number;
  /** HS256 secret the server verifies tokens with. */
  secret: string;
  /** The settings that matter for reading the figures (printed with every result). */
  settings: Record<string, string>;
  stop(): Promise<void>;
}

/** The bench servers' MAX_DOCUMENT_LENGTH (the editors' inserts grow one document for the whole run). */
export const BENCH_MAX_DOCUMENT_LENGTH = 100_000_000;

export interface ServerProcessOptions {
  /** Core to pin the server to (default 0); null: no pinning. */
  cpu?: number | null;
  /** 'full' (the default server setting: fsync per commit) or 'normal'. */
  sqliteSynchronous?: 'full' | 'normal';
  /** Per-session limits, raised so the generator's own pace is never refused. */
  rateLimitPerSecond?: number;
  rateLimitPerMinute?: number;
  /** Extra environment (e.g. WS_COMPRESSION, SNAPSHOT_EVERY; a cluster node's DATABASE_URL, SERVER_ID). */
  env?: Record<string, string>;
  /** JWT_SECRET; default a fresh random one. The nodes of a cluster must share one. */
  secret?: string;
  /** File-descriptor limit for the server (raised up to the hard limit). */
  fdLimit?: number;
  /** Entry point; default packages/server/dist/main.js (or $SERVER_MAIN). */
  main?: string;
}

/** A random HS256 secret for a bench server (or for all the nodes of a bench cluster). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export const DEFAULT_SERVER_MAIN = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));

export function tasksetAvailable(): boolean {
  return os.cpus().length >= 2 && spawnSync('taskset', ['-p', String(process.pid)]).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServerProcess(options: ServerProcessOptions = {}): Promise<BenchServer> {
  const main = options.main ?? process.env.SERVER_MAIN ?? DEFAULT_SERVER_MAIN;
  if (!existsSync(main)) {
    throw new Error(`server entry ${main} not found: run \`npm run build\` first (npm run bench does)`);
  }
  const cpu = options.cpu === undefined ? 0 : options.cpu;
  const pinned = cpu !== null && tasksetAvailable();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jd-collab-bench-'));
  const secret = options.secret ?? newSecret();
  const settings: Record<string, string> = {
    SQLITE_SYNCHRONOUS: options.sqliteSynchronous ?? 'full',
    RATE_LIMIT_PER_SECOND: String(options.rateLimitPerSecond ?? 1000),
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 60_000),
    // Light editors only insert (4 characters, 5 times a second each): 1,000 of them pass the
    // default limit of 100,000 code points within seconds.
    MAX_DOCUMENT_LENGTH: String(BENCH_MAX_DOCUMENT_LENGTH),
    LOG_LEVEL: 'warn',
    // Every simulated user connects from loopback: no per-address caps.
    MAX_CONNECTIONS_PER_IP: '0',
    MAX_UPGRADES_PER_IP: '0',
    ...options.env,
  };
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: secret,
    ...settings,
  };
  const fdLimit = options.fdLimit ?? 65_536;
  // `exec` keeps one pid from sh to taskset to node, so /proc/<pid> is the server's.
  const script = `ulimit -n ${fdLimit} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${pinned ? `taskset -c ${cpu} ` : ''}"$0" "$@"`;
  // SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under load.
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn('sh', ['-c', script, process.execPath, ...nodeArgs, main], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, exited, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  if (child.pid === undefined) throw new Error('server process has no pid');
  settings.pinnedToCpu = pinned ? String(cpu) : 'no';

  let stopping: Promise<void> | null = null;
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid: child.pid,
    secret,
    settings,
    stop: () => {
      stopping ??= (async () => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
        rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

async function waitHealthy(
  url: string,
  child: ChildProcess,
  exited: Promise<number | null>,
  output: () => string,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exitCode !== undefined || child.exitCode !== null) {
      throw new Error(`server exited (code ${exitCode ?? child.exitCode}) during start:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not become healthy within 30 s:\n${output()}`);
}
