/**
 * Clean-up on Ctrl-C or SIGTERM for resources that outlive the process when it just dies: a
 * cluster's node processes, its PostgreSQL schema and its Redis keys. Handlers are installed only
 * while something is registered, so the other scenarios keep Node's default behaviour.
 */
type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
/** Bounds the clean-up itself: a stuck database must not keep the bench from exiting. */
const CLEANUP_TIMEOUT_MS = 30_000;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

let interrupted = false;

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return; // a second Ctrl-C while cleaning up: the timer below still ends it
  interrupted = true;
  process.stderr.write(`\n${signal}: stopping the cluster nodes and removing the bench schema and keys\n`);
  const code = signal === 'SIGINT' ? 130 : 143;
  setTimeout(() => process.exit(code), CLEANUP_TIMEOUT_MS).unref();
  void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).then(() => process.exit(code));
}

/** Runs `cleanup` if the process is interrupted before the returned function is called. */
export function cleanUpOnInterrupt(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}
