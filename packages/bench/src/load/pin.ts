/**
 * Pins the generator to its own core: the first invocation re-executes itself under
 * `taskset -c <core>` (with the file-descriptor limit raised to the hard limit, for the idle
 * scenario's thousands of sockets) and exits with the child's status.
 */
import { spawnSync } from 'node:child_process';
import { tasksetAvailable } from './server-process.js';

const MARKER = 'JD_BENCH_PINNED';

/** Returns null when this process is the one to run the benchmark, else the child's exit code. */
export function reexecPinned(core: number): number | null {
  if (process.env[MARKER] === '1' || !tasksetAvailable()) return null;
  const script = `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec taskset -c ${core} "$0" "$@"`;
  const result = spawnSync(
    'sh',
    ['-c', script, process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, [MARKER]: '1' } },
  );
  return result.status ?? 1;
}

/** Whether this process runs pinned (after reexecPinned). */
export function isPinned(): boolean {
  return process.env[MARKER] === '1';
}
