// BatchMatMul and _FusedMatMul on the wasm backend for a training step: transposed operands and new weights run on the
// gemm kernels, the rest on the library's XNNPACK path.
import type * as tf from '@tensorflow/tfjs';
import { gemmMatMul } from './wasmGemm';
import { run, type Info, type KernelArgs, type WasmBackend } from './wasmKernelRegistry';

/*
 * Why: tfjs-backend-wasm 4.22 sends a BatchMatMul to XNNPACK's fully-connected operator only when neither
 * operand is transposed (and the batch is 1); with transposeA or transposeB it falls back to a scalar
 * triple loop that is 10-30x slower. Every backward pass of a Dense layer multiplies transposed operands
 * (dW = x^T dy, dx = dy W^T), so a gradient step cost ~25x a forward pass. Even on its fast path XNNPACK repacks
 * the right operand whenever it is a new tensor, which in a training step is every call (the weights change each
 * step). So BatchMatMul runs on our own SIMD kernels (gemm.wat, assembled into model-lint-gemm.wasm by the build),
 * which read both operands in place on the wasm heap, transposed or not. Without that file (a build that skipped
 * it) the transposed operand is materialised (a copy on the wasm heap, four rows at a time: the library's own
 * Transpose kernel is slower) and the library's fast path is called.
 */

/** A copy of x with its last two axes swapped, written directly on the wasm heap. */
function swapLastTwo(backend: WasmBackend, x: Info): Info {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2];
  const cols = x.shape[rank - 1];
  const batches = x.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const outShape = [...x.shape.slice(0, -2), cols, rows];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after the allocation: growing the heap detaches older views.
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  // Four source rows per pass: each read runs along a row and each column gets four adjacent writes (measured
  // ~2x faster in V8 than a 32x32-blocked loop at these sizes).
  for (let b = 0; b < batches; b++) {
    const base = b * rows * cols;
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const r0 = base + r * cols;
      const r1 = r0 + cols;
      const r2 = r1 + cols;
      const r3 = r2 + cols;
      for (let c = 0, to = base + r; c < cols; c++, to += rows) {
        target[to] = source[r0 + c];
        target[to + 1] = source[r1 + c];
        target[to + 2] = source[r2 + c];
        target[to + 3] = source[r3 + c];
      }
    }
    for (; r < rows; r++) {
      const rowBase = base + r * cols;
      for (let c = 0, to = base + r; c < cols; c++, to += rows) target[to] = source[rowBase + c];
    }
  }
  return out;
}

/** Element count of a tensor. */
function size(info: Info): number {
  return info.shape.reduce((a, b) => a * b, 1);
}

/** Right operands already multiplied once: XNNPACK has packed them and keeps the packing while they live. */
const multipliedBefore = new WeakSet<object>();

/**
 * True the first time a tensor is the right operand of an untransposed product. XNNPACK packs the right operand on
 * first use and reuses the packing (inference with fixed weights: there it is faster than the gemm kernels); in a
 * training step every weight is a new tensor used once, so packing it is pure overhead and the gemm kernels win.
 */
function firstUseOf(b: Info): boolean {
  if (multipliedBefore.has(b.dataId)) return false;
  multipliedBefore.add(b.dataId);
  return true;
}

/** A kernel call that applies a fused activation to the product, null for linear. */
interface ActivationCall {
  kernel: string;
  inputs: (x: Info) => Record<string, Info>;
  attrs: object;
}

/** How a fused matmul's activation is applied after a gemm product; undefined for an activation not covered here. */
function fusedActivationOf(args: KernelArgs): ActivationCall | null | undefined {
  const { preluActivationWeights } = args.inputs as { preluActivationWeights?: Info };
  const attrs = args.attrs as { activation?: string; leakyreluAlpha?: number };
  switch (attrs.activation ?? 'linear') {
    case 'linear':
      return null;
    case 'relu':
      return { kernel: 'Relu', inputs: (x) => ({ x }), attrs: {} };
    case 'relu6':
      return { kernel: 'Relu6', inputs: (x) => ({ x }), attrs: {} };
    case 'elu':
      return { kernel: 'Elu', inputs: (x) => ({ x }), attrs: {} };
    case 'sigmoid':
      return { kernel: 'Sigmoid', inputs: (x) => ({ x }), attrs: {} };
    case 'leakyrelu':
      return { kernel: 'LeakyRelu', inputs: (x) => ({ x }), attrs: { alpha: attrs.leakyreluAlpha ?? 0.2 } };
    case 'prelu':
      return preluActivationWeights ? { kernel: 'Prelu', inputs: (x) => ({ x, alpha: preluActivationWeights }), attrs: {} } : undefined;
    default:
      return undefined;
  }
}

