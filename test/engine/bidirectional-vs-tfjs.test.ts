// Propagation through Bidirectional recurrent layers: kernel variances against the kernels TF.js draws, and the two directions against one.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { parseModelJson } from '../../server/src/engine/frontends/json';
import { parseTypeScript } from '../../server/src/engine/frontends/ts';
import { propagate } from '../../server/src/engine/propagation';
import type { Model } from '../../server/src/engine/ir';

before(async () => {
  await tf.setBackend('cpu');
});

/** Kernel entries pooled per case: the sample variance of uniform or truncated normal draws is then within about 1.5% (one standard error). */
const SAMPLED_ENTRIES = 8192;
/** Relative tolerance: over 3 standard errors, and far below the factor of about 2 a doubled fan-out makes. */
const TOLERANCE = 0.05;

/** Unbiased sample variance of all entries of the given arrays together. */
function sampleVariance(arrays: Float32Array[]): number {
  let count = 0;
  let sum = 0;
  for (const values of arrays)
    for (const value of values) {
      sum += value;
      count++;
    }
  const mean = sum / count;
  let squares = 0;
  for (const values of arrays) for (const value of values) squares += (value - mean) * (value - mean);
  return squares / (count - 1);
}

/**
 * The input kernels ([features, gates * units]) of both directions of the model's Bidirectional layer, from fresh
 * builds until enough entries are pooled (the directions draw independently: the initializers are unseeded).
 */
async function builtKernels(build: () => Promise<tf.LayersModel>): Promise<{ values: Float32Array[]; shape: number[] }> {
  const values: Float32Array[] = [];
  let shape: number[] = [];
  let entries = 0;
  while (entries < SAMPLED_ENTRIES) {
    const model = await build();
    try {
      const wrapper = model.layers.find((l) => l.getClassName() === 'Bidirectional');
      assert.ok(wrapper, 'TF.js built a Bidirectional layer');
      // Weights are [kernel, recurrentKernel, bias] of the forward layer, then the same of the backward one.
      const kernels = wrapper.weights.filter((w) => /(forward|backward)_[^/]*\/kernel(_\d+)?$/.test(w.name));
      assert.equal(kernels.length, 2, `forward and backward input kernels among ${wrapper.weights.map((w) => w.name).join(', ')}`);
      for (const kernel of kernels) {
        const tensor = kernel.read();
        shape = tensor.shape;
        values.push(tensor.dataSync() as Float32Array);
        entries += tensor.size;
      }
    } finally {
      model.dispose();
    }
  }
  return { values, shape };
}

/** The kernel variance propagation predicts for the model's one Bidirectional layer. */
function predictedKernelVariance(model: Model): number | null {
  const layer = model.layers.find((l) => l.wrapper === 'Bidirectional');
  assert.ok(layer, 'the front end found the Bidirectional layer');
  const signal = propagate(model).layers.find((l) => l.layerId === layer.id);
  assert.ok(signal, 'propagation reports the Bidirectional layer');
  return signal.kernelVariance;
}

function assertClose(predicted: number | null, sampled: number, what: string): void {
  console.log(
    `${what}: predicted kernel variance ${predicted}, TF.js sample variance ${sampled.toPrecision(5)}, ratio ${predicted === null ? 'n/a' : (predicted / sampled).toFixed(3)}`,
  );
  assert.ok(predicted !== null, `${what}: a kernel variance is predicted`);
  assert.ok(
    Math.abs(predicted / sampled - 1) <= TOLERANCE,
    `${what}: predicted ${predicted} is not within ${TOLERANCE * 100}% of the sampled ${sampled}`,
  );
}

/**
 * TS/JS sources TF.js runs as they are (with `tf` bound), leaving the model in `model`; recurrent kernels zero to keep
 * the builds fast. The shape comes from tf.input: the test below gives it on the wrapper instead.
 */
