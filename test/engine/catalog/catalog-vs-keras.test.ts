// Checks the catalog's Keras 3 facts (dialect 'keras3') against real Keras 3 on its numpy backend: layer defaults and
// the realized moments of every weight, every initializer name Keras accepts, initializer instances with arguments,
// and every activation Keras names. test/engine/catalog/keras_catalog.py does the measuring in the oracle venv.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { activationOfAttr, LEAKY_RELU_ACTIVATION_ALPHA, LEAKY_RELU_LAYER_ALPHA } from '../../../server/src/engine/catalog/activations';
import { kernelMean, kernelVariance } from '../../../server/src/engine/catalog/initializers';
import {
  defaultActivation,
  defaultInitializers,
  defaultRecurrentActivation,
  defaultUnitForgetBias,
  kernelKeyOf,
} from '../../../server/src/engine/catalog/layerDefaults';
import { activationIdOf, initializerIdOf, initializerSpecOf } from '../../../server/src/engine/catalog/names';
import { camelCaseKey } from '../../../server/src/engine/frontends/json/document';
import type { ConfigValue, InitializerSpec, LayerType } from '../../../server/src/engine/ir';
import { layerShape } from '../../../server/src/engine/shapes';
import { commandWorks, requireTool } from '../../helpers/externalTools';

const REPO_ROOT = join(__dirname, '../../../..');
const VENV = join(REPO_ROOT, '.cache/keras-venv');
const PYTHON = process.platform === 'win32' ? join(VENV, 'Scripts', 'python.exe') : join(VENV, 'bin', 'python');
const SCRIPT = join(REPO_ROOT, 'test/engine/catalog/keras_catalog.py');
const KERAS_ENV = { ...process.env, KERAS_BACKEND: 'numpy' };
const KERAS = { name: 'Keras 3 (virtual environment)', install: 'node scripts/python-oracles.mjs' };
const available = existsSync(PYTHON) && commandWorks(PYTHON, ['-c', 'import keras'], KERAS_ENV);

/**
 * Relative tolerance on a realized variance (and on a mean, relative to the standard deviation). Every randomly drawn
 * weight below has at least 32k entries, so one standard error of its sampled variance is under 0.8%; the seed is fixed.
 */
const RELATIVE_TOLERANCE = 0.04;
/** Absolute slack for deterministic values stored as float32. */
const FLOAT32_SLACK = 1e-6;

interface Moments {
  shape: number[];
  count: number;
  mean: number;
  variance: number;
  secondMoment: number;
}
interface SerializedInitializer {
  className: string;
  config: Record<string, unknown>;
}
interface KerasLayer {
  type: LayerType;
  className: string;
  kwargs: Record<string, unknown>;
  inputShape: number[];
  weights: (Moments & { name: string })[];
  initializers: Record<string, SerializedInitializer>;
  activation: string | null;
  recurrentActivation: string | null;
  unitForgetBias: boolean | null;
}
interface KerasName {
  name: string;
  accepted: boolean;
  className?: string;
  config?: Record<string, unknown>;
  error?: string;
}
interface KerasDraw extends Partial<Moments> {
  label: string;
  name: string;
  kwargs: Record<string, unknown>;
  shape: number[];
  error?: string;
}
interface KerasActivation {
  name: string;
  points?: number[];
  phi?: number[];
  slope?: number[];
  error?: string;
}
interface KerasFacts {
  keras: string;
  backend: string;
  layers: KerasLayer[];
  initializerNames: KerasName[];
  initializers: KerasDraw[];
  activations: KerasActivation[];
  activationLayers: Record<string, number>;
}

let facts: KerasFacts | undefined;

/** Runs the measuring script once (about 20 s) and keeps its answer for every test. */
function kerasFacts(): KerasFacts {
  if (facts) return facts;
  const run = spawnSync(PYTHON, [SCRIPT], { encoding: 'utf8', env: KERAS_ENV, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `keras_catalog.py failed:\n${run.stderr}`);
  facts = JSON.parse(run.stdout) as KerasFacts;
  return facts;
}

function withKeras(t: TestContext): KerasFacts | null {
  return requireTool(t, KERAS, available) ? kerasFacts() : null;
}

/** Python keyword arguments / get_config() as the engine's camelCase config. */
function camelConfig(config: Record<string, unknown>): Record<string, ConfigValue> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [camelCaseKey(key), value as ConfigValue]));
}

/** Keras's compute_fans of a weight shape (no custom axes). */
function kerasFans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/** One compared weight: what Keras drew and what the catalog predicts for it. */
interface Row {
  what: string;
  shape: number[];
  kerasMean: number;
  catalogMean: number | null;
  kerasVariance: number;
  catalogVariance: number | null;
  ok: boolean;
}

