// Messages between the probe client (language server / CLI) and the probe worker thread.
import type { ProbeReport } from '../../../common/src/probe';
import type { ProbeProgress, ProbeRequest } from './runner';

/** Client → worker: start one probe request (a worker runs one request, then exits). */
export interface RunMessage {
  type: 'run';
  request: ProbeRequest;
}

/** Worker → client: one step done. */
export interface ProgressMessage {
  type: 'progress';
  progress: ProbeProgress;
}

/** Worker → client: the finished report. */
export interface ResultMessage {
  type: 'result';
  report: ProbeReport;
}

/** Worker → client: the request failed as a whole (no model found, backend unavailable, ...). */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

/** Anything the worker sends. */
export type WorkerMessage = ProgressMessage | ResultMessage | ErrorMessage;
