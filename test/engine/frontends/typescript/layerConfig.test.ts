// Tests of the TS/JS front end's layer calls: initializers, activations, wrappers, property spans and insertion points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORT, parse, onlyModel, slice, syntaxErrors, insert, seq } from './support';

// ---- initializers -------------------------------------------------------------------------------------------

test('string initializer: spec, alias, spans, quote', () => {
  const code = seq(`tf.layers.dense({units: 8, inputShape: [4], kernelInitializer: "heUniform", biasInitializer: 'ones'})`);
  const layer = onlyModel(code).layers[0];
  const kernel = layer.kernelInitializer;
  assert.ok(kernel);
  assert.equal(kernel.key, 'kernelInitializer');
  assert.deepEqual(kernel.spec, { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'uniform' });
  assert.equal(kernel.explicit, true);
  assert.equal(kernel.form, 'string');
  assert.equal(kernel.quote, '"');
  assert.equal(slice(code, kernel.valueSpan), '"heUniform"');
  assert.equal(slice(code, kernel.propertySpan), 'kernelInitializer: "heUniform"');
  assert.deepEqual(layer.biasInitializer?.spec, { kind: 'ones' });
  assert.equal(layer.biasInitializer?.quote, "'");
});

test('call-form initializer keeps callee and folds its config', () => {
  const code = seq(
    'tf.layers.dense({units: 8, inputShape: [4], kernelInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.5 * 2})})',
  );
  const kernel = onlyModel(code).layers[0].kernelInitializer;
  assert.equal(kernel?.form, 'call');
  assert.equal(kernel?.callee, 'tf.initializers.');
  assert.deepEqual(kernel?.spec, { kind: 'randomNormal', mean: 0, stddev: 1 });
  assert.equal(kernel?.quote, "'");
});

test('TF.js stddev || 0.05 quirk and variance scaling objects', () => {
  const code = seq(
    'tf.layers.dense({units: 8, inputShape: [4], kernelInitializer: tf.initializers.truncatedNormal({stddev: 0})})',
    "tf.layers.dense({units: 8, kernelInitializer: {className: 'VarianceScaling', config: {scale: 2, mode: 'fanIn', distribution: 'normal'}}})",
  );
  const [first, second] = onlyModel(code).layers;
  assert.deepEqual(first.kernelInitializer?.spec, { kind: 'truncatedNormal', mean: 0, stddev: 0.05 });
  assert.equal(second.kernelInitializer?.form, 'object');
  assert.equal(second.kernelInitializer?.alias, 'heNormal');
});

test('identifier bound to a const initializer', () => {
  const code =
    `${IMPORT}const INIT = tf.initializers.leCunNormal();\nconst ZERO = 'zeros';\n` +
    'const m = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [3], kernelInitializer: INIT, biasInitializer: ZERO})]});\n';
  const layer = onlyModel(code).layers[0];
  assert.equal(layer.kernelInitializer?.alias, 'leCunNormal');
  assert.equal(layer.kernelInitializer?.form, 'call');
  assert.equal(slice(code, layer.kernelInitializer?.valueSpan), 'INIT');
  assert.deepEqual(layer.biasInitializer?.spec, { kind: 'zeros' });
});

test('absent initializers are the layer type defaults, without spans', () => {
  const model = onlyModel(
    seq(
      'tf.layers.lstm({units: 8, inputShape: [5, 3]})',
      'tf.layers.embedding({inputDim: 100, outputDim: 4})',
      'tf.layers.conv1d({filters: 2, kernelSize: 3})',
    ),
  );
  const [lstm, embedding, conv] = model.layers;
  assert.equal(lstm.kernelInitializer?.alias, 'glorotNormal');
  assert.equal(lstm.kernelInitializer?.form, 'default');
  assert.equal(lstm.kernelInitializer?.explicit, false);
  assert.equal(lstm.kernelInitializer?.valueSpan, undefined);
  assert.equal(lstm.recurrentInitializer?.alias, 'orthogonal');
  assert.deepEqual(lstm.biasInitializer?.spec, { kind: 'zeros' });
  assert.equal(embedding.kernelInitializer?.key, 'embeddingsInitializer');
  assert.equal(embedding.kernelInitializer?.alias, 'randomUniform');
  assert.equal(conv.kernelInitializer?.key, 'kernelInitializer');
});

