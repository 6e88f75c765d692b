/**
 * Runs the writing checks in a Web Worker (checks-worker.ts), one request at a time per caller
 * (the linter asks again only after its answer), answering each with the engine's report. Where
 * no Worker exists (tests in jsdom), the engine runs in this thread, loaded on first use.
 */
import type { CheckReport, Posting } from '@jd-collab/checks';
import type { CheckRequest } from './checks-worker.js';

export interface ChecksRunner {
  check(text: string, posting: Posting | null): Promise<CheckReport>;
  dispose(): void;
}

export function createChecksRunner(): ChecksRunner {
  if (typeof Worker === 'undefined') {
    return {
      check: async (text, posting) => (await import('@jd-collab/checks')).checkJobDescription(text, posting),
      dispose: () => undefined,
    };
  }
  // The worker starts on the first check and again after dispose(): React may dispose a runner and
  // keep using it (StrictMode mounts, unmounts and mounts again in development).
  let worker: Worker | null = null;
  const waiting = new Map<number, { resolve: (report: CheckReport) => void; reject: (e: Error) => void }>();
  let next = 0;
  const start = (): Worker => {
    const started = new Worker(new URL('./checks-worker.ts', import.meta.url), { type: 'module' });
    started.onmessage = (event: MessageEvent<{ id: number; report: CheckReport }>) => {
      waiting.get(event.data.id)?.resolve(event.data.report);
      waiting.delete(event.data.id);
    };
    return started;
  };
  return {
    check(text, posting) {
      worker ??= start();
      const id = ++next;
      const request: CheckRequest = { id, text, posting };
      const running = worker;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        running.postMessage(request);
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
      for (const { reject } of waiting.values()) reject(new Error('the checks were stopped'));
      waiting.clear();
    },
  };
}
