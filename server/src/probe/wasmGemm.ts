// The probe's own SIMD matrix-product kernels (gemm.wat, assembled into model-lint-gemm.wasm by the build), run on the
// wasm backend's heap: finding and compiling the module, binding it to the heap, and one BatchMatMul on them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Info, WasmBackend } from './wasmKernelRegistry';

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
export function findGemmWasm(): string | null {
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
export function gemmMatMul(backend: WasmBackend, a: Info, b: Info, transposeA: boolean, transposeB: boolean): Info | null {
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
  else if (batchA === batchB && batchDimsA.length === batchDimsB.length && batchDimsA.every((d, i) => d === batchDimsB[i]))
    batchDims = batchDimsA;
  else if (batchA === 1 && batchDimsA.length <= batchDimsB.length) batchDims = batchDimsB;
  else if (batchB === 1 && batchDimsB.length <= batchDimsA.length) batchDims = batchDimsA;
  else return null;
  const out = backend.makeOutput([...batchDims, m, n], 'float32');
  // Offsets are read after the allocation; the kernels address the heap directly, so a grown heap is no concern.
  const offset = (info: Info): number =>
    (backend as WasmBackend & { getMemoryOffset(dataId: object): number }).getMemoryOffset(info.dataId);
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

/** Compiles the gemm kernels from the assembled file; products then run on them. */
export function loadGemmKernels(file: string): void {
  gemmModule = new wasmApi.Module(readFileSync(file));
}

/** Forgets the gemm kernels and their count (the library's kernels are back). */
export function unloadGemmKernels(): void {
  gemmModule = null;
  gemmInstance = null;
  gemmProducts = 0;
}