/** Adds a fused matmul's bias and applies its activation to a product made by the gemm kernels (which it consumes). */
function withBiasAndActivation(backend: WasmBackend, product: Info, args: KernelArgs): Info {
  const { bias } = args.inputs as { bias?: Info };
  const activation = fusedActivationOf(args);
  let result = product;
  const replace = (next: Info): void => {
    backend.disposeData(result.dataId);
    result = next;
  };
  if (bias) replace(run('Add', backend, { a: result, b: bias }));
  if (activation) replace(run(activation.kernel, backend, activation.inputs(result), activation.attrs));
  return result;
}

/**
 * Wraps BatchMatMul and _FusedMatMul. A product with a transposed operand, or whose right operand is new (a training
 * step's weights), runs on the gemm kernels (a fused one then adds its bias and activation with the library's
 * kernels); a product with reused weights stays on XNNPACK, which has them packed. Without the gemm kernels only the
 * library's fast untransposed path runs, in one of two equivalent plans; the one that moves fewer elements wins
 * (XNNPACK also repacks the right operand on every call, so its size counts too):
 *  - direct:  op(a) @ op(b), materialising the transposed operands;
 *  - swapped: (op(b)^T @ op(a)^T)^T, where a transposed operand is used as stored and the result is transposed back.
 * For a Dense layer's input gradient dy @ W^T (batch 64, 256x256 kernel) the swapped plan copies 3x fewer elements.
 */
export function untransposingMatMul(original: tf.KernelConfig, fused: boolean): tf.KernelFunc {
  return (args: KernelArgs) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const backend = args.backend as WasmBackend;
    const { a, b } = args.inputs as { a: Info; b: Info };
    if ((transposeA || transposeB || firstUseOf(b)) && (!fused || fusedActivationOf(args) !== undefined)) {
      const product = gemmMatMul(backend, a, b, transposeA, transposeB);
      if (product) return fused ? withBiasAndActivation(backend, product, args) : product;
    }
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const rank = (x: Info): number => x.shape.length;
    const rows = transposeA ? a.shape[rank(a) - 1] : a.shape[rank(a) - 2];
    const cols = transposeB ? b.shape[rank(b) - 2] : b.shape[rank(b) - 1];
    const batch = Math.max(
      size(a) / (a.shape[rank(a) - 1] * a.shape[rank(a) - 2]),
      size(b) / (b.shape[rank(b) - 1] * b.shape[rank(b) - 2]),
    );
    const directCost = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0) + size(b);
    const swappedCost = (transposeB ? 0 : size(b)) + (transposeA ? 0 : size(a)) + size(a) + batch * rows * cols;
    const temporaries: Info[] = [];
    const keep = (t: Info): Info => {
      temporaries.push(t);
      return t;
    };
    const multiply = (left: Info, right: Info): Info =>
      original.kernelFunc({
        ...args,
        inputs: { ...(args.inputs as Record<string, Info>), a: left, b: right } as never,
        attrs: { ...attrs, transposeA: false, transposeB: false } as never,
      }) as Info;
    try {
      // A fused matmul adds bias and activation to the output, so only the direct plan is valid for it.
      if (fused || directCost <= swappedCost) {
        return multiply(transposeA ? keep(swapLastTwo(backend, a)) : a, transposeB ? keep(swapLastTwo(backend, b)) : b);
      }
      const left = transposeB ? b : keep(swapLastTwo(backend, b));
      const right = transposeA ? a : keep(swapLastTwo(backend, a));
      return swapLastTwo(backend, keep(multiply(left, right)));
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}
