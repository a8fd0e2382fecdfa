// Initializers, layers and configs returned by parameterless helpers are read like written ones
// (`const big = () => tf.initializers.randomNormal({stddev: 1})` used as `kernelInitializer: big()`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';

const file = (body: string): string => `import * as tf from '@tensorflow/tfjs';\n${body}\n`;
const kernels = (text: string): string[] =>
  analyze(text, 'helper.ts').models[0]!.model.layers.map((l) => l.kernelInitializer?.spec.kind ?? '-');

test('an arrow function returning an initializer', () => {
  const text = file(`const big = () => tf.initializers.randomNormal({ stddev: 1 });
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 64, activation: 'relu', kernelInitializer: big() }), tf.layers.dense({ units: 10 })] });`);
  const result = analyze(text, 'helper.ts');
  const spec = result.models[0]!.model.layers[0]!.kernelInitializer!.spec;
  assert.deepEqual(spec, { kind: 'randomNormal', mean: 0, stddev: 1 });
  assert.ok(
    result.diagnostics.some((d) => d.ruleId === 'init-scale-mismatch'),
    'the scale problem is found through the helper',
  );
});

test('a function declaration with a block body returning an initializer', () => {
  assert.deepEqual(
    kernels(
      file(`function small() {
  const stddev = 0.01;
  return tf.initializers.truncatedNormal({ stddev });
}
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 4, kernelInitializer: small() }), tf.layers.dense({ units: 1 })] });`),
    ),
    ['truncatedNormal', 'varianceScaling'],
  );
});

test('helpers returning a layer and a config object', () => {
  assert.deepEqual(
    kernels(
      file(`const hidden = () => tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: 'zeros' });
function head() { return { units: 2, kernelInitializer: 'heNormal' }; }
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 16 }), hidden(), tf.layers.dense(head())] });`),
    ),
    ['varianceScaling', 'zeros', 'varianceScaling'],
  );
});

test('helpers with parameters or several returns stay unknown (never guessed), recursion ends', () => {
  const text = file(`const scaled = (s) => tf.initializers.randomNormal({ stddev: s });
function pick() { if (Math.random() > 0.5) return 'zeros'; return 'ones'; }
const loop = () => loop();
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 4, kernelInitializer: scaled(1) }), tf.layers.dense({ units: 4, kernelInitializer: pick() }), tf.layers.dense({ units: 1, kernelInitializer: loop() }), loop()] });`);
  // The last entry is the layer the list holds at the place of loop(): not read, so no kernel.
  assert.deepEqual(kernels(text), ['unknown', 'unknown', 'unknown', '-']);
});
