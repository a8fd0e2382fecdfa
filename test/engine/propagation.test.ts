// Mean-field propagation against closed forms: He/Glorot with ReLU, LeCun linear, deep sigmoid, tanh+He, SELU, BN, residuals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussianExpectation } from '../../server/src/engine/catalog/quadrature';
import { TRUNCATED_VARIANCE_FACTOR } from '../../server/src/engine/catalog/normal';
import { propagate } from '../../server/src/engine/propagation';
import type { Layer } from '../../server/src/engine/ir';
import {
  activationAttr,
  activationLayer,
  addLayer,
  batchNorm,
  conv2dLayer,
  denseLayer,
  denseStack,
  dropoutLayer,
  functional,
  initializerAttr,
  inputLayer,
  layer,
  sequential,
  type DenseSpec,
} from '../helpers/irBuilder';

const repeat = (count: number, spec: DenseSpec): DenseSpec[] => Array.from({ length: count }, () => ({ ...spec }));
const close = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

test('ReLU + He (exact variance, Keras) keeps the forward scale: gain 1 per layer, q = 2 at every layer', () => {
  const signal = propagate(
    denseStack(repeat(10, { units: 64, activation: 'relu', init: 'heNormal' }), { inputDim: 64, dialect: 'keras2' }),
  );
  for (const layer of signal.layers) {
    close(layer.forwardGain, 1, 1e-9, 'forward gain');
    close(layer.forwardVariance, 2, 1e-9, 'q');
    close(layer.backwardGain, 1, 1e-9, 'chi');
  }
  close(signal.predictedGradientRatio ?? Number.NaN, 1, 1e-9, 'ratio');
});

test('ReLU + Glorot at equal fans halves the forward scale per layer; the kernel-gradient ratio of a homogeneous net stays 1', () => {
  const signal = propagate(
    denseStack(repeat(8, { units: 128, activation: 'relu', init: 'glorotUniform' }), { inputDim: 128, dialect: 'keras2' }),
  );
  signal.layers.forEach((layer, index) => {
    close(layer.forwardGain, 0.5, 1e-9, `gain of layer ${index}`);
    close(layer.forwardVariance, Math.pow(0.5, index), 1e-9, `q of layer ${index}`);
  });
  // Forward loss 0.5^(l-1) in the input and backward loss 0.5^(L-l) in the error multiply to the same 0.5^(L-1) at every layer.
  close(signal.predictedGradientRatio ?? Number.NaN, 1, 1e-9, 'ratio');
});

test('linear + LeCun keeps the scale', () => {
  const signal = propagate(
    denseStack(repeat(6, { units: 50, activation: 'linear', init: 'leCunNormal' }), { inputDim: 50, dialect: 'keras3' }),
  );
  for (const layer of signal.layers) close(layer.forwardGain, 1, 1e-12, 'gain');
  close(signal.predictedGradientRatio ?? Number.NaN, 1, 1e-12, 'ratio');
});

test('deep sigmoid with Glorot vanishes: chi ≈ 0.056 per layer at the fixed point q* ≈ 0.265', () => {
  const signal = propagate(
    denseStack(repeat(10, { units: 64, activation: 'sigmoid', init: 'glorotNormal' }), { inputDim: 64, dialect: 'keras2' }),
  );
  const ratio = signal.predictedGradientRatio ?? Number.NaN;
  // Fixed point of q = E[sigmoid(sqrt(q) z)^2] and chi = E[sigmoid'(sqrt(q*) z)^2] from the closed recursion.
  let q = 1;
  for (let i = 0; i < 200; i++) q = gaussianExpectation((x) => 1 / (1 + Math.exp(-x)) ** 2, q);
  const chi = gaussianExpectation((x) => {
    const s = 1 / (1 + Math.exp(-x));
    return (s * (1 - s)) ** 2;
  }, q);
  close(signal.layers[9].forwardVariance, q, 1e-3, 'q*');
  close(signal.layers[8].backwardGain, chi, 1e-3, 'chi at the fixed point');
  assert.ok(chi < 0.06 && chi > 0.05, `chi ${chi}`);
  // 9 backward steps of ~0.056 in E[delta^2], the input's second moment 1 vs the last layer's input 0.265.
  assert.ok(ratio < 1e-5 && ratio > 1e-6, `ratio ${ratio}`);
  console.log(`deep sigmoid (10 x 64, Glorot, Keras): ratio ${ratio.toExponential(3)}, q* ${q.toFixed(4)}, chi ${chi.toFixed(4)}`);
});

