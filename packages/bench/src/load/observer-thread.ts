/**
 * The body of the generator's observer thread (started by observers.ts): the observer clients,
 * on a thread of their own. On the main thread they would time each frame only after the
 * generator had handled every frame that arrived before it, for the ~1,000 light editors too
 * (up to tens of milliseconds of the generator's own lag in every figure); here the kernel wakes
 * this thread when their sockets have data. Send times come from the shared ledger.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BenchClient } from './bench-client.js';
import { ChangeLedger } from './ledger.js';
import type { ObserverReport, ObserverThreadData, ToObserverThread } from './observers.js';

const data = workerData as ObserverThreadData;
const port = parentPort!;
const ledger = new ChangeLedger(data.memory);
const role = { send: false, observe: true, full: false };
const clients = data.clients.map(
  (c) =>
    new BenchClient(c.id, c.doc, role, ledger, {
      wsUrl: c.wsUrl,
      documentId: c.documentId,
      token: c.token,
      deflate: data.deflate,
    }),
);

Promise.all(clients.map((c) => c.opened)).then(
  () => port.postMessage({ type: 'ready' }),
  (error: Error) => port.postMessage({ type: 'failed', message: error.message }),
);

port.on('message', (message: ToObserverThread) => {
  if (message.type !== 'finish') return;
  const report: ObserverReport = {
    latency: ledger.latency.state(),
    unknownReceipts: ledger.unknownReceipts,
    duplicateReceipts: ledger.duplicateReceipts,
    errors: clients.reduce((n, c) => n + c.errors, 0),
    firstError: clients.find((c) => c.firstError)?.firstError ?? null,
    unexpectedCloses: clients.filter((c) => c.unexpectedClose !== null).length,
  };
  for (const client of clients) client.close();
  port.postMessage({ type: 'report', report });
  port.close();
});
