// Checks the PyTorch catalog against real PyTorch: every layer default, nn.init call and tensor method it models is
// drawn by test/engine/catalog/pytorch_catalog.py, and the realized mean and variance must match the catalog's spec.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { kernelMean, kernelVariance } from '../../../server/src/engine/catalog/initializers';
import {
  bindTorchArguments,
  calculateGain,
  torchAttentionDefaultSpec,
  torchDefaultSpec,
  torchInitSignature,
  torchInitSpec,
  torchKernelFans,
  torchTensorMethodSpec,
  TORCH_TENSOR_METHODS,
} from '../../../server/src/engine/catalog/pytorch';
import type { TorchAttentionParameter } from '../../../server/src/engine/catalog/pytorch';
import type { ConfigValue, InitializerSpec, LayerType } from '../../../server/src/engine/ir';
import { commandWorks, requireTool } from '../../helpers/externalTools';

const SCRIPT = join(__dirname, '../../../../test/engine/catalog/pytorch_catalog.py');

/** Relative tolerance on variances: ≥ 5 standard errors of the sample variance at the sample counts used (≥ 1e5). */
const VARIANCE_TOLERANCE = 0.02;
/** Tolerance on means, in units of the expected standard deviation (≥ 6 standard errors at 1e5 samples). */
const MEAN_TOLERANCE_IN_STD = 0.02;
/** "Exact" cases (constants, zero variance): float32 rounding of a layer's parameters is all that may differ. */
const EXACT_TOLERANCE = 1e-6;

/** The first Python that imports torch: MODEL_LINT_TORCH_PYTHON, then python3, then Debian's own python3. */
function torchPython(): string | null {
  const candidates = [process.env.MODEL_LINT_TORCH_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c));
  return candidates.find((python) => commandWorks(python, ['-c', 'import torch'])) ?? null;
}

const PYTHON = torchPython();
const TORCH = { name: 'PyTorch (python3-torch)', install: 'apt-get install -y python3-torch' };

/** The torch tensor placeholder bound to an init function's first parameter. */
const TENSOR: ConfigValue = { kind: 'unknown', reason: 'the weight tensor' };

type Channels = { inChannels: number; outChannels: number; kernelSize?: number[]; groups?: number };

/** A parameter of a freshly built module; `parameters` are summed (an RNN's two biases). */
interface LayerCase {
  id: string;
  module: string;
  args: ConfigValue[];
  kwargs?: Record<string, ConfigValue>;
  parameters: string[];
  min_samples?: number;
  /** How the catalog sees it: a layer type, IR key and the layer's channels, or an attention parameter with its fans. */
  expect:
    | { type: LayerType; key: string; channels?: Channels; hidden?: number }
    | { attention: TorchAttentionParameter; fanIn: number; fanOut: number };
}

const BIAS_SAMPLES = 100_000;

function kernelAndBias(
  id: string,
  module: string,
  type: LayerType,
  args: ConfigValue[],
  channels: Channels,
  kwargs?: Record<string, ConfigValue>,
): LayerCase[] {
  return [
    { id: `${id}.weight`, module, args, kwargs, parameters: ['weight'], expect: { type, key: 'kernelInitializer', channels } },
    {
      id: `${id}.bias`,
      module,
      args,
      kwargs,
      parameters: ['bias'],
      min_samples: BIAS_SAMPLES,
      expect: { type, key: 'biasInitializer', channels },
    },
  ];
}

function recurrent(id: string, module: string, type: LayerType, input: number, hidden: number): LayerCase[] {
  const args = [input, hidden];
  return [
    { id: `${id}.weight_ih`, module, args, parameters: ['weight_ih_l0'], expect: { type, key: 'kernelInitializer', hidden } },
    { id: `${id}.weight_hh`, module, args, parameters: ['weight_hh_l0'], expect: { type, key: 'recurrentInitializer', hidden } },
    {
      id: `${id}.bias_ih+bias_hh`,
      module,
      args,
      parameters: ['bias_ih_l0', 'bias_hh_l0'],
      min_samples: BIAS_SAMPLES,
      expect: { type, key: 'biasInitializer', hidden },
    },
  ];
}

