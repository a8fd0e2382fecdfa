// The replacement wasm kernels (transposed matmuls, conv gradients) give the cpu backend's numbers.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { selectBackend } from '../../server/src/probe/backend';
import { gemmProductCount } from '../../server/src/probe/wasmKernels';

type Nested = number[] | number[][] | number[][][] | number[][][][];

/** Runs fn on wasm and on cpu with the same input values; returns the largest absolute difference and magnitude. */
async function compare(inputs: Nested[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<{ diff: number; scale: number }> {
  const run = (): Float32Array[] => {
    const result = fn(...inputs.map((v) => tf.tensor(v)));
    return (Array.isArray(result) ? result : [result]).map((t) => t.dataSync() as Float32Array);
  };
  const wasm = run();
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend('wasm');
  let diff = 0;
  let scale = 0;
  wasm.forEach((w, k) =>
    w.forEach((v, i) => {
      diff = Math.max(diff, Math.abs(v - cpu[k][i]));
      scale = Math.max(scale, Math.abs(cpu[k][i]));
    }),
  );
  return { diff, scale };
}

const random = (shape: number[]): Nested =>
  tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', shape.length * 31 + shape[0]).arraySync() as Nested);

describe('wasm kernel fixes', () => {
  before(async () => {
    const choice = await selectBackend('wasm');
    assert.equal(choice.backend, 'wasm');
    assert.deepEqual(choice.notes, [], 'the gemm kernels are found (the build writes them next to the bundles)');
  });

  it("runs the products of a Dense layer's gradient step on the gemm kernels", () => {
    const before = gemmProductCount();
    tf.tidy(() => {
      const x = tf.randomNormal([64, 256], 0, 1, 'float32', 1);
      const w = tf.randomNormal([256, 128], 0, 1, 'float32', 2);
      tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.matMul(xx, ww)))([x, w]).forEach((g) => g.dataSync());
    });
    // Forward x w, input gradient dy w^T, kernel gradient x^T dy.
    assert.equal(gemmProductCount() - before, 3);
  });

  it('a fused matmul with new weights runs on the gemm kernels, then adds bias and applies each fused activation', async () => {
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const) {
      const before = gemmProductCount();
      const { diff, scale } = await compare([random([8, 16]), random([16, 24]), random([24]), random([24])], (x, w, bias, alpha) =>
        tf.fused.matMul({
          a: x,
          b: w,
          bias,
          activation,
          preluActivationWeights: activation === 'prelu' ? alpha : undefined,
          leakyreluAlpha: 0.3,
        }),
      );
      assert.ok(diff <= 1e-5 * Math.max(1, scale), `${activation}: diff ${diff}`);
      assert.equal(gemmProductCount() - before, 1, `${activation} ran on the gemm kernels`);
    }
  });

  it('weights used again stay on XNNPACK, which keeps them packed', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([16, 32], 0, 1, 'float32', 3);
      const w = tf.randomNormal([32, 64], 0, 1, 'float32', 4);
      const before = gemmProductCount();
      const first = tf.matMul(x, w).dataSync();
      const again = tf.matMul(x, w).dataSync();
      assert.equal(gemmProductCount() - before, 1, 'only the first use ran on the gemm kernels');
      assert.ok(first.every((v, i) => Math.abs(v - again[i]) <= 1e-5 * Math.max(1, Math.abs(v))));
    });
  });

  it('BatchMatMul matches the cpu backend for random shapes, transposes and batch broadcasting (property)', async () => {
    const cases = fc.sample(
      fc.record({
        m: fc.integer({ min: 1, max: 40 }),
        n: fc.integer({ min: 1, max: 80 }),
        k: fc.integer({ min: 1, max: 80 }),
        batch: fc.constantFrom<'none' | 'same' | 'left1' | 'right1'>('none', 'same', 'left1', 'right1'),
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
      }),
      { numRuns: 60, seed: 7 },
    );
    for (const { m, n, k, batch, transposeA, transposeB } of cases) {
      const batchA = batch === 'none' ? [] : batch === 'left1' ? [1] : [3];
      const batchB = batch === 'none' ? [] : batch === 'right1' ? [1] : [3];
      const shapeA = [...batchA, ...(transposeA ? [k, m] : [m, k])];
      const shapeB = [...batchB, ...(transposeB ? [n, k] : [k, n])];
      const { diff, scale } = await compare([random(shapeA), random(shapeB)], (a, b) => tf.matMul(a, b, transposeA, transposeB));
      assert.ok(diff <= 1e-5 * Math.max(1, scale), `${shapeA} x ${shapeB} tA=${transposeA} tB=${transposeB}: diff ${diff}`);
    }
  });

  it('BatchMatMul with every transpose combination, 2-D and batched', async () => {
    for (const [sa, sb] of [
      [
        [64, 96],
        [96, 48],
      ],
      [
        [96, 16],
        [16, 8],
      ],
      [
        [2, 12, 8],
        [2, 8, 4],
      ],
    ]) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const swap = (s: number[], t: boolean): number[] => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
          const { diff, scale } = await compare([random(swap(sa, transposeA)), random(swap(sb, transposeB))], (a, b) =>
            tf.matMul(a, b, transposeA, transposeB),
          );
          assert.ok(diff <= 1e-5 * Math.max(1, scale), `${sa} x ${sb} tA=${transposeA} tB=${transposeB}: diff ${diff}`);
        }
      }
    }
  });

  it('Identity (tf.clone) shares the buffer: the clone outlives its source, and the last user frees it', () => {
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const buffers = backend.numDataIds();
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    assert.equal(backend.numDataIds(), buffers + 1, 'one buffer for both');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
    y.dispose();
    assert.equal(backend.numDataIds(), buffers);
  });

  it('fused matmul with a transposed kernel, bias and relu', async () => {
    const { diff } = await compare([random([8, 16]), random([4, 16]), random([4])], (x, w, bias) =>
      tf.fused.matMul({ a: x, b: w, transposeB: true, bias, activation: 'relu' }),
    );
    assert.ok(diff < 1e-4, `diff ${diff}`);
  });

  it('conv2d gradients (input and filter) for strides 1 and 2, same/valid/explicit padding', async () => {
    for (const [stride, pad] of [
      [1, 'same'],
      [2, 'same'],
      [1, 'valid'],
      [2, 'valid'],
      [1, 1],
    ] as const) {
      const { diff, scale } = await compare([random([2, 9, 8, 3]), random([3, 3, 3, 4])], (x, f) =>
        tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, stride, pad))))([x, f]),
      );
      assert.ok(diff <= 1e-5 * scale, `stride ${stride} pad ${pad}: diff ${diff} of ${scale}`);
    }
  });

  it('conv2d input gradient at strides 2, 3 and (2, 1) for 1x1, 3x3 and 4x2 filters, odd and even sizes (spread-grid path)', async () => {
    for (const [xShape, filter, stride, pad] of [
      [[2, 9, 8, 3], [3, 3, 3, 5], 3, 'same'],
      [[2, 10, 7, 4], [1, 1, 4, 6], 2, 'valid'],
      [[1, 11, 9, 2], [4, 2, 2, 3], [2, 1], 'same'],
      [[3, 8, 8, 5], [3, 3, 5, 4], 2, 'valid'],
      [[2, 7, 7, 3], [3, 3, 3, 2], 2, 1],
    ] as const) {
      const { diff, scale } = await compare([random([...xShape]), random([...filter])], (x, f) =>
        tf.grad((xx: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, f as tf.Tensor4D, stride as [number, number] | number, pad))),
        )(x),
      );
      assert.ok(scale > 0 && diff <= 1e-5 * scale, `x ${xShape} filter ${filter} stride ${stride} pad ${pad}: diff ${diff} of ${scale}`);
    }
  });

  it('conv2d filter gradient at stride 1 (padded-grid path) for 1x1, 2x3 and 5x5 filters, same/valid/explicit padding', async () => {
    for (const [filter, pad] of [
      [[1, 1, 4, 3], 'same'],
      [[2, 3, 3, 5], 'same'],
      [[2, 3, 3, 5], 'valid'],
      [[5, 5, 2, 4], 'same'],
      [[5, 5, 2, 4], 2],
    ] as const) {
      const { diff, scale } = await compare([random([3, 7, 9, filter[2]]), random([...filter])], (x, f) =>
        tf.grad((ff: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, ff as tf.Tensor4D, 1, pad))))(f),
      );
      assert.ok(scale > 0 && diff <= 1e-5 * scale, `filter ${filter} pad ${pad}: diff ${diff} of ${scale}`);
    }
  });
});