test('tanh + He: q settles at the fixed point q* = 2 E[tanh(sqrt(q*) z)^2] where chi > 1 (chaotic phase): gradients grow backwards', () => {
  const signal = propagate(
    denseStack(repeat(12, { units: 64, activation: 'tanh', init: 'heNormal' }), { inputDim: 64, dialect: 'keras2' }),
  );
  const last = signal.layers[11].forwardVariance;
  close(last, 2 * gaussianExpectation((x) => Math.tanh(x) ** 2, last), 1e-3, 'fixed point');
  assert.ok(signal.layers[0].forwardVariance === 2, 'first layer: q = 2 for unit inputs');
  assert.ok(signal.layers[10].backwardGain > 1.05, `chi ${signal.layers[10].backwardGain}`);
  assert.ok((signal.predictedGradientRatio ?? 0) > 1.5, `ratio ${signal.predictedGradientRatio}`);
});

test('SELU + LeCun normal has the fixed point q* = 1', () => {
  const signal = propagate(
    denseStack(repeat(20, { units: 100, activation: 'selu', init: 'leCunNormal' }), { inputDim: 100, dialect: 'keras2' }),
  );
  for (const layer of signal.layers) close(layer.forwardVariance, 1, 5e-3, 'q');
  // Starting off the fixed point it comes back.
  const shifted = propagate(
    denseStack(
      repeat(20, {
        units: 100,
        activation: 'selu',
        init: { name: 'varianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'untruncated_normal' } },
      }),
      { inputDim: 100, dialect: 'keras3' },
    ),
  );
  close(shifted.layers[19].forwardVariance, 1, 1e-2, 'q after 20 layers');
});

test('batch normalization resets the forward scale to 1 and divides the error by the input variance', () => {
  const layers = [
    denseLayer('d1', { units: 64, activation: 'linear', init: { name: 'randomNormal', config: { stddev: 1 } } }, 64, 'tfjs'),
    batchNorm('bn', ['d1'], 64),
    denseLayer('d2', { units: 64, activation: 'relu', init: 'heNormal' }, 64, 'tfjs', ['bn']),
  ];
  const signal = propagate(sequential(layers, { inputDim: 64 }));
  close(signal.layers[0].forwardVariance, 64, 1e-9, 'q before BN');
  close(signal.layers[1].forwardVariance, 64, 1e-9, 'BN input');
  close(signal.layers[1].forwardGain, 1 / 64, 1e-12, 'BN gain');
  close(signal.layers[1].backwardGain, 1 / 64, 1e-12, 'BN backward');
  close(signal.layers[2].forwardVariance, 2 * TRUNCATED_VARIANCE_FACTOR, 1e-9, 'q after BN with TF.js heNormal');
});

test('a residual add of two equal branches doubles the second moment', () => {
  const layers = [
    inputLayer('in', 32),
    denseLayer('a', { units: 32, activation: 'linear', init: 'leCunNormal' }, 32, 'keras2', ['in']),
    addLayer('sum', ['in', 'a'], 32),
    denseLayer('out', { units: 10, activation: 'softmax', init: 'glorotUniform' }, 32, 'keras2', ['sum']),
  ];
  const signal = propagate(functional(layers, { inputDim: 32, dialect: 'keras2' }));
  close(signal.layers[2].forwardVariance, 2, 1e-12, 'sum');
  close(signal.layers[2].forwardGain, 2, 1e-12, 'add gain');
  // 'a' gets the error of 'out' through the add unchanged: chi_out = 10 * 1/21 (glorot, fan avg (32+10)/2).
  assert.ok(signal.predictedGradientRatio !== null && signal.predictedGradientRatio > 0);
});

test('TF.js glorotNormal realizes 0.774 of the Keras variance (2-std truncation without correction)', () => {
  const tfjs = propagate(
    denseStack(repeat(3, { units: 100, activation: 'tanh', init: 'glorotNormal' }), { inputDim: 100, dialect: 'tfjs' }),
  );
  const keras = propagate(
    denseStack(repeat(3, { units: 100, activation: 'tanh', init: 'glorotNormal' }), { inputDim: 100, dialect: 'keras2' }),
  );
  close(keras.layers[0].kernelVariance ?? Number.NaN, 0.01, 1e-15, 'Keras Var(W)');
  close((tfjs.layers[0].kernelVariance ?? Number.NaN) / (keras.layers[0].kernelVariance ?? Number.NaN), 0.7737413, 1e-6, 'variance ratio');
  close(tfjs.layers[0].forwardVariance / keras.layers[0].forwardVariance, TRUNCATED_VARIANCE_FACTOR, 1e-12, 'q ratio');
});

test('unknown fan-in makes the ratio null with a note saying why; nothing downstream is guessed', () => {
  const model = denseStack(repeat(3, { units: 16, activation: 'relu', init: 'heNormal' }), { inputDim: null });
  const signal = propagate(model);
  assert.equal(signal.predictedGradientRatio, null);
  assert.ok(
    signal.notes.some((n) => n.includes("'dense_1'") && n.includes('fan-in unknown')),
    signal.notes.join(' | '),
  );
  assert.ok(Number.isNaN(signal.layers[2].forwardVariance));
});

test('dropout scales the forward second moment by 1 / (1 - rate); a separate activation layer applies its function', () => {
  const layers = [
    denseLayer('d1', { units: 64, init: 'leCunNormal' }, 64, 'keras2'),
    activationLayer('act', 'relu'),
    dropoutLayer('drop', 0.5),
    denseLayer('d2', { units: 64, activation: 'relu', init: 'heNormal' }, 64, 'keras2'),
  ];
  const signal = propagate(sequential(layers, { inputDim: 64, dialect: 'keras2' }));
  close(signal.layers[1].forwardGain, 0.5, 1e-9, 'relu layer keeps half');
  close(signal.layers[2].forwardGain, 2, 1e-12, 'dropout 0.5 doubles');
  close(signal.layers[3].forwardVariance, 2, 1e-9, 'q of d2 = 2 * 2 * 0.5');
});

test('an unknown layer type makes what follows unknown', () => {
  const layers = [
    denseLayer('d1', { units: 8, activation: 'relu', init: 'heNormal' }, 8, 'tfjs'),
    { ...batchNorm('custom'), type: 'unknown' as const, className: 'MyLayer', name: 'custom' },
    denseLayer('d2', { units: 8, activation: 'relu', init: 'heNormal' }, 8, 'tfjs'),
  ];
  const signal = propagate(sequential(layers, { inputDim: 8 }));
  assert.equal(signal.predictedGradientRatio, null);
  assert.ok(signal.notes.some((n) => n.includes('MyLayer')));
});

test('propagation is fast: 20 models of 30 layers in a few milliseconds', () => {
  const models = Array.from({ length: 20 }, (_, i) =>
    denseStack(repeat(30, { units: 64, activation: i % 2 ? 'tanh' : 'gelu', init: 'glorotNormal' }), { inputDim: 64 }),
  );
  // Best of 5: the machine is shared; the best run is the cost of the code, not of the neighbours.
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    for (const model of models) propagate(model);
    best = Math.min(best, performance.now() - start);
  }
  console.log(`propagate: 20 models x 30 layers (tanh/gelu), best of 5: ${best.toFixed(2)} ms`);
  // ~5 ms on an idle machine; the bound leaves room for a loaded CI box while still catching a per-layer blow-up.
  assert.ok(best < 250, `${best} ms`);
});

