// Tests of the TS/JS front end's loops: for, for-of, forEach/map and Array.from unrolled when their bounds are known, read once and noted when not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORT, onlyModel, seq } from './support';

// ---- loops --------------------------------------------------------------------------------------------------

test('for loop with constant bounds is unrolled (<, <=, +=)', () => {
  const code = `${IMPORT}const DEPTH = 3;
const m = tf.sequential();
m.add(tf.layers.dense({units: 8, inputShape: [8]}));
for (let i = 0; i < DEPTH; i++) m.add(tf.layers.dense({units: 8, activation: 'tanh'}));
for (let j = 2; j <= 6; j += 2) { m.add(tf.layers.dense({units: j})); }
`;
  const model = onlyModel(code);
  assert.equal(model.layers.length, 7);
  assert.deepEqual(
    model.layers.slice(1, 4).map((l) => l.repeated),
    [0, 1, 2].map((index) => ({ index, count: 3 })),
  );
  assert.deepEqual(
    model.layers.slice(4).map((l) => l.config.units),
    [2, 4, 6],
  );
  assert.equal(model.layers[0].repeated, undefined);
  assert.deepEqual(model.notes, []);
});

test('for loop with an unknown bound: body once, repeated with count null, and a model note', () => {
  const code = `${IMPORT}export function build(depth: number) {
  const m = tf.sequential();
  for (let i = 0; i < depth; i++) {
    m.add(tf.layers.dense({units: 16, activation: 'relu'}));
  }
  return m;
}
`;
  const model = onlyModel(code);
  assert.equal(model.layers.length, 1);
  assert.equal(model.layers[0].repeated?.count, null);
  assert.equal(model.layers[0].repeated?.index, 0);
  assert.deepEqual(model.notes, ["loop bound 'depth' unknown: layers treated as repeated"]);
});

test('map over a constant array spread into the layers array', () => {
  const code = seq(
    'tf.layers.dense({units: 4, inputShape: [4]})',
    "...[64, 64, 32].map((u) => tf.layers.dense({units: u, activation: 'relu'}))",
    'tf.layers.dense({units: 1})',
  );
  const model = onlyModel(code);
  assert.deepEqual(
    model.layers.map((l) => l.config.units),
    [4, 64, 64, 32, 1],
  );
  assert.deepEqual(model.layers[3].repeated, { index: 2, count: 3 });
  assert.deepEqual(
    model.layers.map((l) => l.fanIn),
    [4, 4, 64, 64, 32],
  );
});

test('forEach and for-of over constant arrays, with index parameter', () => {
  const code = `${IMPORT}const SIZES = [16, 8];
const m = tf.sequential();
m.add(tf.layers.dense({units: 32, inputShape: [2]}));
SIZES.forEach((size, k) => m.add(tf.layers.dense({units: size + k})));
for (const {units, act} of [{units: 4, act: 'elu'}]) m.add(tf.layers.dense({units, activation: act}));
`;
  const model = onlyModel(code);
  assert.deepEqual(
    model.layers.map((l) => l.config.units),
    [32, 16, 9, 4],
  );
  assert.equal(model.layers[3].activation.name, 'elu');
  assert.deepEqual(model.layers[2].repeated, { index: 1, count: 2 });
});

test('map over an unknown array is read once and said so', () => {
  const model = onlyModel(
    `${IMPORT}function f(sizes: number[]) {\n  return tf.sequential({layers: [...sizes.map((u) => tf.layers.dense({units: u}))]});\n}\n`,
  );
  assert.equal(model.layers.length, 1);
  assert.equal(model.layers[0].repeated?.count, null);
  assert.match(model.notes.join('\n'), /array 'sizes' unknown: layers treated as repeated/);
});

test('nested constant loops multiply counts', () => {
  const code = `${IMPORT}const m = tf.sequential();
for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) m.add(tf.layers.dense({units: 10 * a + b}));
`;
  const model = onlyModel(code);
  assert.deepEqual(
    model.layers.map((l) => l.config.units),
    [0, 1, 2, 10, 11, 12],
  );
  assert.deepEqual(model.layers[4].repeated, { index: 4, count: 6 });
});

test('Array.from({length: n}, ...) in a layers array and forEach over Array.from are unrolled', () => {
  const code = `${IMPORT}const N = 2;
const m = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [4]}), ...Array.from({length: N}, (_, i) => tf.layers.dense({units: 8 * (i + 1)}))]});
Array.from({length: 3}).forEach(() => m.add(tf.layers.dense({units: 5})));
`;
  const model = onlyModel(code);
  assert.deepEqual(
    model.layers.map((l) => l.config.units),
    [4, 8, 16, 5, 5, 5],
  );
  assert.deepEqual(model.layers[2].repeated, { index: 1, count: 2 });
  assert.deepEqual(model.notes, []);
});
