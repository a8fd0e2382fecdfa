// Invalid numbers in a config are configuration errors (invalid-config) and never reach the mean-field arithmetic:
// no rule message, note or predicted signal holds NaN, Infinity, undefined or a negative variance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { assertReadable } from '../helpers/readable';

const BAD_NUMBERS = ['-3', '0', '2.5', '1e308', '-1e308', 'NaN', 'Infinity', '-Infinity'];

function tsModel(value: string): string {
  return `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [16], units: ${value}, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev: ${value}, mean: ${value} }) }),
    tf.layers.dropout({ rate: ${value} }),
    tf.layers.lstm({ units: ${value}, recurrentInitializer: tf.initializers.randomUniform({ minval: ${value}, maxval: ${value} }), returnSequences: false }),
    tf.layers.dense({ units: 8, activation: 'tanh', kernelInitializer: tf.initializers.varianceScaling({ scale: ${value} }) }),
    tf.layers.leakyReLU({ alpha: ${value} }),
    tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.constant({ value: ${value} }), biasInitializer: tf.initializers.orthogonal({ gain: ${value} }) }),
  ],
});
`;
}

function kerasModel(value: string): string {
  const number = value;
  return `{"class_name": "Sequential", "config": {"name": "m", "layers": [
  {"class_name": "Conv2D", "config": {"name": "c", "filters": ${number}, "kernel_size": [3, ${number}], "strides": ${number}, "batch_input_shape": [null, 28, 28, 1], "kernel_initializer": {"class_name": "RandomNormal", "config": {"stddev": ${number}}}}},
  {"class_name": "Flatten", "config": {"name": "f"}},
  {"class_name": "Dropout", "config": {"name": "d", "rate": ${number}}},
  {"class_name": "Dense", "config": {"name": "out", "units": ${number}, "kernel_initializer": "zeros"}}
]}, "keras_version": "2.15.0"}`;
}

for (const value of BAD_NUMBERS) {
  test(`config values ${value}: readable messages, finite signals`, () => {
    for (const [text, fileName] of [
      [tsModel(value), 'model.ts'],
      [kerasModel(value), 'model.json'],
    ] as const) {
      const result = analyze(text, fileName);
      assert.ok(result.models.length > 0, `${fileName} with ${value}: a model`);
      assertReadable(result, text, `${fileName} with ${value}`);
      for (const { signal } of result.models) {
        for (const layer of signal.layers) {
          for (const [name, number] of Object.entries(layer)) {
            if (typeof number === 'number' && !Number.isNaN(number))
              assert.ok(
                Number.isFinite(number) && (name === 'forwardGain' || number >= 0 || name === 'relativeGradientNorm'),
                `${fileName} with ${value}: ${layer.layerId}.${name} = ${number}`,
              );
          }
        }
      }
      // NaN and Infinity are not JSON: the JSON reader reports the malformed value and reads the rest without it.
      if (fileName.endsWith('.ts') || !/NaN|Infinity/.test(value)) {
        assert.ok(
          result.diagnostics.some((d) => d.ruleId === 'invalid-config' && d.severity === 'error'),
          `${fileName} with ${value}: invalid-config reported (${result.diagnostics.map((d) => `${d.ruleId}: ${d.message}`).join(' | ')})`,
        );
      }
    }
  });
}

test('a zero or vanishing scale and a huge valid recurrent gain are said without infinity', () => {
  const text = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [32], units: 128, activation: 'relu', kernelInitializer: tf.initializers.truncatedNormal({ stddev: 1e-320 }) }),
    tf.layers.gru({ units: 10000000, recurrentInitializer: tf.initializers.randomNormal({ stddev: 1 }) }),
    tf.layers.dense({ units: 2 }),
  ],
});
`;
  const result = analyze(text, 'tiny.ts');
  assertReadable(result, text, 'tiny scale');
  assert.ok(
    result.diagnostics.some((d) => d.ruleId === 'init-scale-mismatch' && /more than 1e308x too small/.test(d.message)),
    result.diagnostics.map((d) => d.message).join('\n'),
  );
  assert.ok(
    result.diagnostics.some((d) => d.ruleId === 'recurrent-init' && /becomes more than 1e308/.test(d.message)),
    result.diagnostics.map((d) => d.message).join('\n'),
  );
});