const LAYERS: LayerCase[] = [
  ...kernelAndBias('Linear(512,512)', 'Linear', 'dense', [512, 512], { inChannels: 512, outChannels: 512 }),
  ...kernelAndBias('Linear(100,300)', 'Linear', 'dense', [100, 300], { inChannels: 100, outChannels: 300 }),
  ...kernelAndBias('Conv1d(32,64,5)', 'Conv1d', 'conv1d', [32, 64, 5], { inChannels: 32, outChannels: 64, kernelSize: [5] }),
  ...kernelAndBias('Conv2d(64,128,3)', 'Conv2d', 'conv2d', [64, 128, 3], { inChannels: 64, outChannels: 128, kernelSize: [3, 3] }),
  ...kernelAndBias(
    'Conv2d(64,128,3,groups=4)',
    'Conv2d',
    'conv2d',
    [64, 128, 3],
    { inChannels: 64, outChannels: 128, kernelSize: [3, 3], groups: 4 },
    { groups: 4 },
  ),
  ...kernelAndBias('Conv3d(16,32,3)', 'Conv3d', 'conv3d', [16, 32, 3], { inChannels: 16, outChannels: 32, kernelSize: [3, 3, 3] }),
  // The IR has one transposed type; ConvTranspose1d is read as it too.
  ...kernelAndBias('ConvTranspose1d(32,64,5)', 'ConvTranspose1d', 'conv2dTranspose', [32, 64, 5], {
    inChannels: 32,
    outChannels: 64,
    kernelSize: [5],
  }),
  ...kernelAndBias('ConvTranspose2d(16,64,3)', 'ConvTranspose2d', 'conv2dTranspose', [16, 64, 3], {
    inChannels: 16,
    outChannels: 64,
    kernelSize: [3, 3],
  }),
  ...kernelAndBias(
    'ConvTranspose2d(16,64,3,groups=2)',
    'ConvTranspose2d',
    'conv2dTranspose',
    [16, 64, 3],
    { inChannels: 16, outChannels: 64, kernelSize: [3, 3], groups: 2 },
    { groups: 2 },
  ),
  ...recurrent('LSTM(64,128)', 'LSTM', 'lstm', 64, 128),
  ...recurrent('GRU(64,96)', 'GRU', 'gru', 64, 96),
  ...recurrent('RNN(32,200)', 'RNN', 'simpleRNN', 32, 200),
  {
    id: 'Embedding(1000,256).weight',
    module: 'Embedding',
    args: [1000, 256],
    parameters: ['weight'],
    expect: { type: 'embedding', key: 'embeddingsInitializer' },
  },
  {
    id: 'BatchNorm1d(1000).weight',
    module: 'BatchNorm1d',
    args: [1000],
    parameters: ['weight'],
    min_samples: 1000,
    expect: { type: 'batchNormalization', key: 'gammaInitializer' },
  },
  {
    id: 'BatchNorm1d(1000).bias',
    module: 'BatchNorm1d',
    args: [1000],
    parameters: ['bias'],
    min_samples: 1000,
    expect: { type: 'batchNormalization', key: 'betaInitializer' },
  },
  {
    id: 'BatchNorm1d(1000).running_mean',
    module: 'BatchNorm1d',
    args: [1000],
    parameters: ['running_mean'],
    min_samples: 1000,
    expect: { type: 'batchNormalization', key: 'movingMeanInitializer' },
  },
  {
    id: 'BatchNorm1d(1000).running_var',
    module: 'BatchNorm1d',
    args: [1000],
    parameters: ['running_var'],
    min_samples: 1000,
    expect: { type: 'batchNormalization', key: 'movingVarianceInitializer' },
  },
  {
    id: 'LayerNorm(1000).weight',
    module: 'LayerNorm',
    args: [1000],
    parameters: ['weight'],
    min_samples: 1000,
    expect: { type: 'layerNormalization', key: 'gammaInitializer' },
  },
  {
    id: 'LayerNorm(1000).bias',
    module: 'LayerNorm',
    args: [1000],
    parameters: ['bias'],
    min_samples: 1000,
    expect: { type: 'layerNormalization', key: 'betaInitializer' },
  },
  // The stacked [3E, E] input projection: fans E and 3E.
  {
    id: 'MultiheadAttention(256,8).in_proj_weight',
    module: 'MultiheadAttention',
    args: [256, 8],
    parameters: ['in_proj_weight'],
    expect: { attention: 'inProjWeight', fanIn: 256, fanOut: 768 },
  },
  {
    id: 'MultiheadAttention(256,8).in_proj_bias',
    module: 'MultiheadAttention',
    args: [256, 8],
    parameters: ['in_proj_bias'],
    min_samples: 1,
    expect: { attention: 'inProjBias', fanIn: 256, fanOut: 768 },
  },
  {
    id: 'MultiheadAttention(256,8).out_proj.weight',
    module: 'MultiheadAttention',
    args: [256, 8],
    parameters: ['out_proj.weight'],
    expect: { attention: 'outProjWeight', fanIn: 256, fanOut: 256 },
  },
  {
    id: 'MultiheadAttention(256,8).out_proj.bias',
    module: 'MultiheadAttention',
    args: [256, 8],
    parameters: ['out_proj.bias'],
    min_samples: 1,
    expect: { attention: 'outProjBias', fanIn: 256, fanOut: 256 },
  },
  // kdim / vdim other than embed_dim: separate [E, kdim] and [E, vdim] projections.
  {
    id: 'MultiheadAttention(256,8,kdim=128,vdim=64).q_proj_weight',
    module: 'MultiheadAttention',
    args: [256, 8],
    kwargs: { kdim: 128, vdim: 64 },
    parameters: ['q_proj_weight'],
    expect: { attention: 'qProjWeight', fanIn: 256, fanOut: 256 },
  },
  {
    id: 'MultiheadAttention(256,8,kdim=128,vdim=64).k_proj_weight',
    module: 'MultiheadAttention',
    args: [256, 8],
    kwargs: { kdim: 128, vdim: 64 },
    parameters: ['k_proj_weight'],
    expect: { attention: 'kProjWeight', fanIn: 128, fanOut: 256 },
  },
  {
    id: 'MultiheadAttention(256,8,kdim=128,vdim=64).v_proj_weight',
    module: 'MultiheadAttention',
    args: [256, 8],
    kwargs: { kdim: 128, vdim: 64 },
    parameters: ['v_proj_weight'],
    expect: { attention: 'vProjWeight', fanIn: 64, fanOut: 256 },
  },
  // bias_k is [1, 1, E]: fans 1 · E and 1 · E.
  {
    id: 'MultiheadAttention(256,8,add_bias_kv=True).bias_k',
    module: 'MultiheadAttention',
    args: [256, 8],
    kwargs: { add_bias_kv: true },
    parameters: ['bias_k'],
    min_samples: BIAS_SAMPLES,
    expect: { attention: 'biasK', fanIn: 256, fanOut: 256 },
  },
];

