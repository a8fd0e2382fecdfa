// Checks the catalog against the installed @tensorflow/tfjs: layer defaults, initializer variances, activations.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { activationFunction } from '../../../server/src/engine/catalog/activations';
import { kernelMean, kernelSecondMoment, kernelVariance } from '../../../server/src/engine/catalog/initializers';
import {
  defaultActivation,
  defaultInitializers,
  defaultRecurrentActivation,
  defaultUnitForgetBias,
} from '../../../server/src/engine/catalog/layerDefaults';
import { initializerSpecOf } from '../../../server/src/engine/catalog/names';
import type { ConfigValue, InitializerSpec, LayerType } from '../../../server/src/engine/ir';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');

before(async () => {
  await tf.setBackend('cpu');
});

type Serialized = { className: string; config: Record<string, ConfigValue> };

/** The canonical spec of an initializer as TF.js serializes it in getConfig(). */
function specOfSerialized(serialized: Serialized): InitializerSpec {
  return initializerSpecOf(serialized.className, serialized.config, 'tfjs').spec;
}

function specOfAlias(alias: string | undefined): InitializerSpec {
  assert.ok(alias, 'a default initializer is listed');
  return initializerSpecOf(alias, {}, 'tfjs').spec;
}

const LAYERS: { type: LayerType; build: () => { getConfig(): Record<string, unknown> } }[] = [
  { type: 'dense', build: () => tf.layers.dense({ units: 3 }) },
  { type: 'conv1d', build: () => tf.layers.conv1d({ filters: 3, kernelSize: 3 }) },
  { type: 'conv2d', build: () => tf.layers.conv2d({ filters: 3, kernelSize: 3 }) },
  { type: 'conv3d', build: () => tf.layers.conv3d({ filters: 3, kernelSize: 3 }) },
  { type: 'conv2dTranspose', build: () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3 }) },
  { type: 'separableConv2d', build: () => tf.layers.separableConv2d({ filters: 3, kernelSize: 3 }) },
  { type: 'depthwiseConv2d', build: () => tf.layers.depthwiseConv2d({ kernelSize: 3 }) },
  { type: 'lstm', build: () => tf.layers.lstm({ units: 3 }) },
  { type: 'gru', build: () => tf.layers.gru({ units: 3 }) },
  { type: 'simpleRNN', build: () => tf.layers.simpleRNN({ units: 3 }) },
  { type: 'embedding', build: () => tf.layers.embedding({ inputDim: 10, outputDim: 4 }) },
  { type: 'batchNormalization', build: () => tf.layers.batchNormalization({}) },
  { type: 'layerNormalization', build: () => tf.layers.layerNormalization({}) },
];

for (const { type, build } of LAYERS) {
  test(`TF.js defaults of ${type} match layerDefaults (getConfig of a layer built without initializers)`, () => {
    const config = build().getConfig();
    const defaults = defaultInitializers(type, 'tfjs');
    const libraryKeys = Object.keys(config).filter(
      (key) => key.endsWith('Initializer') && config[key] !== null && config[key] !== undefined,
    );
    assert.deepEqual(Object.keys(defaults).sort(), libraryKeys.sort(), 'the same initializer keys');
    for (const key of libraryKeys) {
      assert.deepEqual(specOfAlias(defaults[key]), specOfSerialized(config[key] as Serialized), `${type}.${key}`);
    }
    if ('activation' in config) assert.equal(config.activation, defaultActivation(type), `${type}.activation`);
    if ('recurrentActivation' in config) assert.equal(config.recurrentActivation, defaultRecurrentActivation('tfjs'));
    if (type === 'lstm')
      assert.equal(Boolean(config.unitForgetBias), defaultUnitForgetBias('tfjs'), 'unitForgetBias is off by default in TF.js');
  });
}

test('TF.js fills fixed-scale defaults with ||: stddev 0 becomes 0.05, minval 0 becomes -0.05 (names.ts applies the same)', () => {
  const normal = tf.initializers.randomNormal({ stddev: 0 }).getConfig();
  const truncated = tf.initializers.truncatedNormal({ mean: 0, stddev: 0 }).getConfig();
  const uniform = tf.initializers.randomUniform({ minval: 0, maxval: 0.2 }).getConfig();
  assert.equal(normal.stddev, 0.05);
  assert.equal(truncated.stddev, 0.05);
  assert.equal(uniform.minval, -0.05);
  assert.deepEqual(initializerSpecOf('randomNormal', { stddev: 0 }, 'tfjs').spec, {
    kind: 'randomNormal',
    mean: normal.mean,
    stddev: normal.stddev,
  });
  assert.deepEqual(initializerSpecOf('truncatedNormal', { stddev: 0 }, 'tfjs').spec, {
    kind: 'truncatedNormal',
    mean: truncated.mean,
    stddev: truncated.stddev,
  });
  assert.deepEqual(initializerSpecOf('randomUniform', { minval: 0, maxval: 0.2 }, 'tfjs').spec, {
    kind: 'randomUniform',
    minval: uniform.minval,
    maxval: uniform.maxval,
  });
  // Keras keeps a written 0.
  assert.deepEqual(initializerSpecOf('RandomNormal', { stddev: 0 }, 'keras2').spec, { kind: 'randomNormal', mean: 0, stddev: 0 });
});

