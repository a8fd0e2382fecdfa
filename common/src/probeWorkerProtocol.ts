// A probe request and the messages between whoever starts the probe worker (CLI, language server, VS Code client) and
// the worker thread (server/src/probe/worker.ts).
import type { ProbeReport } from './probe';
import type { ProbeBackendSetting, ProbeOptions } from './probeOptions';

/** What to probe and how. `ModelIR` is the engine's IR model type (unknown here: common/ knows no engine). */
export interface ProbeRequest<ModelIR = unknown> {
  text: string;
  fileName: string;
  /** Models already analysed from `text` (the server has them); analysed here when absent. */
  models?: ModelIR[];
  /** A model name, or its 0-based index among the file's models; all models when absent. */
  model?: string | number;
  backend?: ProbeBackendSetting;
  /** Also probe the model with every suggested fix applied. */
  compareFixed?: boolean;
  options?: ProbeOptions;
  workspaceRoot?: string;
  wasmDir?: string;
  /** False in an untrusted workspace: no tfjs-node is loaded (see BackendLocations.trusted). */
  trusted?: boolean;
}

/** Progress of a running probe, one event per step. */
export interface ProbeProgress {
  model: string;
  /** 'current' = the model as written; 'fixed' = with the fixes applied. */
  variant: 'current' | 'fixed';
  step: number;
  steps: number;
}

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
