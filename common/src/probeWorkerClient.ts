// Starts a probe in a worker thread: progress events, cancellation through an AbortSignal, the report as a promise.
// Used by the CLI, the language server and the VS Code client alike; it knows the worker only by its script's path.
import { Worker } from 'node:worker_threads';
import type { ProbeReport } from './probe';
import type { ProbeProgress, ProbeRequest, RunMessage, WorkerMessage } from './probeWorkerProtocol';

/** How to run the probe. */
export interface RunProbeControls {
  onProgress?: (progress: ProbeProgress) => void;
  /** Aborting terminates the worker; the promise rejects with ProbeAborted once it has stopped. */
  signal?: AbortSignal;
  /** The worker script: dist/probeWorker.js, or the compiled server/src/probe/worker.js (see the server's defaultWorkerPath). */
  workerPath: string;
}

/** Rejection of a cancelled probe. */
export class ProbeAborted extends Error {
  constructor() {
    super('The probe was cancelled.');
  }
}

/** Runs one probe request in a fresh worker thread; the caller's thread stays free while it trains. */
export function runProbe(request: ProbeRequest, controls: RunProbeControls): Promise<ProbeReport> {
  return new Promise<ProbeReport>((resolve, reject) => {
    if (controls.signal?.aborted) {
      reject(new ProbeAborted());
      return;
    }
    // stdout/stderr are piped so TF.js's console banners do not reach the CLI's output; stderr is kept for crash reports.
    const worker = new Worker(controls.workerPath, { stdout: true, stderr: true });
    let stderr = '';
    worker.stdout.resume();
    worker.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      controls.signal?.removeEventListener('abort', onAbort);
      action();
    };
    // Rejects once the worker has really stopped, so "cancelled" means no training is still running.
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      controls.signal?.removeEventListener('abort', onAbort);
      worker.terminate().then(
        () => reject(new ProbeAborted()),
        () => reject(new ProbeAborted()),
      );
    };
    controls.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') controls.onProgress?.(message.progress);
      else if (message.type === 'result') finish(() => resolve(message.report));
      else if (message.type === 'error') finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => finish(() => reject(new Error(`The probe worker crashed: ${error.message}`))));
    worker.on('exit', (code) =>
      finish(() =>
        reject(
          new Error(
            `The probe worker exited (code ${code}) without a result.${stderr ? ` ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`,
          ),
        ),
      ),
    );
    worker.postMessage({ type: 'run', request } satisfies RunMessage);
  });
}
