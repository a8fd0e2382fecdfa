// The wasm backend's kernel table as the probe's kernels see it: the backend's types, the library's original kernels
// (kept while ours replace them) and calls of them.
import * as tf from '@tensorflow/tfjs';

/** Arguments of a kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];
/** The wasm backend with the heap access the kernels use. */
export type WasmBackend = KernelArgs['backend'] & {
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
};
/** A tensor as kernels see it. */
export type Info = tf.TensorInfo;

/** The backend name the kernels register under. */
export const WASM = 'wasm';
/** Originals kept so the fix can be switched off again (the bench measures both in one run). */
const originals = new Map<string, tf.KernelConfig | undefined>();

/** The library's own kernel of that name, also once ours replaces it. */
export function wasmKernel(name: string): tf.KernelConfig {
  const kernel = originals.has(name) ? originals.get(name) : tf.getKernel(name, WASM);
  if (!kernel) throw new Error(`The wasm backend has no '${name}' kernel.`);
  return kernel;
}

/** Calls the library's own kernel; its first output. */
export function run(name: string, backend: WasmBackend, inputs: Record<string, Info> | Info[], attrs: object = {}): Info {
  const result = wasmKernel(name).kernelFunc({ inputs: inputs as never, backend, attrs: attrs as never });
  return (Array.isArray(result) ? result[0] : result) as Info;
}

/** Registers a kernel in place of the library's, keeping the original (or its absence) for restoreKernels. */
export function replaceKernel(config: tf.KernelConfig): void {
  if (!originals.has(config.kernelName)) originals.set(config.kernelName, tf.getKernel(config.kernelName, WASM));
  if (tf.getKernel(config.kernelName, WASM)) tf.unregisterKernel(config.kernelName, WASM);
  tf.registerKernel(config);
}

/** Puts every replaced kernel's original back (and removes the kernels that were missing). */
export function restoreKernels(): void {
  for (const [name, original] of originals) {
    if (tf.getKernel(name, WASM)) tf.unregisterKernel(name, WASM);
    if (original) tf.registerKernel(original);
  }
  originals.clear();
}
