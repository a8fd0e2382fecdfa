// The same model read from TS/JS source and from the Keras-format JSON TF.js writes for it gives the same layers, and both match the built TF.js model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { parseTypeScript } from '../../../server/src/engine/frontends/ts';
import { parseModelJson } from '../../../server/src/engine/frontends/json';
import { kernelFans } from '../../helpers/kernelFans';
import type { Layer, Model } from '../../../server/src/engine/ir';

/** Plain JS that both the TS front end reads and TF.js runs (with `tf` bound): it leaves the model in `model`. */
const ARCHITECTURES: Record<string, string> = {
  mlp: `const model = tf.sequential({layers: [
  tf.layers.dense({units: 32, inputShape: [10], activation: 'relu', kernelInitializer: 'heNormal'}),
  tf.layers.dropout({rate: 0.1}),
  tf.layers.dense({units: 16}),
  tf.layers.activation({activation: 'tanh'}),
  tf.layers.dense({units: 3, activation: 'softmax'}),
]});`,
  cnn: `const model = tf.sequential();
model.add(tf.layers.conv2d({inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu'}));
model.add(tf.layers.conv2d({filters: 16, kernelSize: [5, 3], strides: 2, padding: 'same', activation: 'relu'}));
model.add(tf.layers.maxPooling2d({poolSize: 2}));
model.add(tf.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same'}));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({units: 10, activation: 'softmax'}));`,
  lstm: `const model = tf.sequential({layers: [
  tf.layers.lstm({units: 24, inputShape: [7, 5], returnSequences: true}),
  tf.layers.gru({units: 12}),
  tf.layers.dense({units: 1, activation: 'sigmoid'}),
]});`,
  residual: `const input = tf.input({shape: [12, 12, 4]});
const conv = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: 'heNormal'}).apply(input);
const norm = tf.layers.batchNormalization().apply(conv);
const sum = tf.layers.add().apply([input, norm]);
const pooled = tf.layers.globalAveragePooling2d({}).apply(sum);
const output = tf.layers.dense({units: 5, activation: 'softmax'}).apply(pooled);
const model = tf.model({inputs: input, outputs: output});`,
  embedding: `const model = tf.sequential({layers: [
  tf.layers.embedding({inputDim: 500, outputDim: 16, inputLength: 20}),
  tf.layers.conv1d({filters: 8, kernelSize: 5, activation: 'relu'}),
  tf.layers.globalMaxPooling1d({}),
  tf.layers.dense({units: 1, activation: 'sigmoid'}),
]});`,
  // TF.js takes a wrapper's input shape from the wrapper's own config; a zero recurrent kernel keeps the build fast.
  'bidirectional with inputShape on the wrapper': `const model = tf.sequential({layers: [
  tf.layers.bidirectional({layer: tf.layers.lstm({units: 12, recurrentInitializer: 'zeros'}), inputShape: [10, 16]}),
  tf.layers.dense({units: 3, activation: 'softmax'}),
]});`,
  'timeDistributed with inputShape on the wrapper': `const model = tf.sequential({layers: [
  tf.layers.timeDistributed({layer: tf.layers.dense({units: 8, activation: 'relu'}), inputShape: [10, 16]}),
  tf.layers.flatten(),
  tf.layers.dense({units: 1}),
]});`,
  // The wrapped layer's own inputShape is kept in its config (and in the JSON TF.js writes), but the wrapper's builds the model.
  'bidirectional with inputShape on the wrapper and on the wrapped layer': `const model = tf.sequential({layers: [
  tf.layers.bidirectional({layer: tf.layers.gru({units: 6, inputShape: [7, 5], recurrentInitializer: 'zeros'}), inputShape: [10, 16], mergeMode: 'ave'}),
  tf.layers.dense({units: 2}),
]});`,
};

/** Runs an architecture's source with the real library. */
function build(source: string): tf.LayersModel {
  return new Function('tf', `${source}\nreturn model;`)(tf) as tf.LayersModel;
}

/** The layers that carry computation (TF.js writes an InputLayer for functional models only). */
function computeLayers(model: Model): Layer[] {
  return model.layers.filter((layer) => layer.type !== 'input');
}

