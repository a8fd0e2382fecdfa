// Tests of the TS/JS front end's fans and shapes: dense, conv, flatten, recurrent, embedding, batch norm, input shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onlyModel, seq } from './support';

// ---- fans ---------------------------------------------------------------------------------------------------

test('conv fans, padding and strides, flatten size', () => {
  const code = seq(
    'tf.layers.conv2d({inputShape: [28, 28, 1], filters: 8, kernelSize: 3})',
    "tf.layers.conv2d({filters: 16, kernelSize: [5, 3], strides: 2, padding: 'same'})",
    'tf.layers.maxPooling2d({poolSize: 2})',
    'tf.layers.flatten()',
    'tf.layers.dense({units: 10})',
  );
  const [c1, c2, pool, flat, dense] = onlyModel(code).layers;
  assert.deepEqual([c1.fanIn, c1.fanOut, c1.outputSize], [9, 72, 8]);
  assert.deepEqual([c2.fanIn, c2.fanOut, c2.outputSize], [15 * 8, 15 * 16, 16]);
  assert.equal(pool.outputSize, 16);
  assert.equal(flat.outputSize, 6 * 6 * 16, '28 -valid 3-> 26 -same stride 2-> 13 -pool 2-> 6');
  assert.deepEqual([dense.fanIn, dense.fanOut], [576, 10]);
});

test('flatten after an unknown spatial size gives null, not a guess', () => {
  const code = seq(
    "tf.layers.conv2d({inputShape: [null, null, 3], filters: 4, kernelSize: 3, padding: 'causal'})",
    'tf.layers.flatten()',
    'tf.layers.dense({units: 2})',
  );
  const [conv, flat, dense] = onlyModel(code).layers;
  assert.equal(conv.fanIn, 27);
  assert.equal(flat.outputSize, null);
  assert.equal(dense.fanIn, null);
});

test('LSTM, embedding and batch norm fans', () => {
  const code = seq(
    'tf.layers.embedding({inputDim: 5000, outputDim: 32, inputLength: 20})',
    'tf.layers.lstm({units: 64, returnSequences: true})',
    'tf.layers.batchNormalization()',
    'tf.layers.gru({units: 16})',
    'tf.layers.dense({units: 1})',
  );
  const model = onlyModel(code);
  const [embedding, lstm, norm, gru, dense] = model.layers;
  assert.deepEqual(model.inputShape, [20]);
  assert.deepEqual([embedding.fanIn, embedding.fanOut, embedding.outputSize], [5000, 32, 32]);
  // The library's fans are those of the combined kernel [features, gates * units]: 4 gates for LSTM, 3 for GRU.
  assert.deepEqual([lstm.fanIn, lstm.fanOut, lstm.outputSize], [32, 4 * 64, 64]);
  assert.deepEqual([norm.fanIn, norm.outputSize], [null, 64]);
  assert.deepEqual([gru.fanIn, gru.fanOut], [64, 3 * 16]);
  assert.deepEqual(
    model.layers.map((l) => l.outputShape),
    [[20, 32], [20, 64], [20, 64], [16], [1]],
  );
  assert.equal(dense.fanIn, 16);
});

test('batchInputShape and inputDim set the input size', () => {
  const a = onlyModel(seq('tf.layers.dense({units: 3, batchInputShape: [null, 7]})'));
  const b = onlyModel(seq('tf.layers.dense({units: 3, inputDim: 5})'));
  assert.equal(a.layers[0].fanIn, 7);
  assert.equal(b.layers[0].fanIn, 5);
  assert.deepEqual(b.inputShape, [5]);
});
