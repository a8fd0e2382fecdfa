// Tests of the TS/JS front end's helper calls: helpers handed a model, tensor or layer are followed with their arguments bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORT, parse } from './support';

test('helpers handed a model or a tensor are followed with their arguments bound', () => {
  const code = `${IMPORT}function addBlock(m: tf.Sequential, units: number, act = 'relu') {
  m.add(tf.layers.dense({units, activation: act}));
  m.add(tf.layers.batchNormalization());
}
const residual = (x: tf.SymbolicTensor, width: number): tf.SymbolicTensor => {
  const h = tf.layers.dense({units: width, activation: 'relu'}).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, h]) as tf.SymbolicTensor;
};
const model = tf.sequential();
model.add(tf.layers.dense({units: 8, inputShape: [8]}));
addBlock(model, 64);
addBlock(model, 32, 'tanh');
const input = tf.input({shape: [16]});
const y = residual(residual(input, 16), 16);
const net = tf.model({inputs: input, outputs: y});
`;
  const [sequential, functional] = parse(code).models;
  assert.deepEqual(
    sequential.layers.map((l) => [l.type, l.config.units ?? null, l.activation.name]),
    [
      ['dense', 8, 'linear'],
      ['dense', 64, 'relu'],
      ['batchNormalization', null, 'linear'],
      ['dense', 32, 'tanh'],
      ['batchNormalization', null, 'linear'],
    ],
  );
  assert.deepEqual(
    sequential.layers.map((l) => l.fanIn),
    [8, 8, null, 64, null],
  );
  assert.equal(functional.name, 'net');
  assert.deepEqual(
    functional.layers.map((l) => l.type),
    ['input', 'dense', 'add', 'dense', 'add'],
  );
  assert.deepEqual(functional.layers[4].inbound, [functional.layers[2].id, functional.layers[3].id]);
  assert.deepEqual(functional.notes, []);
});

test('a model built in a helper handed a tensor is read once, with the bound arguments', () => {
  const code = `${IMPORT}function head(features: tf.SymbolicTensor, classes: number) {
  const out = tf.layers.dense({units: classes}).apply(features) as tf.SymbolicTensor;
  return tf.model({inputs: features, outputs: out});
}
const inp = tf.input({shape: [12]});
const classifier = head(inp, 3);
`;
  const models = parse(code).models;
  assert.equal(models.length, 1);
  assert.equal(models[0].name, 'classifier');
  assert.deepEqual(
    models[0].layers.map((l) => [l.type, l.fanIn, l.fanOut]),
    [
      ['input', null, null],
      ['dense', 12, 3],
    ],
  );
});

test("a return inside a callback of a followed helper is the callback's, not the helper's", () => {
  const { models } = parse(`import * as tf from '@tensorflow/tfjs';
function block(x) {
  [0].forEach(() => { return x; });
  const h = tf.layers.dense({units: 8, activation: 'relu'}).apply(x);
  return tf.layers.dense({units: 2}).apply(h);
}
const input = tf.input({shape: [4]});
const model = tf.model({inputs: input, outputs: block(input)});
`);
  const model = models.find((m) => m.kind === 'functional')!;
  assert.deepEqual(
    model.layers.map((l) => l.type),
    ['input', 'dense', 'dense'],
    JSON.stringify(model.layers.map((l) => l.type)),
  );
});