/** Mean and second moment of the values an initializer draws for a shape. */
function sampleMoments(
  name: string,
  config: Record<string, ConfigValue>,
  shape: number[],
): { mean: number; secondMoment: number; variance: number } {
  const factory = (
    tf.initializers as unknown as Record<string, (c: object) => { apply(shape: number[]): import('@tensorflow/tfjs').Tensor }>
  )[name];
  const values = tf.tidy(() =>
    factory({ ...config, seed: 7 })
      .apply(shape)
      .dataSync(),
  );
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) {
    sum += v;
    sumSquares += v * v;
  }
  const mean = sum / values.length;
  const secondMoment = sumSquares / values.length;
  return { mean, secondMoment, variance: secondMoment - mean * mean };
}

/** Fans as TF.js computes them for a kernel shape (channels last). */
function fansOf(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: receptive * shape[shape.length - 2], fanOut: receptive * shape[shape.length - 1] };
}

const SAMPLED: { name: string; config?: Record<string, ConfigValue>; shape: number[] }[] = [
  { name: 'glorotNormal', shape: [256, 256] },
  { name: 'glorotNormal', shape: [3, 3, 16, 64] },
  { name: 'glorotUniform', shape: [200, 300] },
  { name: 'heNormal', shape: [256, 256] },
  { name: 'heUniform', shape: [300, 200] },
  { name: 'leCunNormal', shape: [256, 256] },
  { name: 'leCunUniform', shape: [256, 256] },
  { name: 'varianceScaling', config: { scale: 2, mode: 'fanOut', distribution: 'normal' }, shape: [200, 300] },
  { name: 'varianceScaling', config: { scale: 3, mode: 'fanAvg', distribution: 'uniform' }, shape: [200, 300] },
  { name: 'varianceScaling', config: { scale: 1, mode: 'fanIn', distribution: 'truncatedNormal' }, shape: [200, 300] },
  { name: 'randomNormal', config: { mean: 0.1, stddev: 0.2 }, shape: [256, 256] },
  { name: 'randomNormal', config: {}, shape: [256, 256] },
  { name: 'truncatedNormal', config: { stddev: 0.5 }, shape: [256, 256] },
  { name: 'randomUniform', config: { minval: -0.1, maxval: 0.3 }, shape: [256, 256] },
  { name: 'randomUniform', config: {}, shape: [256, 256] },
  { name: 'zeros', shape: [16, 16] },
  { name: 'ones', shape: [16, 16] },
  { name: 'constant', config: { value: -0.3 }, shape: [16, 16] },
  { name: 'identity', config: { gain: 2 }, shape: [50, 50] },
  { name: 'orthogonal', shape: [40, 48] },
  { name: 'orthogonal', config: { gain: 1.5 }, shape: [48, 40] },
  { name: 'orthogonal', shape: [3, 3, 4, 8] },
];

for (const { name, config = {}, shape } of SAMPLED) {
  test(`kernelVariance of ${name}(${JSON.stringify(config)}) on [${shape}] matches the variance TF.js draws`, () => {
    const { fanIn, fanOut } = fansOf(shape);
    const columns = shape[shape.length - 1];
    const spec = initializerSpecOf(name, config, 'tfjs').spec;
    const predictedSecond = kernelSecondMoment(spec, fanIn, fanOut, 'tfjs', columns);
    const predictedVariance = kernelVariance(spec, fanIn, fanOut, 'tfjs', columns);
    assert.ok(predictedSecond !== null && predictedVariance !== null, 'known');
    const sampled = sampleMoments(name, config, shape);
    const count = shape.reduce((a, b) => a * b, 1);
    // Deterministic matrices are exact up to float32; random ones within 5 standard errors of a variance estimate.
    const deterministic = ['zeros', 'ones', 'constant', 'identity', 'orthogonal'].includes(name);
    const tolerance = deterministic ? 1e-5 * Math.max(1e-3, predictedSecond) : 5 * Math.sqrt(2 / count) * predictedSecond;
    assert.ok(
      Math.abs(sampled.secondMoment - predictedSecond) <= tolerance,
      `second moment: sampled ${sampled.secondMoment}, predicted ${predictedSecond} (tolerance ${tolerance})`,
    );
    if (!['identity'].includes(name)) {
      const meanPredicted = kernelMean(spec, fanIn, columns) ?? Number.NaN;
      assert.ok(
        Math.abs(sampled.mean - meanPredicted) <= 5 * Math.sqrt(predictedVariance / count) + 1e-6,
        `mean: sampled ${sampled.mean}, predicted ${meanPredicted}`,
      );
    }
  });
}