test('convolutions: kernel-gradient norms count output positions; max pooling routes the error to one input in four', () => {
  const conv = (id: string, size: number): Layer =>
    conv2dLayer(id, { filters: 8, activation: 'relu', init: 'heNormal' }, { size, channels: 8 }, 'keras2');
  const layers = [
    conv('c1', 16),
    layer({ id: 'pool', type: 'pooling', className: 'MaxPooling2D', config: { poolSize: 2 }, outputShape: [8, 8, 8] }),
    conv('c2', 8),
  ];
  const signal = propagate(sequential(layers, { inputDim: null, dialect: 'keras2' }));
  // He + ReLU at equal channels: the per-element error and input scale stay put; c1 has 4x the positions of c2
  // but receives a quarter of the error per element through the pool: norms equal.
  close(signal.layers[1].backwardGain, 0.25, 1e-12, 'max pool error share');
  close(signal.predictedGradientRatio ?? Number.NaN, 1, 1e-9, 'ratio');
  const unpooled = propagate(sequential([conv('c1', 16), conv('c2', 16)], { inputDim: null, dialect: 'keras2' }));
  close(unpooled.predictedGradientRatio ?? Number.NaN, 1, 1e-9, 'same positions');
});

test('a nested model is propagated through its layers and its entry carries its output signal', () => {
  const inner = denseStack(repeat(3, { units: 32, activation: 'relu', init: 'glorotNormal' }), {
    inputDim: 32,
    dialect: 'keras2',
    name: 'block',
  });
  const outer = sequential(
    [
      denseLayer('stem', { units: 32, activation: 'relu', init: 'heNormal' }, 32, 'keras2'),
      layer({ id: 'block', type: 'model', className: 'Sequential', inner, outputSize: 32 }),
      denseLayer('head', { units: 32, activation: 'relu', init: 'heNormal' }, 32, 'keras2'),
    ],
    { inputDim: 32, dialect: 'keras2' },
  );
  const signal = propagate(outer);
  const byId = new Map(signal.layers.map((l) => [l.layerId, l]));
  close(byId.get('block/dense_2')?.forwardGain ?? Number.NaN, 0.5, 1e-12, 'inner Glorot+ReLU halves');
  close(byId.get('head')?.forwardVariance ?? Number.NaN, 2 * 0.125, 1e-12, 'three halvings reach the head');
  assert.equal(byId.get('block')?.forwardVariance, byId.get('block/dense_3')?.forwardVariance);
  assert.ok(signal.predictedGradientRatio !== null);
});

