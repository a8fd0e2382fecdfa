// Chooses the TF.js backend of the probe: tfjs-node when it resolves, else the bundled wasm backend, else pure JS cpu.
import type { ProbeBackendSetting } from '../../../common/src/probeOptions';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { installWasmKernelFixes } from './wasmKernels';

/** Where to look for backends. */
export interface BackendLocations {
  /** The user's workspace folder: its node_modules is searched for @tensorflow/tfjs-node first. */
  workspaceRoot?: string;
  /** Folder holding tfjs-backend-wasm's .wasm files (default: next to this bundle, else the installed package). */
  wasmDir?: string;
  /** Give up on a backend that has not initialised after this long (ms). */
  initTimeoutMs?: number;
  /**
   * False in a workspace the user has not trusted: then no tfjs-node is loaded at all (neither the workspace's nor
   * a copy found next to the bundle), only the bundled wasm and cpu backends run. Default true.
   */
  trusted?: boolean;
}

/** Why the probe uses no tfjs-node in an untrusted workspace (shown with the result). */
export const UNTRUSTED_NODE_NOTE =
  'The workspace is not trusted, so the probe does not load @tensorflow/tfjs-node (native code a workspace could provide); it runs on the bundled backends.';

/** The backend in use and what happened on the way (shown to the user). */
export interface BackendChoice {
  backend: string;
  notes: string[];
}

/** Thrown when the backend the user named explicitly cannot be loaded. */
export class BackendUnavailable extends Error {}

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

/** Default wasm folder: next to the running bundle (dist/), else the installed package's dist/. */
export function defaultWasmDir(): string | null {
  if (existsSync(join(__dirname, WASM_FILE))) return __dirname;
  try {
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    const dir = join(dirname(pkg), 'dist');
    return existsSync(join(dir, WASM_FILE)) ? dir : null;
  } catch {
    return null;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not initialise within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

function loadNodeBackend(locations: BackendLocations): string {
  const searchFrom = [locations.workspaceRoot, __dirname].filter((p): p is string => typeof p === 'string');
  const errors: string[] = [];
  for (const from of searchFrom) {
    try {
      const requireFrom = createRequire(join(from, 'noop.js'));
      const resolved = requireFrom.resolve('@tensorflow/tfjs-node');
      requireFrom(resolved);
      return resolved;
    } catch (error) {
      errors.push((error as Error).message.split('\n')[0]);
    }
  }
  throw new Error(`@tensorflow/tfjs-node could not be loaded (${errors[0] ?? 'not found'})`);
}

/** Initialises the wasm backend with the project's kernels; returns notes for the report. */
async function tryWasm(locations: BackendLocations): Promise<string[]> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = locations.wasmDir ?? defaultWasmDir();
  if (!dir) throw new Error('the .wasm files of @tensorflow/tfjs-backend-wasm were not found');
  // Emscripten locates files by prefix; a folder path needs its separator.
  wasm.setWasmPaths(dir.endsWith('/') || dir.endsWith('\\') ? dir : `${dir}/`);
  const notes = installWasmKernelFixes();
  const ok = await withTimeout(tf.setBackend('wasm'), locations.initTimeoutMs ?? 15_000, 'the wasm backend');
  if (!ok) throw new Error(`the wasm backend failed to initialise from ${dir}`);
  return notes;
}

/** Selects and initialises the probe's backend; an explicit preference that fails throws BackendUnavailable. */
export async function selectBackend(preference: ProbeBackendSetting, locations: BackendLocations = {}): Promise<BackendChoice> {
  const notes: string[] = [];
  const current = tf.getBackend();
  if (locations.trusted === false && (preference === 'auto' || preference === 'node')) {
    if (preference === 'node') throw new BackendUnavailable(`Backend 'node' is not used: ${UNTRUSTED_NODE_NOTE} Use auto, wasm or cpu.`);
    notes.push(UNTRUSTED_NODE_NOTE);
  } else if (preference === 'auto' || preference === 'node') {
    try {
      loadNodeBackend(locations);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend failed to initialise');
      return { backend: tf.getBackend(), notes };
    } catch (error) {
      if (preference === 'node')
        throw new BackendUnavailable(`Backend 'node' is not available: ${(error as Error).message}. Use --backend auto, wasm or cpu.`);
      notes.push(`tfjs-node not used: ${(error as Error).message}.`);
    }
  }
  if (preference === 'auto' || preference === 'wasm') {
    if (current === 'wasm') return { backend: 'wasm', notes: [...notes, ...installWasmKernelFixes()] };
    try {
      notes.push(...(await tryWasm(locations)));
      return { backend: tf.getBackend(), notes };
    } catch (error) {
      if (preference === 'wasm')
        throw new BackendUnavailable(`Backend 'wasm' is not available: ${(error as Error).message}. Use --backend auto or cpu.`);
      notes.push(`wasm backend not used: ${(error as Error).message}; the pure JS cpu backend is much slower.`);
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new BackendUnavailable('No TF.js backend could be initialised (cpu failed too).');
  return { backend: tf.getBackend(), notes };
}