/** An nn.init call on a tensor of `shape` ([out, in, *kernel] as PyTorch stores weights). */
interface CallCase {
  id: string;
  function?: string;
  method?: string;
  shape: number[];
  args?: ConfigValue[];
  kwargs?: Record<string, ConfigValue>;
  min_samples?: number;
}

const DENSE = [300, 500];
const TALL = [500, 300];
const CONV = [64, 32, 3, 3];
const CONV_NARROW = [32, 64, 3, 3];

const INITS: CallCase[] = [
  { id: 'uniform_()', function: 'uniform_', shape: DENSE },
  { id: 'uniform_(-0.3, 0.7)', function: 'uniform_', shape: DENSE, args: [-0.3, 0.7] },
  { id: 'normal_()', function: 'normal_', shape: DENSE },
  { id: 'normal_(mean=0.5, std=0.02)', function: 'normal_', shape: DENSE, kwargs: { mean: 0.5, std: 0.02 } },
  { id: 'trunc_normal_()', function: 'trunc_normal_', shape: DENSE },
  { id: 'trunc_normal_(std=0.02)', function: 'trunc_normal_', shape: DENSE, kwargs: { std: 0.02 } },
  { id: 'trunc_normal_(0, 1, -1, 3)', function: 'trunc_normal_', shape: DENSE, args: [0, 1, -1, 3] },
  {
    id: 'trunc_normal_(mean=0.5, std=0.1, a=0.3, b=0.7)',
    function: 'trunc_normal_',
    shape: DENSE,
    kwargs: { mean: 0.5, std: 0.1, a: 0.3, b: 0.7 },
  },
  { id: 'trunc_normal_(mean=1, std=2, a=0, b=10)', function: 'trunc_normal_', shape: DENSE, kwargs: { mean: 1, std: 2, a: 0, b: 10 } },
  { id: 'constant_(0.3)', function: 'constant_', shape: DENSE, args: [0.3], min_samples: 1 },
  { id: 'ones_()', function: 'ones_', shape: DENSE, min_samples: 1 },
  { id: 'zeros_()', function: 'zeros_', shape: DENSE, min_samples: 1 },
  { id: 'eye_() [300,500]', function: 'eye_', shape: DENSE, min_samples: 1 },
  { id: 'eye_() [500,300]', function: 'eye_', shape: TALL, min_samples: 1 },
  { id: 'dirac_() [64,32,3,3]', function: 'dirac_', shape: CONV, min_samples: 1 },
  { id: 'dirac_() [32,64,3,3]', function: 'dirac_', shape: CONV_NARROW, min_samples: 1 },
  { id: 'dirac_(groups=1) [16,48,5]', function: 'dirac_', shape: [16, 48, 5], kwargs: { groups: 1 }, min_samples: 1 },
  { id: 'xavier_uniform_()', function: 'xavier_uniform_', shape: DENSE },
  { id: 'xavier_uniform_(gain=5/3)', function: 'xavier_uniform_', shape: DENSE, kwargs: { gain: 5 / 3 } },
  { id: 'xavier_normal_()', function: 'xavier_normal_', shape: DENSE },
  { id: 'xavier_normal_(sqrt 2) conv', function: 'xavier_normal_', shape: CONV, args: [Math.SQRT2] },
  { id: 'kaiming_uniform_()', function: 'kaiming_uniform_', shape: DENSE },
  { id: 'kaiming_normal_()', function: 'kaiming_normal_', shape: DENSE },
  { id: 'kaiming_uniform_(a=0.2)', function: 'kaiming_uniform_', shape: DENSE, kwargs: { a: 0.2 } },
  { id: 'kaiming_uniform_(a=sqrt 5)', function: 'kaiming_uniform_', shape: DENSE, kwargs: { a: Math.sqrt(5) } },
  { id: "kaiming_normal_(0.2, 'fan_out')", function: 'kaiming_normal_', shape: DENSE, args: [0.2, 'fan_out'] },
  {
    id: "kaiming_normal_(mode='fan_out', nonlinearity='relu') conv",
    function: 'kaiming_normal_',
    shape: CONV,
    kwargs: { mode: 'fan_out', nonlinearity: 'relu' },
  },
  { id: "kaiming_normal_(nonlinearity='tanh')", function: 'kaiming_normal_', shape: DENSE, kwargs: { nonlinearity: 'tanh' } },
  { id: "kaiming_normal_(nonlinearity='selu')", function: 'kaiming_normal_', shape: DENSE, kwargs: { nonlinearity: 'selu' } },
  {
    id: "kaiming_uniform_(mode='FAN_OUT', nonlinearity='sigmoid') conv",
    function: 'kaiming_uniform_',
    shape: CONV,
    kwargs: { mode: 'FAN_OUT', nonlinearity: 'sigmoid' },
  },
  { id: 'orthogonal_() [300,500]', function: 'orthogonal_', shape: DENSE },
  { id: 'orthogonal_(2) [500,300]', function: 'orthogonal_', shape: TALL, args: [2] },
  { id: 'orthogonal_(gain=sqrt 2) conv', function: 'orthogonal_', shape: CONV, kwargs: { gain: Math.SQRT2 } },
  { id: 'sparse_(sparsity=0.1)', function: 'sparse_', shape: [1000, 400], kwargs: { sparsity: 0.1 } },
  { id: 'sparse_(0.5, 0.2)', function: 'sparse_', shape: [1000, 400], args: [0.5, 0.2] },
  { id: 'xavier_uniform() (deprecated)', function: 'xavier_uniform', shape: DENSE },
  { id: 'normal(0, 0.1) (deprecated)', function: 'normal', shape: DENSE, args: [0, 0.1] },
  { id: "kaiming_normal(mode='fan_out') (deprecated)", function: 'kaiming_normal', shape: DENSE, kwargs: { mode: 'fan_out' } },
];

