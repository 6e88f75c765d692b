/**
 * The writing checks (@jd-collab/checks) off the main thread: parsing and checking a long job
 * description takes tens of milliseconds, which typing must never wait for.
 */
// First: it must run before the engine's modules are evaluated (see the file).
import './worker-require-shim.js';
import { checkJobDescription, type Posting } from '@jd-collab/checks';

export interface CheckRequest {
  id: number;
  text: string;
  posting: Posting | null;
}

self.onmessage = (event: MessageEvent<CheckRequest>) => {
  const { id, text, posting } = event.data;
  self.postMessage({ id, report: checkJobDescription(text, posting) });
};
