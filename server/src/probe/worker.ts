// The probe worker thread: runs one probe request off the caller's thread and reports progress and the result.
import { parentPort } from 'node:worker_threads';
import type { RunMessage, WorkerMessage } from './protocol';
import { runProbeRequest } from './runner';

function send(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

parentPort?.once('message', (message: RunMessage) => {
  if (message?.type !== 'run') {
    send({ type: 'error', message: 'The probe worker expected a run message.' });
    return;
  }
  runProbeRequest(message.request, { onProgress: (progress) => send({ type: 'progress', progress }) })
    .then((report) => send({ type: 'result', report }))
    .catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }))
    .finally(() => parentPort?.close());
});