test('depthwise initializer is the kernel of a depthwiseConv2d; useBias false drops the bias', () => {
  const code = seq("tf.layers.depthwiseConv2d({kernelSize: 3, inputShape: [8, 8, 4], depthwiseInitializer: 'heNormal', useBias: false})");
  const layer = onlyModel(code).layers[0];
  assert.equal(layer.kernelInitializer?.key, 'depthwiseInitializer');
  assert.equal(layer.kernelInitializer?.alias, 'heNormal');
  assert.equal(layer.biasInitializer, undefined);
  assert.deepEqual([layer.fanIn, layer.fanOut, layer.outputSize], [36, 9, 4]);
});

test('an unknown initializer name or a non-TF.js call is unknown', () => {
  const code = seq(
    "tf.layers.dense({units: 2, inputShape: [2], kernelInitializer: 'fancyInit'})",
    'tf.layers.dense({units: 2, kernelInitializer: myInit()})',
  );
  const [first, second] = onlyModel(code).layers;
  assert.equal(first.kernelInitializer?.spec.kind, 'unknown');
  assert.equal(first.kernelInitializer?.alias, null);
  assert.equal(second.kernelInitializer?.spec.kind, 'unknown');
  assert.equal(second.kernelInitializer?.explicit, true);
});

// ---- activations --------------------------------------------------------------------------------------------

test('own activation with span, canonical names, unknown names and defaults', () => {
  const code = seq(
    "tf.layers.dense({units: 2, inputShape: [2], activation: 'relu'})",
    "tf.layers.dense({units: 2, activation: 'mystery'})",
    'tf.layers.dense({units: 2})',
    'tf.layers.simpleRNN({units: 2})',
  );
  const [relu, mystery, plain, rnn] = onlyModel(code).layers;
  assert.deepEqual(relu.activation, { name: 'relu', explicit: true, source: 'own', valueSpan: relu.activation.valueSpan });
  assert.equal(slice(code, relu.activation.valueSpan), "'relu'");
  assert.equal(mystery.activation.name, null);
  assert.equal(mystery.activation.explicit, true);
  assert.deepEqual(plain.activation, { name: 'linear', explicit: false, source: 'default' });
  assert.equal(rnn.activation.name, 'tanh');
});

test('activation layers fold into the previous linear layer and stay in the list', () => {
  const code = seq(
    'tf.layers.dense({units: 4, inputShape: [2]})',
    "tf.layers.activation({activation: 'relu'})",
    'tf.layers.dense({units: 4})',
    'tf.layers.leakyReLU({alpha: 0.2})',
    'tf.layers.dense({units: 4})',
    'tf.layers.elu()',
    'tf.layers.dense({units: 4})',
    'tf.layers.reLU()',
    "tf.layers.dense({units: 4, activation: 'tanh'})",
    'tf.layers.softmax()',
  );
  const layers = onlyModel(code).layers;
  assert.equal(layers.length, 10);
  assert.deepEqual([layers[0].activation.name, layers[0].activation.source], ['relu', 'layer']);
  assert.deepEqual([layers[2].activation.name, layers[2].activation.alpha], ['leakyRelu', 0.2]);
  assert.deepEqual([layers[4].activation.name, layers[4].activation.alpha], ['elu', 1]);
  assert.equal(layers[6].activation.name, 'relu');
  assert.deepEqual([layers[8].activation.name, layers[8].activation.source], ['tanh', 'own'], 'an explicit non-linear activation is kept');
  assert.equal(layers[1].type, 'activation');
  assert.equal(layers[1].activation.name, 'relu');
});

