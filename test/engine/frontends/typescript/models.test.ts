// Tests of the TS/JS front end's models: sequential (layers list, add calls), functional (apply chains, tf.model), names, stored layers, nested models, shared layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORT, parse, onlyModel, slice, seq } from './support';

// ---- model forms --------------------------------------------------------------------------------------------

test('sequential with a layers array: ids, names, inbound, spans', () => {
  const code = seq("tf.layers.dense({units: 32, inputShape: [10], activation: 'relu', name: 'hidden'})", 'tf.layers.dense({units: 1})');
  const model = onlyModel(code);
  assert.equal(model.kind, 'sequential');
  assert.equal(model.dialect, 'tfjs');
  assert.deepEqual(model.inputShape, [10]);
  assert.ok(slice(code, model.span).startsWith('tf.sequential({'));
  assert.deepEqual(
    model.layers.map((l) => l.id),
    ['model/0', 'model/1'],
  );
  assert.deepEqual(
    model.layers.map((l) => l.name),
    ['hidden', 'dense#1'],
  );
  assert.deepEqual(
    model.layers.map((l) => l.inbound),
    [[], ['model/0']],
  );
  assert.equal(slice(code, model.layers[1].span), 'tf.layers.dense({units: 1})');
  assert.equal(slice(code, model.layers[1].configSpan), '{units: 1}');
});

test('sequential built with add calls, including inside a builder function', () => {
  const code = `${IMPORT}export function build(): tf.Sequential {
  const net = tf.sequential();
  net.add(tf.layers.dense({units: 16, inputShape: [8], activation: 'tanh'}));
  net.add(tf.layers.dense({units: 4}));
  net.compile({optimizer: 'sgd', loss: 'meanSquaredError'});
  return net;
}
`;
  const model = onlyModel(code);
  assert.equal(model.name, 'net');
  assert.equal(model.loss, 'meanSquaredError');
  assert.deepEqual(
    model.layers.map((l) => [l.fanIn, l.fanOut]),
    [
      [8, 16],
      [16, 4],
    ],
  );
  assert.equal(model.layers[0].activation.name, 'tanh');
});

test('add calls on a class property model', () => {
  const code = `${IMPORT}class Net {
  model = tf.sequential();
  constructor() {
    this.model.add(tf.layers.dense({units: 3, inputShape: [2]}));
  }
}
`;
  const model = onlyModel(code);
  assert.equal(model.name, 'model');
  assert.equal(model.layers.length, 1);
});

test('model name falls back to the config name, then model#N', () => {
  const result = parse(
    `${IMPORT}export default tf.sequential({name: 'named', layers: [tf.layers.dense({units: 1})]});\nfoo(tf.sequential());\n`,
  );
  assert.deepEqual(
    result.models.map((m) => m.name),
    ['named', 'model#2'],
  );
});

test('functional model: input, stored layer applied later, add and concatenate', () => {
  const code = `${IMPORT}const inp = tf.input({shape: [16]});
const shared = tf.layers.dense({units: 8, activation: 'relu'});
const a = shared.apply(inp) as tf.SymbolicTensor;
const b = tf.layers.dense({units: 8}).apply(a) as tf.SymbolicTensor;
const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
const joined = tf.layers.concatenate().apply([sum, inp]) as tf.SymbolicTensor;
const out = tf.layers.dense({units: 2, activation: 'softmax'}).apply(joined) as tf.SymbolicTensor;
const classifier = tf.model({inputs: inp, outputs: out});
classifier.compile({loss: 'categoricalCrossentropy', optimizer: 'adam'});
`;
  const model = onlyModel(code);
  assert.equal(model.kind, 'functional');
  assert.equal(model.name, 'classifier');
  assert.equal(model.loss, 'categoricalCrossentropy');
  assert.deepEqual(model.inputShape, [16]);
  assert.deepEqual(
    model.layers.map((l) => l.type),
    ['input', 'dense', 'dense', 'add', 'concatenate', 'dense'],
  );
  const [input, first, second, add, concat, out] = model.layers;
  assert.deepEqual(input.inbound, []);
  assert.deepEqual(first.inbound, [input.id]);
  assert.deepEqual(add.inbound, [first.id, second.id]);
  assert.deepEqual(concat.inbound, [add.id, input.id]);
  assert.equal(add.outputSize, 8);
  assert.equal(concat.outputSize, 24);
  assert.deepEqual([out.fanIn, out.fanOut], [24, 2]);
  assert.equal(slice(code, first.span), "tf.layers.dense({units: 8, activation: 'relu'})");
  assert.deepEqual(model.notes, []);
});

test('functional model with a let reassigned through a loop', () => {
  const code = `${IMPORT}const input = tf.input({shape: [4]});
let x: tf.SymbolicTensor = input;
for (let i = 0; i < 3; i++) {
  x = tf.layers.dense({units: 4 * (i + 1)}).apply(x) as tf.SymbolicTensor;
}
const m = tf.model({inputs: input, outputs: x});
`;
  const model = onlyModel(code);
  assert.deepEqual(
    model.layers.slice(1).map((l) => [l.fanIn, l.fanOut]),
    [
      [4, 4],
      [4, 8],
      [8, 12],
    ],
  );
  assert.deepEqual(
    model.layers.slice(1).map((l) => l.repeated),
    [
      { index: 0, count: 3 },
      { index: 1, count: 3 },
      { index: 2, count: 3 },
    ],
  );
});

test('functional outputs that cannot be traced give a note, not a guess', () => {
  const model = onlyModel(`${IMPORT}const m = tf.model({inputs: makeInput(), outputs: makeOutput()});\n`);
  assert.equal(model.layers.length, 0);
  assert.match(model.notes.join('\n'), /could not be traced/);
});

test('a layer stored in a const and added later, and a sequential model used as a layer', () => {
  const code = `${IMPORT}const hidden = tf.layers.dense({units: 6, inputShape: [3], activation: 'selu'});
const encoder = tf.sequential({layers: [hidden, tf.layers.dense({units: 2})]});
const full = tf.sequential();
full.add(encoder);
full.add(tf.layers.dense({units: 1}));
`;
  const [encoder, full] = parse(code).models;
  assert.equal(encoder.layers[0].activation.name, 'selu');
  assert.equal(slice(code, encoder.layers[0].span), "tf.layers.dense({units: 6, inputShape: [3], activation: 'selu'})");
  assert.equal(full.layers[0].type, 'model');
  assert.equal(full.layers[0].inner, encoder);
  assert.equal(full.layers[0].outputSize, 2);
  assert.equal(full.layers[1].fanIn, 2);
});

test('a layer applied twice (shared weights) keeps its first call and says so in a model note', () => {
  const [model] = parse(`import * as tf from '@tensorflow/tfjs';
const a = tf.input({shape: [16]});
const b = tf.input({shape: [16]});
const shared = tf.layers.dense({units: 8, activation: 'relu', name: 'encoder'});
const merged = tf.layers.concatenate().apply([shared.apply(a), shared.apply(b)]);
const model = tf.model({inputs: [a, b], outputs: tf.layers.dense({units: 1}).apply(merged)});
`).models;
  assert.equal(model.layers.filter((l) => l.type === 'dense').length, 2);
  assert.ok(
    model.notes.some((n) => n.includes("'encoder'") && n.includes('2 times')),
    JSON.stringify(model.notes),
  );
});