function compare(what: string, drawn: Moments, spec: InitializerSpec, meanShift = 0): Row {
  const { fanIn, fanOut } = kerasFans(drawn.shape);
  const columns = drawn.shape[drawn.shape.length - 1] ?? 1;
  const predictedMean = kernelMean(spec, fanIn, columns);
  const catalogMean = predictedMean === null ? null : predictedMean + meanShift;
  const catalogVariance = kernelVariance(spec, fanIn, fanOut, 'keras3', columns);
  let ok = catalogMean !== null && catalogVariance !== null;
  if (catalogMean !== null && catalogVariance !== null) {
    const spread = Math.sqrt(Math.max(catalogVariance, drawn.variance));
    ok =
      Math.abs(drawn.variance - catalogVariance) <= RELATIVE_TOLERANCE * catalogVariance + FLOAT32_SLACK * FLOAT32_SLACK &&
      Math.abs(drawn.mean - catalogMean) <= RELATIVE_TOLERANCE * spread + FLOAT32_SLACK * Math.max(1, Math.abs(catalogMean));
  }
  return { what, shape: drawn.shape, kerasMean: drawn.mean, catalogMean, kerasVariance: drawn.variance, catalogVariance, ok };
}

function formatNumber(value: number | null): string {
  if (value === null) return 'unknown';
  return value === 0 ? '0' : Math.abs(value) >= 1e-3 && Math.abs(value) < 1e4 ? value.toPrecision(4) : value.toExponential(3);
}