test("TF.js normal variance scaling realizes 0.774 of scale/n; the sampled ratio tells it apart from Keras's corrected 1.0", () => {
  const sampled = sampleMoments('heNormal', {}, [256, 256]).variance / (2 / 256);
  const spec = initializerSpecOf('heNormal', {}, 'tfjs').spec;
  const tfjs = (kernelVariance(spec, 256, 256, 'tfjs') ?? 0) / (2 / 256);
  const keras = (kernelVariance(spec, 256, 256, 'keras2') ?? 0) / (2 / 256);
  console.log(
    `heNormal [256,256]: sampled Var / (2/n) = ${sampled.toFixed(4)}, catalog TF.js ${tfjs.toFixed(4)}, Keras ${keras.toFixed(4)}`,
  );
  assert.ok(Math.abs(sampled - tfjs) < 0.03 && Math.abs(sampled - keras) > 0.15);
});

/** Points away from every activation's kink (0, ±2.5, 6), where derivatives are one-sided. */
const POINTS = Array.from({ length: 321 }, (_, i) => -8 + i * 0.05 + 0.0123);

function libraryValues(apply: (x: import('@tensorflow/tfjs').Tensor) => import('@tensorflow/tfjs').Tensor): {
  values: Float32Array;
  slopes: Float32Array;
} {
  return tf.tidy(() => {
    const x = tf.tensor2d(POINTS, [1, POINTS.length]);
    const values = apply(x).dataSync() as Float32Array;
    const slopes = tf
      .grad((input: import('@tensorflow/tfjs').Tensor) => apply(input).sum())(x)
      .dataSync() as Float32Array;
    return { values, slopes };
  });
}

const ACTIVATIONS: { id: string; alpha?: number; apply: (x: import('@tensorflow/tfjs').Tensor) => import('@tensorflow/tfjs').Tensor }[] = [
  ...['relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'hardSigmoid', 'softsign', 'softplus', 'swish', 'gelu', 'mish', 'linear'].map(
    (id) => ({
      id,
      apply: (x: import('@tensorflow/tfjs').Tensor) =>
        tf.layers.activation({ activation: id as 'relu' }).apply(x) as import('@tensorflow/tfjs').Tensor,
    }),
  ),
  { id: 'leakyRelu', apply: (x) => tf.layers.leakyReLU({}).apply(x) as import('@tensorflow/tfjs').Tensor },
  { id: 'leakyRelu', alpha: 0.1, apply: (x) => tf.layers.leakyReLU({ alpha: 0.1 }).apply(x) as import('@tensorflow/tfjs').Tensor },
  { id: 'prelu', apply: (x) => tf.layers.prelu({}).apply(x) as import('@tensorflow/tfjs').Tensor },
  { id: 'elu', alpha: 1, apply: (x) => tf.layers.elu({}).apply(x) as import('@tensorflow/tfjs').Tensor },
];

for (const { id, alpha, apply } of ACTIVATIONS) {
  test(`activation ${id}${alpha === undefined ? '' : ` alpha ${alpha}`}: phi and phi' match TF.js on ${POINTS.length} points`, () => {
    const fn = activationFunction(id, alpha === undefined ? {} : { alpha });
    assert.ok(fn, `${id} is in the catalog`);
    const { values, slopes } = libraryValues(apply);
    let worstValue = 0;
    let worstSlope = 0;
    POINTS.forEach((x, i) => {
      worstValue = Math.max(worstValue, Math.abs(fn.phi(x) - values[i]) / (1 + Math.abs(values[i])));
      worstSlope = Math.max(worstSlope, Math.abs(fn.derivative(x) - slopes[i]) / (1 + Math.abs(slopes[i])));
    });
    assert.ok(worstValue < 2e-5, `phi off by ${worstValue}`);
    assert.ok(worstSlope < 2e-4, `phi' off by ${worstSlope}`);
  });
}

test("TF.js has no 'leakyRelu' activation string (only the leakyReLU layer, alpha 0.3)", () => {
  assert.throws(() => tf.layers.dense({ units: 2, activation: 'leakyRelu' as 'relu' }), /Unknown activation/);
  assert.equal(tf.layers.leakyReLU({}).getConfig().alpha, 0.3);
});