/** What both front ends must agree on for one layer. */
function summary(layer: Layer): unknown {
  return {
    type: layer.type,
    fanIn: layer.fanIn,
    fanOut: layer.fanOut,
    outputSize: layer.outputSize,
    outputShape: layer.outputShape,
    activation: layer.activation.name,
  };
}

for (const [name, source] of Object.entries(ARCHITECTURES)) {
  test(`${name}: TS source and its TF.js JSON give the same layers, and TF.js builds those shapes and fans`, () => {
    const built = build(source);
    try {
      const json = JSON.stringify(built.toJSON(null, false));
      const fromSource = parseTypeScript(source, `${name}.js`).models;
      const fromJson = parseModelJson(json).models;
      assert.equal(fromSource.length, 1, 'one model in the source');
      assert.equal(fromJson.length, 1, 'one model in the JSON');
      const sourceLayers = computeLayers(fromSource[0]);
      const jsonLayers = computeLayers(fromJson[0]);
      assert.deepEqual(sourceLayers.map(summary), jsonLayers.map(summary));
      assert.deepEqual(fromSource[0].inputShape, fromJson[0].inputShape, 'model input shape');

      const builtLayers = built.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
      assert.equal(builtLayers.length, jsonLayers.length, 'layer count');
      builtLayers.forEach((builtLayer, index) => {
        const layer = jsonLayers[index];
        assert.deepEqual(layer.outputShape, (builtLayer.outputShape as (number | null)[]).slice(1), `${builtLayer.name} output shape`);
        const kernel = builtLayer.getWeights()[0];
        if (layer.kernelInitializer !== undefined && kernel !== undefined) {
          assert.deepEqual(
            [layer.fanIn, layer.fanOut],
            kernelFans(kernel.shape),
            `${builtLayer.name} kernel ${JSON.stringify(kernel.shape)}`,
          );
        }
      });
    } finally {
      built.dispose();
    }
  });
}

/**
 * The fans TF.js's own initializer uses on the real recurrent kernel: a uniform varianceScaling with scale 3 draws
 * within ±3 / sqrt(fan), so the largest |w| of the built kernel gives the fan the library computed.
 */
function libraryFan(kind: 'lstm' | 'gru', mode: 'fanIn' | 'fanOut', units: number, features: number): number {
  const initializer = tf.initializers.varianceScaling({ scale: 3, mode, distribution: 'uniform', seed: 11 });
  // A zero recurrent kernel skips the orthogonal initializer, which is slow on large matrices.
  const layer = tf.layers[kind]({ units, inputShape: [6, features], kernelInitializer: initializer, recurrentInitializer: 'zeros' });
  const model = tf.sequential({ layers: [layer] });
  try {
    const largest = tf.tidy(() => tf.max(tf.abs(layer.getWeights()[0])).dataSync()[0]);
    return 9 / (largest * largest);
  } finally {
    model.dispose();
  }
}

test("recurrent fans are the ones TF.js's initializer computes on the combined gate kernel", () => {
  const cases: { kind: 'lstm' | 'gru'; units: number; features: number; gates: number }[] = [
    { kind: 'lstm', units: 64, features: 20, gates: 4 },
    { kind: 'gru', units: 48, features: 30, gates: 3 },
  ];
  for (const { kind, units, features, gates } of cases) {
    const source = `const model = tf.sequential({layers: [tf.layers.${kind}({units: ${units}, inputShape: [6, ${features}], recurrentInitializer: 'zeros'})]});`;
    const fromSource = parseTypeScript(source, 'recurrent.js').models[0].layers[0];
    const built = build(source);
    const fromJson = parseModelJson(JSON.stringify(built.toJSON(null, false))).models[0].layers[0];
    built.dispose();
    for (const layer of [fromSource, fromJson]) {
      assert.equal(layer.fanOut, gates * units, `${kind} fanOut`);
      assert.equal(layer.fanIn, features, `${kind} fanIn`);
      // The estimate from the largest of thousands of uniform draws is within a fraction of a percent.
      assert.ok(Math.abs(libraryFan(kind, 'fanOut', units, features) - layer.fanOut) / layer.fanOut < 0.01, `${kind}: TF.js fanOut`);
      assert.ok(Math.abs(libraryFan(kind, 'fanIn', units, features) - layer.fanIn) / layer.fanIn < 0.01, `${kind}: TF.js fanIn`);
    }
  }
});
