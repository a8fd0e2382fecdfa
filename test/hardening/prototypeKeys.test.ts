// Names that are Object.prototype keys ('constructor', 'toString', '__proto__', ...) in every place a model names
// something: the engine treats them as unknown names, never as the functions every object inherits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { activationFunction } from '../../server/src/engine/catalog/activations';
import {
  activationIdOf,
  impliedActivationOf,
  initializerIdOf,
  initializerSpecOf,
  layerTypeOf,
} from '../../server/src/engine/catalog/names';
import { recurrentGateCount, defaultInitializers } from '../../server/src/engine/catalog/layerDefaults';
import { assertReadable } from '../helpers/readable';

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);

test('the catalog knows no prototype key as an activation, initializer or layer', () => {
  for (const key of PROTOTYPE_KEYS) {
    assert.equal(activationFunction(key), null, `activationFunction(${key})`);
    assert.equal(activationIdOf(key), null, `activationIdOf(${key})`);
    assert.equal(initializerIdOf(key), null, `initializerIdOf(${key})`);
    assert.equal(layerTypeOf(key), 'unknown', `layerTypeOf(${key})`);
    assert.equal(impliedActivationOf(key), null, `impliedActivationOf(${key})`);
    assert.equal(initializerSpecOf(key, {}, 'tfjs').spec.kind, 'unknown', `initializerSpecOf(${key})`);
    const scaling = initializerSpecOf('varianceScaling', { mode: key, distribution: key }, 'keras3').spec;
    assert.deepEqual(
      [scaling.kind, 'mode' in scaling && scaling.mode, 'distribution' in scaling && scaling.distribution],
      ['varianceScaling', null, null],
      key,
    );
    assert.equal(recurrentGateCount(key as never), null, `recurrentGateCount(${key})`);
    assert.equal(Object.hasOwn(defaultInitializers(key as never, 'tfjs'), key), false);
  }
});

function tsModel(key: string): string {
  return `import * as tf from '@tensorflow/tfjs';
const cfg = { units: 8 };
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [16], units: 32, activation: '${key}', kernelInitializer: '${key}' }),
    tf.layers.lstm({ units: 8, returnSequences: false, recurrentActivation: '${key}', activation: '${key}' }),
    tf.layers.dense({ units: cfg.${key} ? 4 : 4, kernelInitializer: tf.initializers.${key}({}), biasInitializer: tf.initializers.varianceScaling({ mode: '${key}', distribution: '${key}' }) }),
    tf.layers.${key}({ units: 4 }),
    tf.layers.dense({ units: Math.${key}(4) as number, activation: cfg['${key}'] }),
    tf.layers.dense({ units: 4, ...{ ${JSON.stringify(key)}: { units: 3 } } }),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ],
});
const recurrent = tf.sequential({
  layers: [tf.layers.lstm({ inputShape: [5, 3], units: 4, recurrentActivation: '${key}' }), tf.layers.dense({ units: 1 })],
});
`;
}

function kerasModel(key: string, dialect: 'keras' | 'tfjs'): string {
  const layer = (className: string, config: object) => ({ class_name: className, config });
  const layers = [
    layer('Dense', { units: 8, batch_input_shape: [null, 4], activation: key, kernel_initializer: key }),
    layer('Dense', {
      units: 8,
      kernel_initializer: { class_name: key, config: {} },
      bias_initializer: { class_name: 'VarianceScaling', config: { mode: key, distribution: key } },
    }),
    layer(key, { units: 8, activation: 'relu' }),
    layer('Activation', { activation: key }),
    layer('Dense', { units: 8, activation: { class_name: key, config: key } }),
  ];
  const text = JSON.stringify(
    dialect === 'keras'
      ? {
          class_name: 'Sequential',
          config: {
            name: 'seq',
            layers: [layer('LSTM', { units: 4, batch_input_shape: [null, 5, 3], recurrent_activation: key }), ...layers.slice(1)],
          },
          keras_version: '2.15.0',
        }
      : {
          modelTopology: { class_name: 'Sequential', config: { name: 'seq', layers } },
          format: 'layers-model',
          generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
        },
  );
  // The same key as a property name inside a layer config, as a literal (JSON.stringify would drop __proto__).
  return text.replace('"units":8,', `"units":8,${JSON.stringify(key)}:{"units":3},`);
}

test('a model that uses prototype keys as names is analysed without a crash and says nothing unreadable', () => {
  for (const key of PROTOTYPE_KEYS) {
    for (const [label, text, fileName] of [
      ['ts', tsModel(key), 'model.ts'],
      ['keras', kerasModel(key, 'keras'), 'model.json'],
      ['tfjs-json', kerasModel(key, 'tfjs'), 'model.json'],
    ] as const) {
      let result;
      try {
        result = analyze(text, fileName);
      } catch (error) {
        assert.fail(`${label} with '${key}' threw: ${(error as Error).stack}`);
      }
      assert.ok(result.models.length > 0, `${label} with '${key}': no model read`);
      assertReadable(result, text, `${label} with '${key}'`);
      for (const layer of result.models[0]!.model.layers) {
        assert.notEqual(layer.activation.name, key, `${label}: '${key}' taken as an activation`);
        assert.ok(
          Object.getPrototypeOf(layer.config) === Object.prototype || Object.getPrototypeOf(layer.config) === null,
          `${label}: config prototype replaced by '${key}'`,
        );
      }
    }
  }
});
