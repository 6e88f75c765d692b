/**
 * Runs the real server entry point (src/main.ts) as a child process, so tests can do what only a
 * process allows: SIGKILL it mid-session, restart it on the same port and data, check exit codes.
 * The child runs the TypeScript sources through tsx, resolving workspace packages to src.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly url: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  /** Everything the process printed so far (all runs). */
  output(): string;
  /** Starts (or restarts) the process on the same port and data directory; resolves when /readyz is 200. */
  start(): Promise<void>;
  /** Sends a signal and resolves with how the process ended. */
  kill(signal: NodeJS.Signals): Promise<Exit>;
  /** Kills whatever runs and removes the data directory. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
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

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('server exited during start');
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server not ready within ${timeoutMs} ms`);
}

export async function createServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'jd-process-'));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';

  const run = (): ChildProcess => {
    const proc = spawn(process.execPath, ['--conditions=@jd-collab/source', '--import', 'tsx', MAIN], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        WEB_DIR: join(dataDir, 'no-web-app'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    proc.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    return proc;
  };

  const exited = (proc: ChildProcess): Promise<Exit> =>
    proc.exitCode !== null || proc.signalCode !== null
      ? Promise.resolve({ code: proc.exitCode, signal: proc.signalCode })
      : new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));

  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    dataDir,
    output: () => log,
    async start() {
      child = run();
      try {
        await waitReady(url, child, 30_000);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- server output ---\n${log}`);
      }
    },
    async kill(signal) {
      if (!child) throw new Error('not running');
      const proc = child;
      const done = exited(proc);
      proc.kill(signal);
      const result = await done;
      child = null;
      return result;
    },
    async dispose() {
      if (child) {
        const done = exited(child);
        child.kill('SIGKILL');
        await done;
        child = null;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs main.ts once with the given environment and resolves with its exit and output. */
export function runMainOnce(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<Exit & { output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=@jd-collab/source', '--import', 'tsx', MAIN], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    proc.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`main did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/** A development token from the running server's dev sign-in. */
export async function devLogin(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 200) throw new Error(`dev-login answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** The document's current content, read through the REST API. */
export async function documentContent(url: string, token: string, documentId: string): Promise<string> {
  const res = await fetch(`${url}/api/documents/${documentId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`GET document answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { content: string }).content;
}
