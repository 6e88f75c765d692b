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
  const worker = new Worker(new URL('./checks-worker.ts', import.meta.url), { type: 'module' });
  const waiting = new Map<number, (report: CheckReport) => void>();
  let next = 0;
  worker.onmessage = (event: MessageEvent<{ id: number; report: CheckReport }>) => {
    waiting.get(event.data.id)?.(event.data.report);
    waiting.delete(event.data.id);
  };
  return {
    check(text, posting) {
      const id = ++next;
      const request: CheckRequest = { id, text, posting };
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage(request);
      });
    },
    dispose() {
      worker.terminate();
      waiting.clear();
    },
  };
}