const SOURCES: Record<string, { source: string; kernelShape: number[] }> = {
  'Bidirectional(LSTM) glorotUniform': {
    source: `const input = tf.input({shape: [10, 16]});
const output = tf.layers.bidirectional({layer: tf.layers.lstm({units: 32, kernelInitializer: 'glorotUniform', recurrentInitializer: 'zeros'})}).apply(input);
const model = tf.model({inputs: input, outputs: output});`,
    kernelShape: [16, 128],
  },
  'Bidirectional(GRU) default (TF.js glorotNormal) with a Dense after it': {
    source: `const input = tf.input({shape: [10, 16]});
const recurrent = tf.layers.bidirectional({layer: tf.layers.gru({units: 24, recurrentInitializer: 'zeros'})}).apply(input);
const output = tf.layers.dense({units: 4}).apply(recurrent);
const model = tf.model({inputs: input, outputs: output});`,
    kernelShape: [16, 72],
  },
  // Orthogonal rows of a 16 x 32 kernel: E[W^2] = 1/32 exactly, whatever the fan-out a doubled width would give.
  'Bidirectional(SimpleRNN) orthogonal, mergeMode concat': {
    source: `const input = tf.input({shape: [10, 16]});
const output = tf.layers.bidirectional({layer: tf.layers.simpleRNN({units: 32, kernelInitializer: 'orthogonal', recurrentInitializer: 'zeros'}), mergeMode: 'concat'}).apply(input);
const model = tf.model({inputs: input, outputs: output});`,
    kernelShape: [16, 32],
  },
};

for (const [name, { source, kernelShape }] of Object.entries(SOURCES)) {
  test(`${name}: the predicted kernel variance is the variance of the kernel TF.js draws (TS source)`, async () => {
    const parsed = parseTypeScript(source, 'bidirectional.js').models;
    assert.equal(parsed.length, 1, 'one model in the source');
    const { values, shape } = await builtKernels(async () => new Function('tf', `${source}\nreturn model;`)(tf) as tf.LayersModel);
    assert.deepEqual(shape, kernelShape, 'kernel shape TF.js builds per direction');
    assertClose(predictedKernelVariance(parsed[0]), sampleVariance(values), name);
  });
}

// TF.js takes a Bidirectional layer's input shape from the wrapper's own config (on the wrapped layer it is rejected),
// so the front end must give the wrapped layer the wrapper's shape for its fan-in to be known.
const WRAPPER_INPUT_SHAPE = `const model = tf.sequential({layers: [
  tf.layers.bidirectional({layer: tf.layers.lstm({units: 32, kernelInitializer: 'glorotUniform', recurrentInitializer: 'zeros'}), inputShape: [10, 16]}),
]});`;

test('Bidirectional(LSTM) with inputShape on the wrapper (TS source)', async () => {
  const parsed = parseTypeScript(WRAPPER_INPUT_SHAPE, 'bidirectional.js').models;
  const { values } = await builtKernels(async () => new Function('tf', `${WRAPPER_INPUT_SHAPE}\nreturn model;`)(tf) as tf.LayersModel);
  assertClose(predictedKernelVariance(parsed[0]), sampleVariance(values), 'Bidirectional(LSTM) inputShape on the wrapper');
});

/** A Keras 2 model.json topology as Keras writes it: Bidirectional(LSTM(32)) on [10, 16] inputs, GlorotUniform kernels, Dense after it. */
const KERAS_JSON = JSON.stringify({
  class_name: 'Sequential',
  config: {
    name: 'tagger',
    layers: [
      {
        class_name: 'Bidirectional',
        config: {
          name: 'bidirectional',
          trainable: true,
          dtype: 'float32',
          batch_input_shape: [null, 10, 16],
          merge_mode: 'concat',
          layer: {
            class_name: 'LSTM',
            config: {
              name: 'lstm',
              trainable: true,
              dtype: 'float32',
              return_sequences: false,
              return_state: false,
              go_backwards: false,
              stateful: false,
              unroll: false,
              units: 32,
              activation: 'tanh',
              recurrent_activation: 'sigmoid',
              use_bias: true,
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
              recurrent_initializer: { class_name: 'Zeros', config: {} },
              bias_initializer: { class_name: 'Zeros', config: {} },
              unit_forget_bias: true,
              dropout: 0.0,
              recurrent_dropout: 0.0,
              implementation: 2,
            },
          },
        },
      },
      {
        class_name: 'Dense',
        config: {
          name: 'out',
          trainable: true,
          dtype: 'float32',
          units: 3,
          activation: 'softmax',
          use_bias: true,
          kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
          bias_initializer: { class_name: 'Zeros', config: {} },
        },
      },
    ],
  },
  keras_version: '2.12.0',
  backend: 'tensorflow',
});

