// PyTorch catalog unit tests without Python: binding tables, unknown values, deprecated names, truncated moments, fans.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kernelMean, kernelVariance } from '../../../server/src/engine/catalog/initializers';
import { truncatedNormalMoments } from '../../../server/src/engine/catalog/normal';
import {
  bindTorchArguments,
  calculateGain,
  TORCH_INIT_FUNCTIONS,
  TORCH_TENSOR_METHODS,
  torchAttentionDefaultSpec,
  torchDefaultSpec,
  torchInitFunctionName,
  torchInitSignature,
  torchInitSpec,
  torchKernelFans,
  torchTensorMethodSpec,
} from '../../../server/src/engine/catalog/pytorch';
import type { ConfigValue, LayerType } from '../../../server/src/engine/ir';

const UNKNOWN: ConfigValue = { kind: 'unknown', reason: "identifier 'slope' is not a const" };
const TENSOR: ConfigValue = { kind: 'unknown', reason: 'the weight tensor' };

test('binding tables: the tensor (or self) comes first and every default names a parameter', () => {
  for (const [name, signature] of [...Object.entries(TORCH_INIT_FUNCTIONS), ...Object.entries(TORCH_TENSOR_METHODS)]) {
    assert.ok(signature.params[0] === 'tensor' || signature.params[0] === 'self', `${name} starts with the tensor`);
    assert.equal(new Set(signature.params).size, signature.params.length, `${name} has no repeated parameter`);
    for (const key of Object.keys(signature.defaults)) assert.ok(signature.params.includes(key), `${name}: default ${key} is a parameter`);
  }
  assert.deepEqual(TORCH_INIT_FUNCTIONS.kaiming_normal_.params, ['tensor', 'a', 'mode', 'nonlinearity', 'generator']);
  assert.deepEqual(TORCH_INIT_FUNCTIONS.kaiming_normal_.defaults, { a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' });
  assert.deepEqual(TORCH_INIT_FUNCTIONS.trunc_normal_.defaults, { mean: 0, std: 1, a: -2, b: 2 });
});

test('positional and keyword arguments bind by name; names the function lacks are dropped', () => {
  const signature = TORCH_INIT_FUNCTIONS.kaiming_uniform_;
  assert.deepEqual(bindTorchArguments(signature, [TENSOR, 0.2, 'fan_out'], { nonlinearity: 'relu', bogus: 1 }), {
    tensor: TENSOR,
    a: 0.2,
    mode: 'fan_out',
    nonlinearity: 'relu',
  });
  assert.deepEqual(bindTorchArguments(TORCH_INIT_FUNCTIONS.zeros_, [TENSOR, 1, 2]), { tensor: TENSOR });
  // Same spec whether written positionally or by keyword.
  assert.deepEqual(
    torchInitSpec('kaiming_normal_', bindTorchArguments(signature, [TENSOR, 0.2, 'fan_out'])),
    torchInitSpec('kaiming_normal_', { a: 0.2, mode: 'fan_out' }),
  );
});

test('defaults apply when an argument is absent: kaiming_* gives gain √2 (scale 2, fan_in), xavier_* scale 1', () => {
  assert.deepEqual(torchInitSpec('kaiming_uniform_', {}), { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'uniform' });
  assert.deepEqual(torchInitSpec('kaiming_normal_', { mode: 'fan_out', nonlinearity: 'relu' }), {
    kind: 'varianceScaling',
    scale: 2,
    mode: 'fanOut',
    distribution: 'untruncatedNormal',
  });
  assert.deepEqual(torchInitSpec('xavier_normal_', {}), {
    kind: 'varianceScaling',
    scale: 1,
    mode: 'fanAvg',
    distribution: 'untruncatedNormal',
  });
  assert.deepEqual(torchInitSpec('uniform_', {}), { kind: 'randomUniform', minval: 0, maxval: 1 });
  assert.deepEqual(torchInitSpec('normal_', { std: 0.02 }), { kind: 'randomNormal', mean: 0, stddev: 0.02 });
  assert.deepEqual(torchInitSpec('trunc_normal_', {}), { kind: 'truncatedNormal', mean: 0, stddev: 1 });
  assert.deepEqual(torchInitSpec('eye_', {}), { kind: 'identity', gain: 1 });
  assert.deepEqual(torchInitSpec('orthogonal_', { gain: 3 }), { kind: 'orthogonal', gain: 3 });
  const scale = (torchInitSpec('kaiming_uniform_', { a: Math.sqrt(5) }) as { scale: number }).scale;
  assert.ok(Math.abs(scale - 1 / 3) < 1e-12, `kaiming_uniform_(a=√5) has scale 1/3, got ${scale}`);
});

test('unknown values make only the numbers they affect null, never guessed', () => {
  // a matters for leaky_relu only.
  assert.deepEqual(torchInitSpec('kaiming_normal_', { a: UNKNOWN, nonlinearity: 'relu' }), {
    kind: 'varianceScaling',
    scale: 2,
    mode: 'fanIn',
    distribution: 'untruncatedNormal',
  });
  assert.deepEqual(torchInitSpec('kaiming_normal_', { a: UNKNOWN }), {
    kind: 'varianceScaling',
    scale: null,
    mode: 'fanIn',
    distribution: 'untruncatedNormal',
  });
  assert.deepEqual(torchInitSpec('kaiming_uniform_', { mode: UNKNOWN }), {
    kind: 'varianceScaling',
    scale: 2,
    mode: null,
    distribution: 'uniform',
  });
  assert.deepEqual(
    torchInitSpec('kaiming_uniform_', { mode: 'fan_avg' }),
    { kind: 'varianceScaling', scale: 2, mode: null, distribution: 'uniform' },
    'PyTorch rejects fan_avg',
  );
  assert.deepEqual(torchInitSpec('xavier_uniform_', { gain: UNKNOWN }), {
    kind: 'varianceScaling',
    scale: null,
    mode: 'fanAvg',
    distribution: 'uniform',
  });
  assert.deepEqual(torchInitSpec('normal_', { std: UNKNOWN }), { kind: 'randomNormal', mean: 0, stddev: null });
  assert.deepEqual(torchInitSpec('uniform_', { a: -1, b: UNKNOWN }), { kind: 'randomUniform', minval: -1, maxval: null });
  assert.deepEqual(torchInitSpec('trunc_normal_', { std: UNKNOWN }), { kind: 'randomNormal', mean: null, stddev: null });
  assert.deepEqual(torchInitSpec('constant_', {}), { kind: 'constant', value: null }, 'val is required');
  assert.deepEqual(torchInitSpec('constant_', { val: UNKNOWN }), { kind: 'constant', value: null });
  assert.deepEqual(torchInitSpec('sparse_', { sparsity: UNKNOWN }), { kind: 'randomNormal', mean: 0, stddev: null });
  assert.deepEqual(torchTensorMethodSpec('fill_', { value: UNKNOWN }), { kind: 'constant', value: null });
});

test('unknown functions, copy_ and what PyTorch rejects give unknown specs with a reason', () => {
  for (const [fn, args] of [
    ['lecun_normal_', {}],
    ['kaiming_normal__', {}],
    ['dirac_', { groups: 2 }],
    ['dirac_', { groups: UNKNOWN }],
    ['normal_', { std: -1 }],
    ['uniform_', { a: 1, b: 0 }],
    ['sparse_', { sparsity: 1.5 }],
    ['trunc_normal_', { std: 0 }],
  ] as [string, Record<string, ConfigValue>][]) {
    const spec = torchInitSpec(fn, args);
    assert.equal(spec.kind, 'unknown', `${fn}(${JSON.stringify(args)})`);
    assert.ok(spec.kind === 'unknown' && spec.reason.length > 0);
  }
  assert.match((torchInitSpec('lecun_normal_', {}) as { reason: string }).reason, /lecun_normal_/);
  assert.match((torchInitSpec('dirac_', { groups: UNKNOWN }) as { reason: string }).reason, /slope/, 'the unknown value says why');
  for (const method of ['copy_', 'mul_', 'bernoulli_']) assert.equal(torchTensorMethodSpec(method, {}).kind, 'unknown', method);
  assert.equal(torchTensorMethodSpec('normal_', { std: -0.1 }).kind, 'unknown');
  assert.deepEqual(torchTensorMethodSpec('uniform_', { from: -2, to: 1 }), { kind: 'randomUniform', minval: -2, maxval: 1 });
  assert.deepEqual(torchTensorMethodSpec('zero_', {}), { kind: 'zeros' });
});

test('deprecated names without the underscore give the same spec as the current ones', () => {
  for (const old of [
    'uniform',
    'normal',
    'constant',
    'eye',
    'dirac',
    'xavier_uniform',
    'xavier_normal',
    'kaiming_uniform',
    'kaiming_normal',
    'orthogonal',
    'sparse',
  ]) {
    assert.equal(torchInitFunctionName(old), `${old}_`);
    assert.equal(torchInitSignature(old), TORCH_INIT_FUNCTIONS[`${old}_`]);
    const args = { val: 0.5, gain: 2, std: 0.3, sparsity: 0.2, mode: 'fan_out' };
    assert.deepEqual(torchInitSpec(old, args), torchInitSpec(`${old}_`, args), old);
  }
  // trunc_normal_, ones_ and zeros_ never had a deprecated form.
  for (const name of ['trunc_normal', 'ones', 'zeros']) assert.equal(torchInitFunctionName(name), null, name);
});

test('calculateGain: the table, the leaky_relu slope and null for what PyTorch rejects', () => {
  assert.equal(calculateGain('conv_transpose2d'), 1);
  assert.equal(calculateGain('sigmoid'), 1);
  assert.equal(calculateGain('tanh'), 5 / 3);
  assert.equal(calculateGain('relu', 7), Math.SQRT2, 'param only matters for leaky_relu');
  assert.equal(calculateGain('selu'), 0.75);
  assert.equal(calculateGain('leaky_relu'), Math.sqrt(2 / (1 + 0.01 ** 2)));
  assert.equal(calculateGain('leaky_relu', null), Math.sqrt(2 / (1 + 0.01 ** 2)), 'None is the default slope');
  assert.equal(calculateGain('leaky_relu', 0.2), Math.sqrt(2 / 1.04));
  for (const [name, param] of [
    ['leaky_relu', true],
    ['leaky_relu', 'x'],
    ['leaky_relu', UNKNOWN],
    ['softmax', undefined],
    ['ReLU', undefined],
    [UNKNOWN, undefined],
    [3, undefined],
  ] as [ConfigValue, ConfigValue | undefined][]) {
    assert.equal(calculateGain(name, param), null, JSON.stringify([name, param]));
  }
});

/** E[X] and Var[X] of a truncated normal by Simpson's rule over [lower, upper]. */
function integrateTruncated(mean: number, std: number, lower: number, upper: number): { mean: number; stddev: number } {
  const steps = 20_000;
  const h = (upper - lower) / steps;
  let mass = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i <= steps; i++) {
    const x = lower + i * h;
    const weight = (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * Math.exp(-0.5 * ((x - mean) / std) ** 2);
    mass += weight;
    first += weight * x;
    second += weight * x * x;
  }
  const m = first / mass;
  return { mean: m, stddev: Math.sqrt(second / mass - m * m) };
}

test('trunc_normal_ cuts at absolute bounds: the moments match numerical integration; std 0.02 is practically untruncated', () => {
  for (const [mean, std, lower, upper] of [
    [0, 1, -2, 2],
    [0, 1, -1, 3],
    [1, 2, 0, 10],
    [0.5, 0.1, 0.3, 0.9],
    [0, 0.02, -2, 2],
  ]) {
    const exact = truncatedNormalMoments(mean, std, lower, upper);
    const numeric = integrateTruncated(mean, std, Math.max(lower, mean - 12 * std), Math.min(upper, mean + 12 * std));
    assert.ok(exact);
    assert.ok(Math.abs(exact.mean - numeric.mean) < 1e-9 * Math.max(1, std), `mean of [${mean}, ${std}, ${lower}, ${upper}]`);
    assert.ok(Math.abs(exact.stddev / numeric.stddev - 1) < 1e-9, `std of [${mean}, ${std}, ${lower}, ${upper}]`);
  }
  const practicallyUntruncated = torchInitSpec('trunc_normal_', { std: 0.02 });
  assert.equal(practicallyUntruncated.kind, 'randomNormal');
  assert.ok(practicallyUntruncated.kind === 'randomNormal' && Math.abs(practicallyUntruncated.stddev! - 0.02) < 1e-15);
  // At mean ± 2 std it is the IR's truncatedNormal, whose variance factor is 0.774.
  const standard = torchInitSpec('trunc_normal_', { mean: 0.5, std: 0.1, a: 0.3, b: 0.7 });
  assert.deepEqual(standard, { kind: 'truncatedNormal', mean: 0.5, stddev: 0.1 });
  assert.equal(truncatedNormalMoments(0, 0, -1, 1), null);
  assert.equal(truncatedNormalMoments(0, 1, 1, 1), null);
});

test('torchDefaultSpec: Linear/conv kaiming_uniform_(a=√5) and U(±1/√fan_in) bias; null bounds when the fan is unknown', () => {
  for (const type of ['dense', 'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose'] as LayerType[]) {
    const kernel = torchDefaultSpec(type, 'kernelInitializer', { fanIn: 144 });
    assert.deepEqual(kernel, { kind: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' });
    assert.ok(Math.abs(kernelVariance(kernel!, 144, 256, 'pytorch')! * 144 - 1 / 3) < 1e-12, 'Var · fan_in = 1/3');
    assert.deepEqual(torchDefaultSpec(type, 'biasInitializer', { fanIn: 144 }), { kind: 'randomUniform', minval: -1 / 12, maxval: 1 / 12 });
    assert.deepEqual(torchDefaultSpec(type, 'biasInitializer', { fanIn: null }), { kind: 'randomUniform', minval: null, maxval: null });
    assert.equal(torchDefaultSpec(type, 'recurrentInitializer', { fanIn: 144 }), undefined);
  }
});

test('torchDefaultSpec: recurrent layers U(±1/√hidden), one bias carrying the variance of b_ih + b_hh', () => {
  for (const type of ['lstm', 'gru', 'simpleRNN'] as LayerType[]) {
    assert.deepEqual(torchDefaultSpec(type, 'kernelInitializer', { fanIn: 10, hidden: 64 }), {
      kind: 'randomUniform',
      minval: -1 / 8,
      maxval: 1 / 8,
    });
    assert.deepEqual(torchDefaultSpec(type, 'recurrentInitializer', { fanIn: 10, hidden: 64 }), {
      kind: 'randomUniform',
      minval: -1 / 8,
      maxval: 1 / 8,
    });
    const bias = torchDefaultSpec(type, 'biasInitializer', { fanIn: 10, hidden: 64 })!;
    assert.ok(Math.abs(kernelVariance(bias, 1, 1, 'pytorch')! - 2 / (3 * 64)) < 1e-15, 'Var(b_ih + b_hh) = 2 / (3 hidden)');
    assert.deepEqual(torchDefaultSpec(type, 'biasInitializer', { fanIn: 10 }), { kind: 'randomUniform', minval: null, maxval: null });
  }
});

test('torchDefaultSpec: Embedding N(0, 1), norm layers 1 and 0, undefined where a layer has no such parameter', () => {
  assert.deepEqual(torchDefaultSpec('embedding', 'embeddingsInitializer', { fanIn: null }), { kind: 'randomNormal', mean: 0, stddev: 1 });
  for (const type of ['batchNormalization', 'layerNormalization'] as LayerType[]) {
    assert.deepEqual(torchDefaultSpec(type, 'gammaInitializer', { fanIn: null }), { kind: 'ones' });
    assert.deepEqual(torchDefaultSpec(type, 'betaInitializer', { fanIn: null }), { kind: 'zeros' });
    assert.equal(torchDefaultSpec(type, 'kernelInitializer', { fanIn: null }), undefined);
  }
  assert.deepEqual(torchDefaultSpec('batchNormalization', 'movingVarianceInitializer', { fanIn: null }), { kind: 'ones' });
  assert.equal(torchDefaultSpec('layerNormalization', 'movingVarianceInitializer', { fanIn: null }), undefined);
  assert.equal(torchDefaultSpec('embedding', 'biasInitializer', { fanIn: null }), undefined);
  for (const type of ['dropout', 'flatten', 'activation', 'unknown'] as LayerType[])
    assert.equal(torchDefaultSpec(type, 'kernelInitializer', { fanIn: 4 }), undefined);
});

test('MultiheadAttention: xavier_uniform_ on the stacked [3E, E] projection gives Var = 1/(2E); biases 0; out_proj the Linear default', () => {
  const embed = 256;
  const inProj = torchAttentionDefaultSpec('inProjWeight');
  assert.ok(Math.abs(kernelVariance(inProj, embed, 3 * embed, 'pytorch')! - 1 / (2 * embed)) < 1e-15);
  assert.deepEqual(torchAttentionDefaultSpec('inProjBias'), { kind: 'zeros' });
  assert.deepEqual(torchAttentionDefaultSpec('outProjBias'), { kind: 'zeros' });
  assert.deepEqual(torchAttentionDefaultSpec('outProjWeight'), torchDefaultSpec('dense', 'kernelInitializer', { fanIn: embed }));
});

test('torchKernelFans: weight.size(1) x kernel is the fan_in; a transposed conv counts its output channels', () => {
  assert.deepEqual(torchKernelFans('dense', { inChannels: 512, outChannels: 10 }), { fanIn: 512, fanOut: 10 });
  assert.deepEqual(torchKernelFans('conv2d', { inChannels: 64, outChannels: 128, kernelSize: [3, 3], groups: 4 }), {
    fanIn: 144,
    fanOut: 1152,
  });
  assert.deepEqual(torchKernelFans('conv2dTranspose', { inChannels: 16, outChannels: 64, kernelSize: [3, 3] }), {
    fanIn: 576,
    fanOut: 144,
  });
  assert.deepEqual(torchKernelFans('conv2dTranspose', { inChannels: 16, outChannels: 64, kernelSize: [3, 3], groups: 2 }), {
    fanIn: 288,
    fanOut: 144,
  });
  assert.deepEqual(torchKernelFans('conv1d', { inChannels: 8, outChannels: null, kernelSize: [null] }), { fanIn: null, fanOut: null });
  assert.deepEqual(torchKernelFans('conv1d', { inChannels: 8, outChannels: 4, kernelSize: [3], groups: null }), {
    fanIn: null,
    fanOut: 12,
  });
});

test('identity statistics: eye_ on a dense kernel is unchanged (1/max fan); dirac_ on a conv kernel counts one 1 per channel pair', () => {
  const identity = torchInitSpec('eye_', {});
  assert.equal(kernelMean(identity, 500, 300), 1 / 500);
  assert.equal(kernelVariance(identity, 300, 500, 'keras3'), 1 / 500 - 1 / 500 ** 2);
  // [out 64, in 32, 3, 3]: 32 ones among 64 * 288 entries.
  const share = 32 / (64 * 288);
  assert.ok(Math.abs(kernelMean(identity, 288, 576, 64)! - share) < 1e-15);
  assert.ok(Math.abs(kernelVariance(identity, 288, 576, 'pytorch', 64)! - (share - share * share)) < 1e-15);
});
