// The probe's JS reductions give the numbers the same reductions as TF.js ops give, and surface non-finite values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { deadUnitFraction, gradientAndWeightSums, moments, normSums, saturatedFraction } from '../../server/src/probe/stats';
import { gaussianArray, seededUniform } from '../../server/src/probe/random';

const close = (actual: number, expected: number, what: string): void => {
  assert.ok(Math.abs(actual - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
};

describe('probe statistics in JS', () => {
  const uniform = seededUniform(5);
  const values = gaussianArray(uniform, 6 * 7 * 8);
  for (let i = 0; i < values.length; i++) values[i] = values[i] * 3 + 0.5;
  const kernel = gaussianArray(uniform, values.length);

  it('norms, moments and fractions equal the tensor-op versions', () => {
    tf.tidy(() => {
      const x = tf.tensor(values, [6, 7, 8]);
      const w = tf.tensor(kernel, [6, 7, 8]);
      const sums = normSums(values);
      close(Math.sqrt(sums.sumSquares), tf.sqrt(tf.sum(tf.square(x))).dataSync()[0], 'l2 norm');
      close(sums.sumAbs / values.length, tf.mean(tf.abs(x)).dataSync()[0], 'mean |x|');
      const both = gradientAndWeightSums(values, kernel);
      close(both.sumSquares, sums.sumSquares, 'fused gradient sum of squares');
      close(both.sumAbs, sums.sumAbs, 'fused gradient sum of |x|');
      close(both.weightSquares, tf.sum(tf.square(w)).dataSync()[0], 'fused kernel sum of squares');
      const m = moments(values);
      const onDevice = tf.moments(x);
      close(m.mean, onDevice.mean.dataSync()[0], 'mean');
      close(m.std, Math.sqrt(onDevice.variance.dataSync()[0]), 'std');
      close(m.maxAbs, tf.max(tf.abs(x)).dataSync()[0], 'max |x|');
      const everActive = tf.greater(tf.max(tf.reshape(x, [-1, 8]), 0), 0);
      close(deadUnitFraction(values, 8), 1 - tf.mean(tf.cast(everActive, 'float32')).dataSync()[0], 'dead units');
      close(saturatedFraction(values, 5), tf.mean(tf.cast(tf.greaterEqual(tf.abs(x), 5), 'float32')).dataSync()[0], 'saturated');
    });
  });

  it('dead units: a unit is dead only when never above 0 in any row', () => {
    // 3 rows x 4 units: unit 0 active in row 2 only, unit 1 never (0 is not active), units 2 and 3 always.
    assert.equal(deadUnitFraction([-1, 0, 1, 2, -2, -1, 1, 2, 0.5, 0, 3, 1], 4), 0.25);
  });

  it('non-finite values surface as non-finite results', () => {
    assert.ok(Number.isNaN(moments([1, NaN, 2]).maxAbs));
    assert.ok(Number.isNaN(moments([NaN, 1]).maxAbs), 'NaN first');
    assert.equal(moments([1, -Infinity]).maxAbs, Infinity);
    assert.ok(!Number.isFinite(normSums([1, Infinity]).sumSquares));
    assert.ok(Number.isNaN(gradientAndWeightSums([NaN, 1], [1, 1]).sumSquares));
  });
});
