// Tests of the TS/JS front end's evaluator: constants, arithmetic, Math, spreads, templates; values it cannot know are unknown, never guessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORT, onlyModel, slice } from './support';

// ---- config folding -----------------------------------------------------------------------------------------

test('const numbers, arithmetic and Math are folded', () => {
  const code = `${IMPORT}const WIDTH = 64;
const HALF = WIDTH / 2;
const m = tf.sequential({layers: [
  tf.layers.dense({units: (WIDTH + 8) * 2 - 16 % 5, inputShape: [Math.sqrt(16) * Math.pow(2, 3)]}),
  tf.layers.dense({units: -(-HALF)}),
  tf.layers.dropout({rate: 1 / 4}),
]});
`;
  const model = onlyModel(code);
  assert.equal(model.layers[0].config.units, 143);
  assert.deepEqual(model.inputShape, [32]);
  assert.equal(model.layers[1].config.units, 32);
  assert.equal(model.layers[2].config.rate, 0.25);
  assert.equal(model.layers[1].fanIn, 143);
});

test('const config objects, spreads, shorthand and template literals', () => {
  const code = `${IMPORT}const units = 12;
const base = {activation: 'relu', kernelInitializer: 'heNormal'} as const;
const lastConfig = {units: 1, name: \`out\`};
const m = tf.sequential({layers: [
  tf.layers.dense({...base, units, inputShape: [3]}),
  tf.layers.dense(lastConfig),
]});
`;
  const model = onlyModel(code);
  const [first, last] = model.layers;
  assert.equal(first.config.units, 12);
  assert.equal(first.activation.name, 'relu');
  assert.equal(first.activation.valueSpan, undefined, 'activation from a spread has no editable span');
  assert.equal(first.kernelInitializer?.alias, 'heNormal');
  assert.equal(first.kernelInitializer?.explicit, true);
  assert.equal(first.kernelInitializer?.propertySpan, undefined);
  assert.deepEqual(Object.keys(first.properties).sort(), ['inputShape', 'units']);
  assert.equal(slice(code, first.properties.units.propertySpan), 'units');
  assert.equal(last.name, 'out');
  assert.equal(last.insertion, undefined, 'a variable config has no insertion point');
  assert.equal(last.configSpan, undefined);
});

test('non-constant values are unknown with a reason, never guessed', () => {
  const code = `${IMPORT}let width = 10;
function make(n: number) {
  return tf.sequential({layers: [tf.layers.dense({units: width, inputShape: [n]}), tf.layers.dense({units: readUnits()})]});
}
`;
  const model = onlyModel(code);
  const units = model.layers[0].config.units;
  assert.deepEqual(units, { kind: 'unknown', reason: "'width' is not a const" });
  assert.deepEqual(model.layers[0].config.inputShape, [{ kind: 'unknown', reason: "'n' is a function parameter" }]);
  assert.equal(model.layers[0].fanIn, null);
  assert.equal(model.layers[0].fanOut, null);
  assert.equal((model.layers[1].config.units as { kind: string }).kind, 'unknown');
});

test('an unresolvable spread makes absent initializers unknown instead of defaults', () => {
  const model = onlyModel(`${IMPORT}const m = tf.sequential({layers: [tf.layers.dense({...getConfig(), units: 3})]});\n`);
  const layer = model.layers[0];
  assert.equal(layer.kernelInitializer?.spec.kind, 'unknown');
  assert.equal(layer.kernelInitializer?.explicit, false);
  assert.equal(layer.activation.name, null);
  assert.match(model.notes.join('\n'), /not fully known/);
});
