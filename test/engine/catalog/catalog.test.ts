// Catalog unit tests: quadrature, normal functions, initializer variances per dialect, recommendations and gains.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activationFunction, activationOfAttr } from '../../../server/src/engine/catalog/activations';
import { kernelSecondMoment, kernelVariance } from '../../../server/src/engine/catalog/initializers';
import { defaultInitializers } from '../../../server/src/engine/catalog/layerDefaults';
import { erf, normalCdf, TRUNCATED_VARIANCE_FACTOR, truncatedNormalVarianceFactor } from '../../../server/src/engine/catalog/normal';
import { gaussHermiteRule, gaussianExpectation } from '../../../server/src/engine/catalog/quadrature';
import {
  gainMismatch,
  idealGain,
  layerVarianceGain,
  recommendedKernelInitializer,
} from '../../../server/src/engine/catalog/recommendations';
import { activationIdOf, initializerSpecOf } from '../../../server/src/engine/catalog/names';

const close = (actual: number | null, expected: number, tolerance: number, what = 'value'): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
};

test('Gauss-Hermite nodes are computed, symmetric, and integrate Gaussian moments exactly', () => {
  const rule = gaussHermiteRule();
  assert.equal(rule.nodes.length, 48);
  for (let i = 0; i < 24; i++) close(rule.nodes[i], -rule.nodes[47 - i], 1e-11, `node symmetry ${i}`);
  close(
    rule.weights.reduce((a, b) => a + b, 0),
    1,
    1e-14,
    'weights sum',
  );
  // E[z^(2k)] = (2k-1)!!, exact for degree <= 2n-1.
  let doubleFactorial = 1;
  for (let k = 1; k <= 12; k++) {
    doubleFactorial *= 2 * k - 1;
    close(gaussianExpectation((x) => x ** (2 * k), 1) / doubleFactorial, 1, 1e-10, `E[z^${2 * k}]`);
  }
  close(
    gaussianExpectation((x) => x * x, 3.7),
    3.7,
    1e-12,
    'E[(sqrt(q) z)^2] = q',
  );
  // The nodes are roots of He_48 (probabilists' Hermite, He_{k+1} = x He_k - k He_{k-1}), scaled to stay finite.
  for (const x of rule.nodes) {
    let previous = 1;
    let current = x;
    let scale = 1;
    for (let k = 1; k < 48; k++) {
      const next = x * current - k * previous;
      previous = current;
      current = next;
      const magnitude = Math.max(Math.abs(current), Math.abs(previous));
      if (magnitude > 1e10) {
        previous /= magnitude;
        current /= magnitude;
        scale *= magnitude;
      }
    }
    assert.ok(Math.abs(current) <= 1e-6 * Math.max(1, Math.abs(previous) * Math.sqrt(48)), `He_48(${x}) = ${current} (scale ${scale})`);
  }
  close(
    gaussianExpectation((x) => (x > 0 ? x * x : 0), 1),
    0.5,
    1e-12,
    'E[relu(z)^2]',
  );
});

test("erf, the normal cdf and the 2-std truncation factor match known values and Keras's 0.87962566 constant", () => {
  close(erf(0.5), 0.5204998778130465, 1e-15, 'erf(0.5)');
  close(erf(1), 0.8427007929497149, 1e-15, 'erf(1)');
  close(erf(-2.5), -0.999593047982555, 1e-15, 'erf(-2.5)');
  close(normalCdf(1.959963984540054), 0.975, 1e-12, 'cdf(1.96)');
  close(Math.sqrt(TRUNCATED_VARIANCE_FACTOR), 0.87962566103423978, 1e-12, 'sqrt of the factor');
  close(truncatedNormalVarianceFactor(40), 1, 1e-12, 'no truncation');
});

test('variance-scaling variance per dialect: only TF.js normal is short by the truncation factor', () => {
  const he = (distribution: string) => initializerSpecOf('varianceScaling', { scale: 2, mode: 'fan_in', distribution }, 'keras3').spec;
  close(kernelVariance(he('truncated_normal'), 100, 50, 'keras3'), 0.02, 1e-15, 'Keras truncated_normal');
  close(kernelVariance(he('untruncated_normal'), 100, 50, 'keras3'), 0.02, 1e-15, 'Keras untruncated_normal');
  close(kernelVariance(he('uniform'), 100, 50, 'keras3'), 0.02, 1e-15, 'uniform');
  close(kernelVariance(he('normal'), 100, 50, 'tfjs'), 0.02 * TRUNCATED_VARIANCE_FACTOR, 1e-15, 'TF.js normal');
  close(kernelVariance(he('truncatedNormal'), 100, 50, 'tfjs'), 0.02, 1e-15, 'TF.js truncatedNormal falls to its uniform branch');
  const glorot = initializerSpecOf('glorotUniform', {}, 'tfjs').spec;
  close(kernelVariance(glorot, 100, 50, 'tfjs'), 1 / 75, 1e-15, 'fan avg');
  close(kernelVariance(glorot, 0, 0, 'tfjs'), 1, 1e-15, 'fans clamped at 1');
});