test('an activation layer folds only into a weight layer whose output it alone reads', () => {
  const code = `${IMPORT}const input = tf.input({shape: [4]});
const shared = tf.layers.dense({units: 4}).apply(input);
const activated = tf.layers.reLU().apply(shared);
const sum = tf.layers.add().apply([shared, activated]);
const normed = tf.layers.batchNormalization().apply(tf.layers.dense({units: 4}).apply(sum));
const out = tf.layers.activation({activation: 'tanh'}).apply(normed);
const model = tf.model({inputs: input, outputs: out});
`;
  const layers = onlyModel(code).layers;
  const [shared, second] = layers.filter((l) => l.type === 'dense');
  const norm = layers.find((l) => l.type === 'batchNormalization');
  assert.deepEqual([shared.activation.name, shared.activation.source], ['linear', 'default'], 'the add also reads the linear output');
  assert.equal(second.activation.name, 'linear', 'batch norm sits between the dense layer and the activation');
  assert.deepEqual(
    [norm?.activation.source, layers[layers.length - 1].activation.name],
    ['default', 'tanh'],
    'the activation layer applies tanh itself',
  );
});

// ---- insertion points ---------------------------------------------------------------------------------------

const INSERTION_CASES: [string, string][] = [
  ['single line', "tf.layers.dense({units: 4, activation: 'relu'})"],
  ['single line with trailing comma', 'tf.layers.dense({ units: 4, })'],
  ['empty object', 'tf.layers.dense({})'],
  ['no argument', 'tf.layers.flatten()'],
  ['multi line', "tf.layers.dense({\n      units: 4,\n      activation: 'relu'\n    })"],
  ['multi line with trailing comma', 'tf.layers.dense({\n      units: 4,\n    })'],
];

for (const [name, layerCode] of INSERTION_CASES) {
  test(`insertion point: ${name}`, () => {
    const code = seq('tf.layers.dense({units: 4, inputShape: [4]})', layerCode);
    const layer = onlyModel(code).layers[1];
    const edited = insert(code, layer, "kernelInitializer: 'heNormal'");
    assert.deepEqual(syntaxErrors(edited), [], edited);
    const reparsed = onlyModel(edited).layers[1];
    assert.equal(reparsed.config.kernelInitializer, 'heNormal');
    assert.equal(slice(edited, reparsed.properties.kernelInitializer.propertySpan), "kernelInitializer: 'heNormal'");
    if (name.startsWith('multi line')) assert.match(edited, /\n {6}kernelInitializer: 'heNormal'/);
    if (name === 'single line') assert.match(edited, /activation: 'relu', kernelInitializer: 'heNormal'\}/);
  });
}

test('properties record key, value and property spans', () => {
  const code = seq("tf.layers.dense({units: 4, inputShape: [4], 'activation': 'relu'})");
  const layer = onlyModel(code).layers[0];
  assert.equal(slice(code, layer.properties.activation.keySpan), "'activation'");
  assert.equal(slice(code, layer.properties.activation.valueSpan), "'relu'");
  assert.equal(slice(code, layer.properties.inputShape.propertySpan), 'inputShape: [4]');
});

// ---- wrappers, stored layers, nested models -----------------------------------------------------------------

test('bidirectional and timeDistributed wrap the inner layer: its initializers, spans and merged shapes', () => {
  const code = seq(
    'tf.layers.embedding({inputDim: 50, outputDim: 8, inputLength: 10})',
    "tf.layers.bidirectional({layer: tf.layers.lstm({units: 16, returnSequences: true, kernelInitializer: 'heNormal'})})",
    'tf.layers.timeDistributed({layer: tf.layers.dense({units: 3})})',
  );
  const [, bi, td] = onlyModel(code).layers;
  assert.equal(bi.type, 'lstm');
  assert.equal(bi.wrapper, 'Bidirectional');
  assert.equal(bi.kernelInitializer?.alias, 'heNormal');
  assert.equal(slice(code, bi.span), "tf.layers.lstm({units: 16, returnSequences: true, kernelInitializer: 'heNormal'})");
  assert.deepEqual([bi.fanIn, bi.fanOut, bi.outputSize], [8, 4 * 16, 32]);
  assert.deepEqual(bi.outputShape, [10, 32]);
  assert.deepEqual(td.outputShape, [10, 3]);
  assert.equal(td.wrapper, 'TimeDistributed');
  assert.deepEqual([td.fanIn, td.fanOut, td.outputSize], [32, 3, 3]);
});