const METHODS: CallCase[] = [
  { id: 'zero_()', method: 'zero_', shape: [400, 1000], min_samples: 1 },
  { id: 'fill_(0.25)', method: 'fill_', shape: [400, 1000], args: [0.25], min_samples: 1 },
  { id: 'normal_()', method: 'normal_', shape: [400, 1000] },
  { id: 'normal_(0.1, 0.3)', method: 'normal_', shape: [400, 1000], args: [0.1, 0.3] },
  { id: 'uniform_()', method: 'uniform_', shape: [400, 1000] },
  { id: 'uniform_(-2, 1)', method: 'uniform_', shape: [400, 1000], args: [-2, 1] },
];

const GAINS: { id: string; args: ConfigValue[] }[] = [
  ['linear'],
  ['conv1d'],
  ['conv_transpose3d'],
  ['sigmoid'],
  ['tanh'],
  ['relu'],
  ['relu', 0.3],
  ['selu'],
  ['leaky_relu'],
  ['leaky_relu', 0.2],
  ['leaky_relu', 0],
  ['leaky_relu', Math.sqrt(5)],
  ['leaky_relu', true],
  ['leaky_relu', 'x'],
  ['softmax'],
  ['ReLU'],
].map((args) => ({ id: JSON.stringify(args), args }));