test('fixed-scale and constant initializers: variance and second moment; unknown parameters give null, never a guess', () => {
  close(kernelVariance({ kind: 'randomUniform', minval: -0.1, maxval: 0.3 }, 10, 10, 'tfjs'), 0.16 / 12, 1e-15, 'uniform variance');
  close(
    kernelSecondMoment({ kind: 'randomUniform', minval: -0.1, maxval: 0.3 }, 10, 10, 'tfjs'),
    0.16 / 12 + 0.01,
    1e-15,
    'uniform second moment',
  );
  close(
    kernelVariance({ kind: 'truncatedNormal', mean: 0, stddev: 0.1 }, 10, 10, 'keras2'),
    0.01 * TRUNCATED_VARIANCE_FACTOR,
    1e-15,
    'fixed truncated',
  );
  close(kernelSecondMoment({ kind: 'constant', value: 0.5 }, 10, 10, 'tfjs'), 0.25, 0, 'constant');
  close(kernelVariance({ kind: 'ones' }, 10, 10, 'tfjs'), 0, 0, 'ones has no variance');
  close(kernelSecondMoment({ kind: 'orthogonal', gain: 2 }, 64, 16, 'tfjs'), 4 / 64, 1e-15, 'orthogonal tall');
  close(kernelSecondMoment({ kind: 'orthogonal', gain: 1 }, 36, 72, 'tfjs', 8), 1 / 36, 1e-15, 'orthogonal conv kernel 3x3x4x8');
  assert.equal(kernelVariance({ kind: 'randomNormal', mean: 0, stddev: null }, 10, 10, 'tfjs'), null);
  assert.equal(kernelVariance(initializerSpecOf('heNormal', {}, 'tfjs').spec, null, 10, 'tfjs'), null);
  assert.equal(kernelVariance({ kind: 'unknown', reason: 'custom' }, 10, 10, 'tfjs'), null);
});

test('Keras 3 variance scaling with its own input_axes and output_axes is unknown (its fans are not the kernel fans); one axis alone is ignored, as Keras does', () => {
  const custom = initializerSpecOf('VarianceScaling', { inputAxes: [0], outputAxes: [1, 2] }, 'keras3');
  assert.equal(custom.spec.kind, 'unknown');
  assert.equal(initializerSpecOf('HeNormal', { inputAxes: [0, 1], outputAxes: [2] }, 'keras3').spec.kind, 'unknown');
  assert.deepEqual(
    initializerSpecOf('GlorotUniform', { inputAxes: null, outputAxes: null }, 'keras3').spec,
    initializerSpecOf('glorot_uniform', {}, 'keras3').spec,
  );
  assert.deepEqual(
    initializerSpecOf('VarianceScaling', { inputAxes: [0] }, 'keras3').spec,
    initializerSpecOf('variance_scaling', {}, 'keras3').spec,
  );
});

test('per-layer variance gain: He+ReLU 1, Glorot+ReLU 0.5 at equal fans, std 0.05 at fan-in 64 before ReLU 0.08', () => {
  close(layerVarianceGain(initializerSpecOf('heNormal', {}, 'keras2').spec, 256, 256, 'relu', 'keras2'), 1, 1e-12, 'He relu');
  close(layerVarianceGain(initializerSpecOf('glorot_uniform', {}, 'keras2').spec, 256, 256, 'relu', 'keras2'), 0.5, 1e-12, 'Glorot relu');
  close(layerVarianceGain({ kind: 'randomNormal', mean: 0, stddev: 0.05 }, 64, 64, 'relu', 'tfjs'), 0.08, 1e-12, 'std 0.05');
  close(layerVarianceGain({ kind: 'randomNormal', mean: 0, stddev: 1 }, 784, 128, 'relu', 'tfjs'), 392, 1e-9, 'std 1 at 784');
  close(idealGain('relu'), 1, 1e-12, 'ideal relu');
  close(idealGain('tanh'), 0.3943, 1e-4, 'ideal tanh = E[tanh(z)^2]');
  close(idealGain('selu'), 1, 1e-3, 'ideal selu');
  close(gainMismatch({ kind: 'randomNormal', mean: 0, stddev: 0.05 }, 64, 64, 'tanh', 'tfjs'), 0.16, 1e-9, 'tanh std 0.05 fan-in 64');
});

