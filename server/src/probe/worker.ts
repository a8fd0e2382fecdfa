// The probe worker thread: runs one probe request off the caller's thread and reports progress and the result.
import { parentPort } from 'node:worker_threads';
import type { ProbeRequest, RunMessage, WorkerMessage } from '../../../common/src/probeWorkerProtocol';
import type { Model } from '../engine/ir';
import { runProbeRequest } from './runner';

function send(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

parentPort?.once('message', (message: RunMessage) => {
  if (message?.type !== 'run') {
    send({ type: 'error', message: 'The probe worker expected a run message.' });
    return;
  }
  // The thread that started this worker sent the engine's own IR models, structured-cloned (common/ types them as unknown).
  runProbeRequest(message.request as ProbeRequest<Model>, { onProgress: (progress) => send({ type: 'progress', progress }) })
    .then((report) => send({ type: 'result', report }))
    .catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }))
    .finally(() => parentPort?.close());
});
