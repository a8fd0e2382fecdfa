// Faster and missing TF.js wasm kernels that a gradient step needs: transposed matmuls and Conv2D's filter gradient.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

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
 * The wasm backend has no Conv2DBackpropFilter kernel at all, so no Conv2D model could train on it: we add one
 * (patches built on the heap, then one fast matmul; at stride 1 the patches are contiguous runs copied natively,
 * so the kernel costs about one forward convolution). Its Conv2DBackpropInput is a scalar loop (seconds per step for a
 * small CNN); the input gradient is a plain convolution of the output gradient, spread on the input's grid, with
 * the flipped filter, which runs on XNNPACK's Conv2D.
 */

type KernelArgs = Parameters<tf.KernelFunc>[0];
type WasmBackend = KernelArgs['backend'] & {
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
};
type Info = tf.TensorInfo;

const WASM = 'wasm';
let installed = false;
/** What installing found missing, repeated to every later caller (the backend report shows it). */
let installNotes: string[] = [];
/** Originals kept so the fix can be switched off again (the bench measures both in one run). */
const originals = new Map<string, tf.KernelConfig | undefined>();

function wasmKernel(name: string): tf.KernelConfig {
  const kernel = originals.has(name) ? originals.get(name) : tf.getKernel(name, WASM);
  if (!kernel) throw new Error(`The wasm backend has no '${name}' kernel.`);
  return kernel;
}

function run(name: string, backend: WasmBackend, inputs: Record<string, Info> | Info[], attrs: object = {}): Info {
  const result = wasmKernel(name).kernelFunc({ inputs: inputs as never, backend, attrs: attrs as never });
  return (Array.isArray(result) ? result[0] : result) as Info;
}

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

function size(info: Info): number {
  return info.shape.reduce((a, b) => a * b, 1);
}

/** File name of the assembled gemm.wat, written next to the bundles by the build. */
export const GEMM_WASM_FILE = 'model-lint-gemm.wasm';

interface GemmExports {
  gemm_nn_tn(c: number, a: number, b: number, m: number, n: number, k: number, aRowStride: number, aDepthStride: number): void;
  gemm_nt(c: number, a: number, b: number, m: number, n: number, k: number): void;
}

/** The slice of the WebAssembly JS API used here (the project's TypeScript libs carry no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: abstract new (...args: never[]) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The compiled gemm module (null when not found) and its instance bound to the current wasm heap. */
let gemmModule: object | null = null;
let gemmInstance: { memory: object; exports: GemmExports } | null = null;
/** Products run on the gemm kernels since install (the bench and tests check that the kernels are in use). */
let gemmProducts = 0;

/** How many matrix products the gemm kernels computed since the fixes were installed. */
export function gemmProductCount(): number {
  return gemmProducts;
}

/** Next to the running bundle (dist/), else the package's dist/ above a compiled source tree (tests run from out/). */
function findGemmWasm(): string | null {
  let dir = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    for (const candidate of [join(dir, GEMM_WASM_FILE), join(dir, 'dist', GEMM_WASM_FILE)]) if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return null;
}