test('LSTM and embedding layers propagate to finite values with their approximations noted', () => {
  const layers = [
    layer({
      id: 'emb',
      type: 'embedding',
      className: 'embedding',
      config: { inputDim: 1000, outputDim: 16 },
      kernelInitializer: initializerAttr('randomUniform', 'tfjs', 'embeddingsInitializer', false),
      fanIn: 1000,
      fanOut: 16,
      outputSize: 16,
      outputShape: [20, 16],
    }),
    layer({
      id: 'lstm',
      type: 'lstm',
      className: 'lstm',
      config: { units: 32 },
      activation: activationAttr('tanh', 'default'),
      kernelInitializer: initializerAttr('glorotNormal', 'tfjs', 'kernelInitializer', false),
      fanIn: 16,
      fanOut: 128,
      outputSize: 32,
      outputShape: [32],
    }),
    denseLayer('out', { units: 2, activation: 'softmax', init: 'glorotNormal' }, 32, 'tfjs'),
  ];
  const signal = propagate(sequential(layers, { inputDim: 20 }));
  close(signal.layers[0].forwardVariance, (0.1 * 0.1) / 12, 1e-15, 'embedding rows: Var of U(-0.05, 0.05)');
  assert.ok(Number.isFinite(signal.predictedGradientRatio ?? Number.NaN), String(signal.predictedGradientRatio));
  assert.ok(signal.notes.some((n) => n.includes('recurrent layer approximated')));
});
