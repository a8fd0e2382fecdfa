// Faster and missing TF.js wasm kernels that a gradient step needs, installed together: matmuls on the probe's gemm
// kernels (wasmMatMul.ts, wasmGemm.ts), Conv2D's gradients (wasmConvGradients.ts) and an Identity that shares buffers.
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter, conv2dBackpropInput } from './wasmConvGradients';
import { findGemmWasm, GEMM_WASM_FILE, loadGemmKernels, unloadGemmKernels } from './wasmGemm';
import { replaceKernel, restoreKernels, WASM, wasmKernel, type Info, type KernelArgs, type WasmBackend } from './wasmKernelRegistry';
import { untransposingMatMul } from './wasmMatMul';

export { gemmProductCount, GEMM_WASM_FILE } from './wasmGemm';

let installed = false;
/** What installing found missing, repeated to every later caller (the backend report shows it). */
let installNotes: string[] = [];

/**
 * Identity that shares the input's buffer (reference counted) instead of copying it, as the cpu backend does. The
 * engine clones every tensor a gradient will need (~80 per step of a 10-layer MLP); no wasm kernel writes into its
 * inputs, so sharing is safe, and the buffer is freed when its last user is disposed.
 */
function sharingIdentity(args: KernelArgs): Info {
  const { x } = args.inputs as { x: Info };
  if (x.dtype === 'string') return wasmKernel('Identity').kernelFunc(args) as Info;
  (args.backend as WasmBackend & { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Installs the faster/missing wasm kernels (idempotent). Call after the wasm backend module is loaded. Returns a note
 * for the backend report when the gemm kernels were not found (the slower materialising path is used instead);
 * `gemm: false` leaves them out on purpose (the bench compares both).
 */
export function installWasmKernelFixes(options: { gemm?: boolean } = {}): string[] {
  if (installed) return installNotes;
  const notes: string[] = [];
  const gemmFile = options.gemm === false ? null : findGemmWasm();
  if (gemmFile) loadGemmKernels(gemmFile);
  else if (options.gemm !== false)
    notes.push(
      `wasm matmul kernels (${GEMM_WASM_FILE}) not found next to the probe: gradient steps run ~1.5x slower; run the build to create it.`,
    );
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(name, WASM);
    if (!original) continue;
    replaceKernel({
      kernelName: name,
      backendName: WASM,
      setupFunc: original.setupFunc,
      kernelFunc: untransposingMatMul(original, name === '_FusedMatMul'),
    });
  }
  const backpropInput = tf.getKernel('Conv2DBackpropInput', WASM);
  if (backpropInput) {
    replaceKernel({
      kernelName: 'Conv2DBackpropInput',
      backendName: WASM,
      setupFunc: backpropInput.setupFunc,
      kernelFunc: conv2dBackpropInput(backpropInput),
    });
  }
  if (tf.getKernel('Identity', WASM))
    replaceKernel({ kernelName: 'Identity', backendName: WASM, kernelFunc: sharingIdentity as tf.KernelFunc });
  if (!tf.getKernel('Conv2DBackpropFilter', WASM)) {
    replaceKernel({ kernelName: 'Conv2DBackpropFilter', backendName: WASM, kernelFunc: conv2dBackpropFilter as tf.KernelFunc });
  }
  installed = true;
  installNotes = notes;
  return notes;
}

/** Restores the library's own kernels, removing the added Conv2DBackpropFilter (the bench measures with and without). */
export function uninstallWasmKernelFixes(): void {
  if (!installed) return;
  restoreKernels();
  unloadGemmKernels();
  installed = false;
}