test('Bidirectional(LSTM) from Keras JSON: the predicted kernel variance is the variance of the kernel TF.js draws from that JSON', async () => {
  const parsed = parseModelJson(KERAS_JSON).models;
  assert.equal(parsed.length, 1, 'one model in the JSON');
  assert.equal(parsed[0].dialect, 'keras2');
  const { values, shape } = await builtKernels(() => tf.models.modelFromJSON({ modelTopology: JSON.parse(KERAS_JSON) }));
  assert.deepEqual(shape, [16, 128], 'kernel shape TF.js builds per direction');
  // Keras / TF.js glorotUniform on [16, 4 * 32]: 2 / (16 + 128).
  const predicted = predictedKernelVariance(parsed[0]);
  assertClose(predicted, sampleVariance(values), 'Keras JSON Bidirectional(LSTM) GlorotUniform');
  assert.ok(predicted !== null && Math.abs(predicted - 2 / 144) < 1e-12, `closed form 2/144, predicted ${predicted}`);
});

/** A functional model of one recurrent layer on [10, 16] inputs, optionally wrapped: `wrap` gets the layer call. */
function recurrentSource(layerCall: string, wrap?: (call: string) => string): string {
  return `const input = tf.input({shape: [10, 16]});
const output = ${wrap ? wrap(layerCall) : layerCall}.apply(input);
const model = tf.model({inputs: input, outputs: output});`;
}

/** The propagated signal of the model's recurrent layer, with the model's notes. */
function recurrentSignal(source: string): { signal: ReturnType<typeof propagate>['layers'][number]; notes: string[] } {
  const model = parseTypeScript(source, 'recurrent.js').models[0];
  const layer = model.layers.find((l) => l.type === 'lstm' || l.type === 'gru' || l.type === 'simpleRNN');
  assert.ok(layer, 'the recurrent layer');
  const result = propagate(model);
  const signal = result.layers.find((l) => l.layerId === layer.id);
  assert.ok(signal);
  return { signal, notes: result.notes };
}

test('each direction of a Bidirectional layer propagates like the unwrapped layer; the error reaches the input through both', () => {
  for (const call of [
    "tf.layers.lstm({units: 32, kernelInitializer: 'glorotUniform'})",
    "tf.layers.gru({units: 24, kernelInitializer: 'heNormal'})",
    "tf.layers.simpleRNN({units: 32, kernelInitializer: 'leCunNormal'})",
  ]) {
    const single = recurrentSignal(recurrentSource(call)).signal;
    const both = recurrentSignal(recurrentSource(call, (inner) => `tf.layers.bidirectional({layer: ${inner}})`)).signal;
    assert.equal(both.kernelVariance, single.kernelVariance, `${call}: kernel variance`);
    assert.equal(both.forwardVariance, single.forwardVariance, `${call}: pre-activation second moment`);
    assert.equal(both.forwardGain, single.forwardGain, `${call}: forward gain (concat keeps each direction's scale)`);
    assert.ok(
      Number.isFinite(single.backwardGain) && Math.abs(both.backwardGain / single.backwardGain - 2) < 1e-12,
      `${call}: backward gain ${both.backwardGain} vs ${single.backwardGain}`,
    );
  }
});

test('a Bidirectional merge mode other than concat is said in the notes; concat is not', () => {
  const call = 'tf.layers.lstm({units: 32})';
  const sum = recurrentSignal(recurrentSource(call, (inner) => `tf.layers.bidirectional({layer: ${inner}, mergeMode: 'sum'})`));
  const concat = recurrentSignal(recurrentSource(call, (inner) => `tf.layers.bidirectional({layer: ${inner}, mergeMode: 'concat'})`));
  assert.ok(
    sum.notes.some((n) => n.includes('merge mode other than concat')),
    sum.notes.join('\n'),
  );
  assert.ok(!concat.notes.some((n) => n.includes('merge mode')), concat.notes.join('\n'));
  // The kernel is the same [16, 128] either way.
  assert.equal(sum.signal.kernelVariance, concat.signal.kernelVariance);
});
