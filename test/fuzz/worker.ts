// Worker thread of the fuzzer: checks the inputs it is sent, one at a time, and posts each result back.
import { parentPort } from 'node:worker_threads';
import { checkInput } from './checks';

/** A message to the worker: one input to check. */
export interface WorkerRequest {
  id: number;
  text: string;
  fileName: string;
}

parentPort?.on('message', (request: WorkerRequest) => {
  parentPort?.postMessage({ id: request.id, result: checkInput(request.text, request.fileName) });
});