/** PyTorch's fans of a tensor [out, in, *kernel] and its output channels (the `columns` propagation passes). */
function fansOfShape(shape: number[]): { fanIn: number; fanOut: number; columns: number } {
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive, columns: shape[0] };
}

interface Row {
  id: string;
  spec: InitializerSpec;
  fanIn: number | null;
  fanOut: number | null;
  columns: number | null;
  realized: { mean: number; variance: number; samples: number };
}

/** The catalog's side of a layer case: its spec and the fans its statistics are read with. */
function expectedOfLayer(layerCase: LayerCase): Omit<Row, 'id' | 'realized'> {
  const { expect } = layerCase;
  if ('attention' in expect)
    return { spec: torchAttentionDefaultSpec(expect.attention), fanIn: expect.fanIn, fanOut: expect.fanOut, columns: expect.fanOut };
  const fans = expect.channels ? torchKernelFans(expect.type, expect.channels) : { fanIn: null, fanOut: null };
  const spec = torchDefaultSpec(expect.type, expect.key, { fanIn: fans.fanIn, hidden: expect.hidden ?? null });
  assert.ok(spec, `${layerCase.id}: the catalog has a default for ${expect.type}.${expect.key}`);
  return { spec, fanIn: fans.fanIn, fanOut: fans.fanOut, columns: expect.channels?.outChannels ?? null };
}

function specOfCall(call: CallCase): InitializerSpec {
  const positional = [TENSOR, ...(call.args ?? [])];
  if (call.method !== undefined) {
    return torchTensorMethodSpec(call.method, bindTorchArguments(TORCH_TENSOR_METHODS[call.method], positional, call.kwargs));
  }
  const signature = torchInitSignature(call.function!);
  assert.ok(signature, `${call.function} has a signature`);
  return torchInitSpec(call.function!, bindTorchArguments(signature, positional, call.kwargs));
}

const fmt = (value: number | null): string => (value === null ? 'null' : value.toPrecision(5));