/** The rows as an aligned text table, mismatches marked. */
function table(rows: Row[]): string {
  const cells = [['', 'weight', 'shape', 'Keras mean', 'catalog mean', 'Keras Var', 'catalog Var', 'Var ratio']];
  for (const row of rows) {
    const ratio = row.catalogVariance ? formatNumber(row.kerasVariance / row.catalogVariance) : '-';
    cells.push([
      row.ok ? ' ' : '✗',
      row.what,
      `[${row.shape.join(',')}]`,
      formatNumber(row.kerasMean),
      formatNumber(row.catalogMean),
      formatNumber(row.kerasVariance),
      formatNumber(row.catalogVariance),
      ratio,
    ]);
  }
  const widths = cells[0].map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function assertRows(rows: Row[], title: string): void {
  const bad = rows.filter((row) => !row.ok);
  assert.equal(
    bad.length,
    0,
    `${title}: ${bad.length} of ${rows.length} differ (tolerance ${RELATIVE_TOLERANCE * 100}% relative)\n${table(rows)}`,
  );
}

const LAYER_TYPES: LayerType[] = [
  'dense',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv2dTranspose',
  'separableConv2d',
  'depthwiseConv2d',
  'lstm',
  'gru',
  'simpleRNN',
  'embedding',
  'batchNormalization',
  'layerNormalization',
];

/** The config key of the initializer that fills a Keras weight (by its variable name). */
function initializerKeyOf(type: LayerType, weight: string): string {
  if (weight === 'kernel') return kernelKeyOf(type) ?? 'kernelInitializer';
  if (weight.startsWith('bias')) return 'biasInitializer';
  if (weight === 'depthwise_kernel') return 'depthwiseInitializer';
  if (weight === 'pointwise_kernel') return 'pointwiseInitializer';
  if (weight === 'recurrent_kernel') return 'recurrentInitializer';
  return `${camelCaseKey(weight)}Initializer`; // embeddings, gamma, beta, moving_mean, moving_variance
}

for (const type of LAYER_TYPES) {
  test(`Keras 3 ${type} built with defaults: serialized initializers and activations match layerDefaults`, (t) => {
    const keras = withKeras(t);
    if (!keras) return;
    const layer = keras.layers.find((l) => l.type === type);
    assert.ok(layer, `keras_catalog.py measured ${type}`);
    const defaults = defaultInitializers(type, 'keras3');
    const kerasKeys = Object.keys(layer.initializers).map(camelCaseKey).sort();
    assert.deepEqual(Object.keys(defaults).sort(), kerasKeys, 'the same initializer keys');
    for (const [key, serialized] of Object.entries(layer.initializers)) {
      const alias = defaults[camelCaseKey(key)];
      assert.ok(alias);
      const fromKeras = initializerSpecOf(serialized.className, camelConfig(serialized.config), 'keras3').spec;
      assert.deepEqual(initializerSpecOf(alias, {}, 'keras3').spec, fromKeras, `${type}.${key}: ${serialized.className}`);
    }
    if (layer.activation !== null) assert.equal(activationIdOf(layer.activation), defaultActivation(type), `${type} activation`);
    if (layer.recurrentActivation !== null) assert.equal(activationIdOf(layer.recurrentActivation), defaultRecurrentActivation('keras3'));
    if (type === 'lstm') assert.equal(layer.unitForgetBias, defaultUnitForgetBias('keras3'), 'unit_forget_bias');
  });

  test(`Keras 3 ${type} built with defaults: realized mean and variance of every weight match the catalog`, (t) => {
    const keras = withKeras(t);
    if (!keras) return;
    const layer = keras.layers.find((l) => l.type === type);
    assert.ok(layer);
    const defaults = defaultInitializers(type, 'keras3');
    const rows = layer.weights.map((weight) => {
      const alias = defaults[initializerKeyOf(type, weight.name)];
      assert.ok(alias, `${type}.${weight.name} has a default initializer in the catalog`);
      const spec = initializerSpecOf(alias, {}, 'keras3').spec;
      // unit_forget_bias: Keras fills the forget slice with ones in place of the bias initializer's values.
      const forget = weight.name === 'bias[forget]' && defaultUnitForgetBias('keras3');
      return compare(`${weight.name} (${forget ? 'ones' : alias})`, weight, forget ? initializerSpecOf('ones', {}, 'keras3').spec : spec);
    });
    console.log(`Keras ${keras.keras} ${type}:\n${table(rows)}`);
    assertRows(rows, `${type} weights`);
    // The engine's fans of the main kernel (shapes.ts) are the ones Keras's initializer used.
    const mainKernel = layer.weights.find((w) => ['kernel', 'depthwise_kernel', 'embeddings'].includes(w.name));
    if (mainKernel) {
      const input = { dims: layer.inputShape, exactRank: true };
      const shape = layerShape(type, layer.className, camelConfig(layer.kwargs), [input]);
      assert.deepEqual({ fanIn: shape.fanIn, fanOut: shape.fanOut }, kerasFans(mainKernel.shape), `${type} kernel fans from shapes.ts`);
    }
  });
}

test('every initializer string Keras 3 accepts resolves to the same initializer, and its realized moments match the catalog', (t) => {
  const keras = withKeras(t);
  if (!keras) return;
  const rows: Row[] = [];
  const cannotDraw = new Set(keras.initializers.filter((draw) => draw.error).map((draw) => draw.name));
  for (const entry of keras.initializerNames.filter((e) => e.accepted)) {
    const resolved = initializerSpecOf(entry.name, {}, 'keras3');
    if (cannotDraw.has(entry.name)) {
      // The abstract base class and STFT (a 3-D window bank, not a kernel initializer) draw no kernel: the catalog must not guess.
      assert.equal(
        resolved.spec.kind,
        'unknown',
        `'${entry.name}' draws no kernel in Keras, the catalog knows it as ${resolved.spec.kind}`,
      );
      continue;
    }
    assert.equal(initializerIdOf(entry.name), initializerIdOf(entry.className ?? ''), `'${entry.name}' is ${entry.className} in Keras`);
    assert.deepEqual(
      resolved.spec,
      initializerSpecOf(entry.className ?? '', camelConfig(entry.config ?? {}), 'keras3').spec,
      `'${entry.name}' and the config Keras gives it`,
    );
    for (const draw of keras.initializers.filter((d) => d.name === entry.name && d.label === entry.name)) {
      rows.push(compare(`'${entry.name}'`, draw as Moments, resolved.spec));
    }
  }
  console.log(`Keras ${keras.keras} initializer strings on kernels [200,300] and [5,5,32,64]:\n${table(rows)}`);
  assertRows(rows, 'initializer strings');
  const accepted = keras.initializerNames.filter((e) => e.accepted).map((e) => e.name);
  assert.ok(accepted.length >= 30, `Keras listed ${accepted.length} initializer names`);
  const rejected = keras.initializerNames.filter((e) => !e.accepted).map((e) => e.name);
  console.log(`Keras ${keras.keras} rejects these strings (the catalog still reads them): ${rejected.join(', ')}`);
});

test('initializer instances with arguments: realized moments match the catalog read from the written keyword arguments', (t) => {
  const keras = withKeras(t);
  if (!keras) return;
  const rows: Row[] = [];
  for (const draw of keras.initializers.filter((d) => d.label !== d.name)) {
    assert.equal(draw.error, undefined, `${draw.label} draws in Keras`);
    const written = camelConfig(draw.kwargs);
    const spec = initializerSpecOf(draw.name, written, 'keras3').spec;
    if ('inputAxes' in written && 'outputAxes' in written) {
      // Fans from custom axes are not the kernel fans the engine passes: the catalog must say unknown.
      assert.equal(spec.kind, 'unknown', `${draw.label}: ${JSON.stringify(spec)}`);
      continue;
    }
    rows.push(compare(draw.label, draw as Moments, spec));
  }
  console.log(`Keras ${keras.keras} initializer instances:\n${table(rows)}`);
  assertRows(rows, 'initializer instances');
});

/** Keras activation names the engine has no elementwise math for: they must stay unknown (null), never guessed. */
const ACTIVATIONS_WITHOUT_MATH = [
  'celu',
  'glu',
  'hard_shrink',
  'hard_tanh',
  'log_sigmoid',
  'log_softmax',
  'soft_shrink',
  'sparse_plus',
  'sparse_sigmoid',
  'sparsemax',
  'squareplus',
  'tanh_shrink',
  'threshold',
];

test("every activation Keras 3 names: phi and phi' match the catalog, or the catalog says unknown", (t) => {
  const keras = withKeras(t);
  if (!keras) return;
  const unknown: string[] = [];
  const lines: string[] = [];
  for (const activation of keras.activations) {
    const id = activationIdOf(activation.name);
    if (id === null) {
      unknown.push(activation.name);
      continue;
    }
    const fn = activationOfAttr({ name: id, explicit: true, source: 'own' }, 'keras3');
    assert.ok(fn, `${activation.name} → ${id} has math`);
    if (id === 'softmax') continue; // by design the propagation treats softmax as linear (its Jacobian goes into the loss)
    assert.ok(activation.points && activation.phi && activation.slope, `${activation.name}: ${activation.error}`);
    let worstValue = 0;
    let worstSlope = 0;
    activation.points.forEach((x, i) => {
      worstValue = Math.max(worstValue, Math.abs(fn.phi(x) - activation.phi![i]) / (1 + Math.abs(activation.phi![i])));
      worstSlope = Math.max(worstSlope, Math.abs(fn.derivative(x) - activation.slope![i]) / (1 + Math.abs(activation.slope![i])));
    });
    lines.push(
      `${activation.name.padEnd(12)} → ${id.padEnd(11)} worst |Δphi| ${worstValue.toExponential(1)}  |Δphi'| ${worstSlope.toExponential(1)}`,
    );
    // float32 values: phi to a few ulps; the slope is a central difference over ±1e-3 of float32 values.
    assert.ok(worstValue < 1e-6 && worstSlope < 2e-3, `${activation.name} (${id}): phi off by ${worstValue}, phi' off by ${worstSlope}`);
  }
  console.log(
    `Keras ${keras.keras} activations on ${keras.activations[0]?.points?.length ?? 0} points (float32, slopes by central differences):\n${lines.join('\n')}`,
  );
  assert.deepEqual(unknown.sort(), ACTIVATIONS_WITHOUT_MATH, 'the activations the catalog leaves unknown');
});

test('the activation names a Keras Python model uses are all Keras 3 names; the catalog reads each one it has math for', (t) => {
  const keras = withKeras(t);
  if (!keras) return;
  const names = [
    'relu',
    'gelu',
    'silu',
    'swish',
    'leaky_relu',
    'relu6',
    'hard_sigmoid',
    'hard_silu',
    'mish',
    'elu',
    'selu',
    'softplus',
    'softsign',
    'exponential',
    'linear',
    'log_softmax',
    'softmax',
    'sigmoid',
    'tanh',
  ];
  const kerasNames = new Set(keras.activations.map((a) => a.name));
  for (const name of names) {
    assert.ok(kerasNames.has(name), `Keras ${keras.keras} knows '${name}'`);
    assert.equal(activationIdOf(name) === null, ACTIVATIONS_WITHOUT_MATH.includes(name), `'${name}' → ${activationIdOf(name)}`);
  }
});

test('Keras 3 negative slopes: LeakyReLU layer 0.3, leaky_relu activation 0.2, ELU alpha 1', (t) => {
  const keras = withKeras(t);
  if (!keras) return;
  assert.equal(keras.activationLayers['LeakyReLU.negative_slope'], LEAKY_RELU_LAYER_ALPHA);
  assert.ok(Math.abs(keras.activationLayers['leaky_relu.negative_slope'] - LEAKY_RELU_ACTIVATION_ALPHA) < 1e-7);
  assert.equal(keras.activationLayers['ELU.alpha'], 1);
});