// TF.js takes the first layer's input shape from the wrapper's own config (the parity tests build these forms).
test("a wrapper's own inputShape is the wrapped layer's input: fans, shapes and the model's input shape", () => {
  const bidirectional = onlyModel(seq('tf.layers.bidirectional({layer: tf.layers.lstm({units: 32}), inputShape: [10, 16]})'));
  assert.deepEqual(bidirectional.inputShape, [10, 16]);
  const [bi] = bidirectional.layers;
  assert.equal(bi.wrapper, 'Bidirectional');
  assert.deepEqual([bi.fanIn, bi.fanOut, bi.outputSize], [16, 4 * 32, 64]);
  assert.deepEqual(bi.outputShape, [64]);
  assert.equal(bi.config.inputShape, undefined, "the IR config stays the wrapped layer's own");

  const timeDistributed = onlyModel(
    seq('tf.layers.timeDistributed({layer: tf.layers.dense({units: 8}), inputShape: [10, 16]})', 'tf.layers.flatten()'),
  );
  assert.deepEqual(timeDistributed.inputShape, [10, 16]);
  const [td, flatten] = timeDistributed.layers;
  assert.equal(td.wrapper, 'TimeDistributed');
  assert.deepEqual([td.fanIn, td.fanOut, td.outputSize], [16, 8, 8]);
  assert.deepEqual(td.outputShape, [10, 8]);
  assert.equal(flatten.outputSize, 80);
});

test("a wrapper's batchInputShape, an inputShape const and one given by shorthand reach the wrapped layer", () => {
  const [batch] = onlyModel(seq('tf.layers.timeDistributed({layer: tf.layers.dense({units: 8}), batchInputShape: [4, 10, 16]})')).layers;
  assert.deepEqual([batch.fanIn, batch.outputShape], [16, [10, 8]]);
  const code =
    `${IMPORT}const inputShape = [10, 16];\nconst steps = {inputShape};\n` +
    'const layer = tf.layers.gru({units: 8});\nconst short = tf.sequential({layers: [tf.layers.bidirectional({layer, inputShape})]});\n' +
    "const named = tf.sequential({layers: [tf.layers.bidirectional({mergeMode: 'sum', layer: tf.layers.gru({units: 8}), inputShape: steps.inputShape})]});\n";
  const [short, named] = parse(code).models;
  assert.equal(short.layers[0].type, 'gru', 'the wrapped layer given by shorthand');
  assert.deepEqual([short.layers[0].fanIn, short.layers[0].fanOut, short.layers[0].outputSize], [16, 24, 16]);
  assert.deepEqual([named.layers[0].fanIn, named.layers[0].outputSize], [16, 8], 'mergeMode sum and the shape are both read');
});

test("the wrapper's input shape wins over the wrapped layer's, and a wrapper's inputDim is not an input shape (as in TF.js)", () => {
  const [both] = onlyModel(
    seq('tf.layers.bidirectional({layer: tf.layers.lstm({units: 4, inputShape: [7, 5]}), inputShape: [10, 16]})'),
  ).layers;
  assert.equal(both.fanIn, 16);
  const [inputDim] = onlyModel(seq('tf.layers.timeDistributed({layer: tf.layers.dense({units: 8}), inputDim: 16})')).layers;
  assert.equal(inputDim.fanIn, null);
});

test("a wrapper's inputShape applies when the wrapper is called on a tensor whose shape is not known", () => {
  const code = `${IMPORT}declare const features: tf.SymbolicTensor;
const encoded = tf.layers.bidirectional({layer: tf.layers.lstm({units: 6}), inputShape: [10, 16]}).apply(features) as tf.SymbolicTensor;
const model = tf.model({inputs: features, outputs: encoded});
`;
  const lstm = onlyModel(code).layers.find((l) => l.type === 'lstm');
  assert.ok(lstm);
  assert.deepEqual([lstm.fanIn, lstm.outputSize], [16, 12]);
});