/** Compares one row; returns the problem in words, or null. */
function mismatch(row: Row): string | null {
  if (row.spec.kind === 'unknown') return `spec unknown (${row.spec.reason})`;
  const mean = kernelMean(row.spec, row.fanIn, row.fanOut, row.columns);
  const variance = kernelVariance(row.spec, row.fanIn, row.fanOut, 'pytorch', row.columns);
  if (mean === null || variance === null) return 'the catalog gives no number';
  const { realized } = row;
  if (variance === 0) {
    if (Math.abs(realized.variance) > 1e-12) return `variance ${realized.variance} where the catalog says 0`;
    if (Math.abs(realized.mean - mean) > EXACT_TOLERANCE * Math.max(1, Math.abs(mean)))
      return `mean ${realized.mean} where the catalog says ${mean}`;
    return null;
  }
  const relative = Math.abs(realized.variance - variance) / variance;
  if (relative > VARIANCE_TOLERANCE) return `variance off by ${(100 * relative).toFixed(2)} %`;
  if (Math.abs(realized.mean - mean) > MEAN_TOLERANCE_IN_STD * Math.sqrt(variance) + 1e-9)
    return `mean off by ${fmt(Math.abs(realized.mean - mean) / Math.sqrt(variance))} std`;
  return null;
}

function table(rows: Row[]): string {
  const lines = rows.map((row) => {
    const mean = row.spec.kind === 'unknown' ? null : kernelMean(row.spec, row.fanIn, row.fanOut, row.columns);
    const variance = row.spec.kind === 'unknown' ? null : kernelVariance(row.spec, row.fanIn, row.fanOut, 'pytorch', row.columns);
    const varTimesFanIn = row.fanIn === null ? '' : `  Var·fan_in ${fmt(row.realized.variance * row.fanIn)}`;
    return (
      `${mismatch(row) === null ? 'ok  ' : 'FAIL'} ${row.id.padEnd(62)} ${row.spec.kind.padEnd(15)} mean ${fmt(row.realized.mean).padStart(12)} vs ${fmt(mean).padStart(12)}` +
      `  var ${fmt(row.realized.variance).padStart(12)} vs ${fmt(variance).padStart(12)}${varTimesFanIn}${mismatch(row) ? `  <- ${mismatch(row)}` : ''}`
    );
  });
  return ['     case'.padEnd(68) + 'spec            realized mean vs catalog        realized var vs catalog', ...lines].join('\n');
}

test('the PyTorch catalog matches the statistics real PyTorch draws (layer defaults, nn.init, tensor methods, calculate_gain)', (t) => {
  if (!requireTool(t, TORCH, PYTHON !== null)) return;
  const request = {
    seed: 1234,
    min_samples: 400_000,
    layers: LAYERS,
    inits: INITS.filter((c) => c.function),
    methods: METHODS,
    gains: GAINS,
  };
  const run = spawnSync(PYTHON!, [SCRIPT], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `pytorch_catalog.py failed:\n${run.stderr}`);
  type Moments = Row['realized'];
  const result = JSON.parse(run.stdout) as {
    torch: string;
    layers: Record<string, Moments>;
    inits: Record<string, Moments>;
    methods: Record<string, Moments>;
    gains: Record<string, number | null>;
  };

  const rows: Row[] = [
    ...LAYERS.map((c) => ({ id: c.id, ...expectedOfLayer(c), realized: result.layers[c.id] })),
    ...INITS.map((c) => ({ id: `nn.init.${c.id}`, spec: specOfCall(c), ...fansOfShape(c.shape), realized: result.inits[c.id] })),
    ...METHODS.map((c) => ({ id: `Tensor.${c.id}`, spec: specOfCall(c), ...fansOfShape(c.shape), realized: result.methods[c.id] })),
  ];
  const report = table(rows);
  t.diagnostic(`torch ${result.torch}`);
  for (const line of report.split('\n')) t.diagnostic(line);
  const failed = rows.filter((row) => mismatch(row) !== null);
  assert.equal(failed.length, 0, `${failed.length} of ${rows.length} cases differ from real PyTorch ${result.torch}:\n${report}`);

  const gainErrors = GAINS.filter(({ id, args }) => {
    const expected = result.gains[id];
    const actual = calculateGain(args[0], args[1]);
    return expected === null ? actual !== null : actual === null || Math.abs(actual - expected) > 1e-12;
  }).map(({ id, args }) => `calculate_gain${id}: PyTorch ${result.gains[id]}, catalog ${calculateGain(args[0], args[1])}`);
  assert.deepEqual(gainErrors, [], 'calculate_gain agrees with PyTorch, including what it rejects');
});
