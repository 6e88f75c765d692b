/**
 * Runs the observer clients on a thread of their own (observer-thread.ts), so their receipt times
 * do not wait for the generator's main thread to get through the frames of every light editor.
 * Both threads share the change ledger; at the end the thread reports what only it saw.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HistogramState } from './histogram.js';
import type { LedgerMemory } from './ledger.js';

export interface ObserverSpec {
  id: number;
  doc: number;
  wsUrl: string;
  documentId: string;
  token: string;
}

export interface ObserverThreadData {
  memory: LedgerMemory;
  clients: ObserverSpec[];
  deflate: boolean;
}

export type ToObserverThread = { type: 'finish' };

export interface ObserverReport {
  latency: HistogramState;
  unknownReceipts: number;
  duplicateReceipts: number;
  errors: number;
  firstError: string | null;
  unexpectedCloses: number;
}

type FromObserverThread =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'report'; report: ObserverReport };

export class ObserverThread {
  private readonly worker: Worker;
  private readonly messages: FromObserverThread[] = [];
  private waiting: (() => void) | null = null;
  private failure: Error | null = null;

  private constructor(data: ObserverThreadData) {
    this.worker = startThread(new URL(`./observer-thread${moduleExtension()}`, import.meta.url), data);
    this.worker.on('message', (message: FromObserverThread) => this.push(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`observer thread exited (${code})`)));
  }

  /** Starts the thread; resolves once every observer has opened its document. */
  static async start(data: ObserverThreadData): Promise<ObserverThread> {
    const thread = new ObserverThread(data);
    const first = await thread.next();
    if (first.type === 'failed') {
      await thread.worker.terminate();
      throw new Error(`an observer could not connect: ${first.message}`);
    }
    return thread;
  }

  /** Closes the observers and returns what they saw; the thread then ends. */
  async finish(): Promise<ObserverReport> {
    this.worker.postMessage({ type: 'finish' } satisfies ToObserverThread);
    const message = await this.next();
    if (message.type !== 'report') throw new Error(`observer thread: unexpected ${message.type}`);
    return message.report;
  }

  /** Ends the thread at once (on error). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private push(message: FromObserverThread): void {
    this.messages.push(message);
    this.waiting?.();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiting?.();
  }

  private async next(): Promise<FromObserverThread> {
    for (;;) {
      const message = this.messages.shift();
      if (message) return message;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
      this.waiting = null;
    }
  }
}

/** `.js` when running the build, `.ts` when running the sources (tests). */
function moduleExtension(): string {
  return fileURLToPath(import.meta.url).endsWith('.ts') ? '.ts' : '.js';
}

/**
 * A worker thread running `module`. From the TypeScript sources (under Vitest) it first registers
 * tsx and resolves workspace packages to their sources, as the tests do.
 */
function startThread(module: URL, workerData: unknown): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData });
  const load = `import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(module.href)}))`;
  return new Worker(load, { eval: true, workerData, execArgv: ['--conditions=@jd-collab/source'] });
}