test('recommended kernel initializers, with numbers for the smooth relu-likes', () => {
  for (const a of ['relu', 'relu6', 'leakyRelu', 'prelu', 'elu']) assert.equal(recommendedKernelInitializer(a).alias, 'heNormal', a);
  assert.equal(recommendedKernelInitializer('selu').alias, 'leCunNormal');
  for (const a of ['tanh', 'softsign', 'sigmoid', 'hardSigmoid', 'linear', 'softmax', null])
    assert.equal(recommendedKernelInitializer(a).alias, 'glorotNormal', String(a));
  for (const a of ['swish', 'gelu', 'mish', 'softplus']) {
    const { alias, reason } = recommendedKernelInitializer(a);
    assert.equal(alias, 'heNormal', a);
    assert.match(reason, /backward gain per layer is \d(\.\d{1,3})? with He and \d(\.\d{1,3})? with LeCun/);
  }
});

test('activation details: prelu starts as relu, leakyRelu alpha from the layer (0.3) or the Keras 3 string (0.2), Keras 3 hard sigmoid slope 1/6', () => {
  const prelu = activationFunction('prelu');
  assert.equal(prelu?.phi(-2), 0);
  assert.equal(activationOfAttr({ name: 'leakyRelu', explicit: true, source: 'layer' }, 'tfjs')?.phi(-1), -0.3);
  assert.equal(activationOfAttr({ name: 'leakyRelu', explicit: true, source: 'own' }, 'keras3')?.phi(-1), -0.2);
  assert.equal(activationOfAttr({ name: 'leakyRelu', explicit: true, source: 'own', alpha: 0.01 }, 'keras3')?.phi(-1), -0.01);
  close(activationFunction('hardSigmoid', { dialect: 'keras3' })?.phi(1) ?? null, 0.5 + 1 / 6, 1e-15, 'Keras 3 hard sigmoid');
  close(activationFunction('hardSigmoid', { dialect: 'keras2' })?.phi(1) ?? null, 0.7, 1e-15, 'Keras 2 hard sigmoid');
  assert.equal(activationFunction('notAnActivation'), null);
});

test('Keras 3 activation spellings: hard_silu / hard_swish and exponential have math; log_softmax and the others without math stay unknown', () => {
  for (const name of [
    'relu',
    'gelu',
    'silu',
    'swish',
    'leaky_relu',
    'relu6',
    'hard_sigmoid',
    'mish',
    'elu',
    'selu',
    'softplus',
    'softsign',
    'linear',
    'softmax',
    'sigmoid',
    'tanh',
  ]) {
    assert.ok(activationIdOf(name), name);
  }
  assert.equal(activationIdOf('hard_silu'), 'hardSilu');
  assert.equal(activationIdOf('hard_swish'), 'hardSilu');
  const hardSilu = activationFunction('hardSilu');
  assert.deepEqual(
    [-4, -1.5, 0, 1.5, 4].map((x) => hardSilu?.phi(x)),
    [0, -0.375, 0, 1.125, 4],
  );
  assert.deepEqual(
    [-4, -1.5, 1.5, 4].map((x) => hardSilu?.derivative(x)),
    [0, 0, 1, 1],
  );
  assert.equal(activationIdOf('exponential'), 'exponential');
  close(activationFunction('exponential')?.derivative(1) ?? null, Math.E, 1e-15, 'exp');
  for (const name of ['log_softmax', 'celu', 'hard_tanh', 'log_sigmoid', 'squareplus', 'tanh_shrink', 'threshold', 'glu'])
    assert.equal(activationIdOf(name), null, name);
});

test('Keras defaults differ from TF.js: glorot_uniform kernels, uniform embeddings', () => {
  assert.equal(defaultInitializers('dense', 'keras2').kernelInitializer, 'glorotUniform');
  assert.equal(defaultInitializers('dense', 'tfjs').kernelInitializer, 'glorotNormal');
  assert.equal(defaultInitializers('lstm', 'keras3').recurrentInitializer, 'orthogonal');
  assert.equal(defaultInitializers('embedding', 'keras3').embeddingsInitializer, 'randomUniform');
});

test('expectations stay accurate when q is large (saturated tanh: the derivative is a narrow peak relative to sqrt(q))', () => {
  const slopeSquared = (x: number): number => (1 - Math.tanh(x) ** 2) ** 2;
  for (const q of [0.5, 4, 28.6, 400]) {
    // Reference: a fine trapezoid sum of f(x) N(x; 0, q) over ±10 sd.
    const sd = Math.sqrt(q);
    const step = 1e-3;
    let reference = 0;
    for (let x = -10 * sd; x <= 10 * sd; x += step) reference += slopeSquared(x) * Math.exp((-0.5 * x * x) / q) * step;
    reference /= sd * Math.sqrt(2 * Math.PI);
    close(gaussianExpectation(slopeSquared, q) / reference, 1, 2e-3, `E[tanh'^2] at q = ${q}`);
  }
});