/** The gemm kernels sharing the backend's heap, or null (file missing, or the heap is not reachable). */
function gemmFor(backend: WasmBackend): GemmExports | null {
  if (!gemmModule) return null;
  const memory = (backend as WasmBackend & { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (!(memory instanceof wasmApi.Memory)) return null;
  if (gemmInstance?.memory !== memory) {
    try {
      const instance = new wasmApi.Instance(gemmModule, { env: { memory } });
      gemmInstance = { memory, exports: instance.exports as GemmExports };
    } catch {
      // A heap the module cannot import (the threaded build's shared memory): keep the library's kernels.
      gemmModule = null;
      return null;
    }
  }
  return gemmInstance.exports;
}

/**
 * Shapes where the gemm kernels beat XNNPACK: their SIMD blocks are 8 output columns wide (A B, A^T B) or 4 terms
 * deep (A B^T) and the edges run scalar, so a product whose edge is a large part of it (a 10-unit softmax layer over
 * a wide input: N = 10 and K = 32768, or its input gradient with K = 10) stays on XNNPACK.
 */
function gemmSuits(m: number, n: number, k: number, transposeB: boolean): boolean {
  if (m < 1 || n < 1 || k < 1) return false;
  if (transposeB) return k >= 16 && (k % 4 === 0 || k >= 64);
  return n >= 8 && (n % 8 === 0 || n >= 64);
}

/**
 * One float32 BatchMatMul on the gemm kernels: op(a) @ op(b) per batch, a batch of one broadcast against the other.
 * Returns null for what the kernels do not cover (both operands transposed, other dtypes, general broadcasting).
 */
function gemmMatMul(backend: WasmBackend, a: Info, b: Info, transposeA: boolean, transposeB: boolean): Info | null {
  if (transposeA && transposeB) return null;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const gemm = gemmFor(backend);
  if (!gemm) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if ((transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) !== k || !gemmSuits(m, n, k, transposeB)) return null;
  const batchDimsA = a.shape.slice(0, -2);
  const batchDimsB = b.shape.slice(0, -2);
  const batchA = batchDimsA.reduce((x, y) => x * y, 1);
  const batchB = batchDimsB.reduce((x, y) => x * y, 1);
  let batchDims: number[];
  if (batchA === 1 && batchB === 1) batchDims = batchDimsA.length >= batchDimsB.length ? batchDimsA : batchDimsB;
  else if (batchA === batchB && batchDimsA.length === batchDimsB.length && batchDimsA.every((d, i) => d === batchDimsB[i])) batchDims = batchDimsA;
  else if (batchA === 1 && batchDimsA.length <= batchDimsB.length) batchDims = batchDimsB;
  else if (batchB === 1 && batchDimsB.length <= batchDimsA.length) batchDims = batchDimsA;
  else return null;
  const out = backend.makeOutput([...batchDims, m, n], 'float32');
  // Offsets are read after the allocation; the kernels address the heap directly, so a grown heap is no concern.
  const offset = (info: Info): number => (backend as WasmBackend & { getMemoryOffset(dataId: object): number }).getMemoryOffset(info.dataId);
  const [outAt, aAt, bAt] = [offset(out), offset(a), offset(b)];
  const batches = Math.max(batchA, batchB);
  gemmProducts += batches;
  for (let i = 0; i < batches; i++) {
    const aBase = aAt + (batchA === 1 ? 0 : i * m * k * 4);
    const bBase = bAt + (batchB === 1 ? 0 : i * k * n * 4);
    const cBase = outAt + i * m * n * 4;
    if (transposeB) gemm.gemm_nt(cBase, aBase, bBase, m, n, k);
    else gemm.gemm_nn_tn(cBase, aBase, bBase, m, n, k, transposeA ? 1 : k, transposeA ? m : 1);
  }
  return out;
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
    case 'linear': return null;
    case 'relu': return { kernel: 'Relu', inputs: (x) => ({ x }), attrs: {} };
    case 'relu6': return { kernel: 'Relu6', inputs: (x) => ({ x }), attrs: {} };
    case 'elu': return { kernel: 'Elu', inputs: (x) => ({ x }), attrs: {} };
    case 'sigmoid': return { kernel: 'Sigmoid', inputs: (x) => ({ x }), attrs: {} };
    case 'leakyrelu': return { kernel: 'LeakyRelu', inputs: (x) => ({ x }), attrs: { alpha: attrs.leakyreluAlpha ?? 0.2 } };
    case 'prelu': return preluActivationWeights ? { kernel: 'Prelu', inputs: (x) => ({ x, alpha: preluActivationWeights }), attrs: {} } : undefined;
    default: return undefined;
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
function untransposingMatMul(original: tf.KernelConfig, fused: boolean): tf.KernelFunc {
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
    const batch = Math.max(size(a) / (a.shape[rank(a) - 1] * a.shape[rank(a) - 2]), size(b) / (b.shape[rank(b) - 1] * b.shape[rank(b) - 2]));
    const directCost = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0) + size(b);
    const swappedCost = (transposeB ? 0 : size(b)) + (transposeA ? 0 : size(a)) + size(a) + batch * rows * cols;
    const temporaries: Info[] = [];
    const keep = (t: Info): Info => { temporaries.push(t); return t; };
    const multiply = (left: Info, right: Info): Info => original.kernelFunc({
      ...args, inputs: { ...(args.inputs as Record<string, Info>), a: left, b: right } as never, attrs: { ...attrs, transposeA: false, transposeB: false } as never,
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

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
}

function convInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error('the wasm conv gradients support channels-last (NHWC) only.');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, 1, attrs.pad as never, attrs.dimRoundingMode, false, 'channelsLast');
}

/**
 * dW = patches^T dy with stride 1, where no element is gathered one by one. x is padded and transposed once to
 * xT [inChannels, rows of the padded grid]; dy is laid on the same padded grid (zeros where no output is). On that
 * grid a filter tap (kh, kw) is a constant row offset kh * paddedWidth + kw, so each patch row is one contiguous
 * run of xT, copied natively. One matmul [taps * inChannels, rows] @ [rows, outChannels] then gives dW in its
 * own layout. Other strides take the gathering im2col below.
 */
function conv2dBackpropFilterStride1(backend: WasmBackend, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo, filterShape: number[]): Info | null {
  const [batch, height, width, inChannels] = x.shape;
  const { filterHeight, filterWidth, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  const paddedHeight = outHeight + filterHeight - 1;
  const paddedWidth = outWidth + filterWidth - 1;
  if (top < 0 || left < 0 || height + top > paddedHeight || width + left > paddedWidth) return null;
  const gridRows = batch * paddedHeight * paddedWidth;
  // Rows past the last output position only ever meet zeros of dy, so they are left out.
  const rows = gridRows - (filterHeight - 1) * paddedWidth - (filterWidth - 1);
  const taps = filterHeight * filterWidth;
  const temporaries: Info[] = [];
  try {
    const xT = backend.makeOutput([inChannels, gridRows], 'float32');
    temporaries.push(xT);
    const dyGrid = backend.makeOutput([rows, outChannels], 'float32');
    temporaries.push(dyGrid);
    const patchesT = backend.makeOutput([taps * inChannels, rows], 'float32');
    temporaries.push(patchesT);
    // Views are taken after the allocations: growing the heap detaches older views.
    const input = backend.typedArrayFromHeap(x);
    const xTValues = backend.typedArrayFromHeap(xT).fill(0);
    for (let b = 0; b < batch; b++) {
      for (let ih = 0; ih < height; ih++) {
        const from = (b * height + ih) * width * inChannels;
        const gridRow = (b * paddedHeight + ih + top) * paddedWidth + left;
        for (let ci = 0; ci < inChannels; ci++) {
          let to = ci * gridRows + gridRow;
          for (let iw = 0, at = from + ci; iw < width; iw++, at += inChannels) xTValues[to++] = input[at];
        }
      }
    }
    const gradient = backend.typedArrayFromHeap(dy);
    const dyValues = backend.typedArrayFromHeap(dyGrid).fill(0);
    const lineLength = outWidth * outChannels;
    for (let b = 0; b < batch; b++) {
      for (let oh = 0; oh < outHeight; oh++) {
        const from = (b * outHeight + oh) * lineLength;
        dyValues.set(gradient.subarray(from, from + lineLength), (b * paddedHeight + oh) * paddedWidth * outChannels);
      }
    }
    const patches = backend.typedArrayFromHeap(patchesT);
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        const offset = kh * paddedWidth + kw;
        for (let ci = 0; ci < inChannels; ci++) {
          const from = ci * gridRows + offset;
          patches.set(xTValues.subarray(from, from + rows), ((kh * filterWidth + kw) * inChannels + ci) * rows);
        }
      }
    }
    const grad2d = run('BatchMatMul', backend, { a: patchesT, b: dyGrid }, { transposeA: false, transposeB: false });
    temporaries.push(grad2d);
    return run('Reshape', backend, { x: grad2d }, { shape: filterShape });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/**
 * dW = patches^T dy. The patches are written on the heap already transposed ([taps * inChannels, positions]), so
 * the one matmul needs no transpose and XNNPACK repacks only dy (its right operand), not the 9x larger patches.
 */
function conv2dBackpropFilter(args: KernelArgs): Info {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  const info = convInfo(x.shape, attrs.filterShape, attrs);
  if (info.strideHeight === 1 && info.strideWidth === 1) {
    const result = conv2dBackpropFilterStride1(backend, x, dy, info, attrs.filterShape);
    if (result) return result;
  }
  const [batch, height, width, inChannels] = x.shape;
  const { filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  const positions = batch * outHeight * outWidth;
  const patchRows = filterHeight * filterWidth * inChannels;
  const temporaries: Info[] = [];
  try {
    const patchesT = backend.makeOutput([patchRows, positions], 'float32');
    temporaries.push(patchesT);
    const input = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(patchesT);
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        for (let ci = 0; ci < inChannels; ci++) {
          // Writes run along one contiguous row; reads stride over x by inChannels.
          let to = ((kh * filterWidth + kw) * inChannels + ci) * positions;
          for (let b = 0; b < batch; b++) {
            for (let oh = 0; oh < outHeight; oh++) {
              const ih = oh * strideHeight + kh - top;
              if (ih < 0 || ih >= height) {
                target.fill(0, to, to + outWidth);
                to += outWidth;
                continue;
              }
              const rowBase = (b * height + ih) * width;
              for (let ow = 0; ow < outWidth; ow++, to++) {
                const iw = ow * strideWidth + kw - left;
                target[to] = iw < 0 || iw >= width ? 0 : input[(rowBase + iw) * inChannels + ci];
              }
            }
          }
        }
      }
    }
    const dy2d = run('Reshape', backend, { x: dy }, { shape: [positions, outChannels] });
    temporaries.push(dy2d);
    const grad2d = run('BatchMatMul', backend, { a: patchesT, b: dy2d }, { transposeA: false, transposeB: false });
    temporaries.push(grad2d);
    return run('Reshape', backend, { x: grad2d }, { shape: attrs.filterShape });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/**
 * dx = conv2d(G, filter flipped in space with in/out channels swapped, stride 1, valid), where G is dy spread on the
 * input's grid: dy[oh, ow] lands at (filter - 1 - pad) + (oh, ow) * stride, zeros elsewhere. For stride 1 that is a
 * plain padding; for larger strides the zeros between the dy values cost stride^2 more multiplications than needed,
 * but the convolution runs on XNNPACK while the library's own kernel is a scalar loop (~13x a forward pass at stride 2).
 */
function conv2dBackpropInput(original: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as WasmBackend;
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    if (attrs.dataFormat === 'NCHW') return original.kernelFunc(args);
    const info = convInfo(attrs.inputShape, filter.shape, attrs);
    const { filterHeight, filterWidth, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
    const [batch, height, width] = attrs.inputShape;
    const padTop = filterHeight - 1 - info.padInfo.top;
    const padLeft = filterWidth - 1 - info.padInfo.left;
    if (padTop < 0 || padLeft < 0) return original.kernelFunc(args);
    const gridHeight = height + filterHeight - 1;
    const gridWidth = width + filterWidth - 1;
    const temporaries: Info[] = [];
    try {
      const flipped = backend.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32');
      temporaries.push(flipped);
      const grid = backend.makeOutput([batch, gridHeight, gridWidth, outChannels], 'float32');
      temporaries.push(grid);
      // Views are taken after the allocations: growing the heap detaches older views.
      const source = backend.typedArrayFromHeap(filter);
      const target = backend.typedArrayFromHeap(flipped);
      for (let kh = 0; kh < filterHeight; kh++) {
        for (let kw = 0; kw < filterWidth; kw++) {
          const from = ((filterHeight - 1 - kh) * filterWidth + (filterWidth - 1 - kw)) * inChannels * outChannels;
          const to = (kh * filterWidth + kw) * outChannels * inChannels;
          for (let ci = 0; ci < inChannels; ci++) {
            for (let co = 0; co < outChannels; co++) target[to + co * inChannels + ci] = source[from + ci * outChannels + co];
          }
        }
      }
      const gradient = backend.typedArrayFromHeap(dy);
      const gridValues = backend.typedArrayFromHeap(grid).fill(0);
      // dy values that land past the grid would only reach input positions that do not exist.
      const columns = Math.min(outWidth, Math.ceil((gridWidth - padLeft) / strideWidth));
      for (let b = 0; b < batch; b++) {
        for (let oh = 0; oh < outHeight; oh++) {
          const row = padTop + oh * strideHeight;
          if (row >= gridHeight) break;
          const from = (b * outHeight + oh) * outWidth * outChannels;
          const to = ((b * gridHeight + row) * gridWidth + padLeft) * outChannels;
          if (strideWidth === 1) {
            gridValues.set(gradient.subarray(from, from + columns * outChannels), to);
            continue;
          }
          for (let ow = 0; ow < columns; ow++) {
            const at = from + ow * outChannels;
            const into = to + ow * strideWidth * outChannels;
            for (let c = 0; c < outChannels; c++) gridValues[into + c] = gradient[at + c];
          }
        }
      }
      return run('Conv2D', backend, { x: grid, filter: flipped }, {
        strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: attrs.dimRoundingMode,
      });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

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

function replaceKernel(config: tf.KernelConfig): void {
  if (!originals.has(config.kernelName)) originals.set(config.kernelName, tf.getKernel(config.kernelName, WASM));
  if (tf.getKernel(config.kernelName, WASM)) tf.unregisterKernel(config.kernelName, WASM);
  tf.registerKernel(config);
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
  if (gemmFile) gemmModule = new wasmApi.Module(readFileSync(gemmFile));
  else if (options.gemm !== false) notes.push(`wasm matmul kernels (${GEMM_WASM_FILE}) not found next to the probe: gradient steps run ~1.5x slower; run the build to create it.`);
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(name, WASM);
    if (!original) continue;
    replaceKernel({ kernelName: name, backendName: WASM, setupFunc: original.setupFunc, kernelFunc: untransposingMatMul(original, name === '_FusedMatMul') });
  }
  const backpropInput = tf.getKernel('Conv2DBackpropInput', WASM);
  if (backpropInput) {
    replaceKernel({ kernelName: 'Conv2DBackpropInput', backendName: WASM, setupFunc: backpropInput.setupFunc, kernelFunc: conv2dBackpropInput(backpropInput) });
  }
  if (tf.getKernel('Identity', WASM)) replaceKernel({ kernelName: 'Identity', backendName: WASM, kernelFunc: sharingIdentity as tf.KernelFunc });
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
  for (const [name, original] of originals) {
    if (tf.getKernel(name, WASM)) tf.unregisterKernel(name, WASM);
    if (original) tf.registerKernel(original);
  }
  originals.clear();
  gemmModule = null;
  gemmInstance = null;
  gemmProducts = 0;
  installed = false;
}
