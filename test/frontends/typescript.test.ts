// Tests of the TS/JS front end: imports, model forms, config folding, loops, conditions, initializers, activations, fans, spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { parseTypeScript } from '../../server/src/engine/frontends/ts';
import { analyze } from '../../server/src/engine/analyze';
import { IncrementalParser } from '../../server/src/engine/incremental';
import type { Layer, Model, ParseResult, Span } from '../../server/src/engine/ir';

const IMPORT = "import * as tf from '@tensorflow/tfjs';\n";

function parse(code: string, fileName = 'model.ts'): ParseResult {
  return parseTypeScript(code, fileName);
}

function onlyModel(code: string, fileName = 'model.ts'): Model {
  const result = parse(code, fileName);
  assert.equal(result.models.length, 1, `expected one model, got ${result.models.map((m) => m.name).join(', ')}`);
  return result.models[0];
}

function slice(code: string, span: Span | undefined): string {
  assert.ok(span, 'span missing');
  return code.slice(span.start, span.end);
}

function syntaxErrors(code: string): string[] {
  const file = ts.createSourceFile('check.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

function insert(code: string, layer: Layer, property: string): string {
  assert.ok(layer.insertion, 'insertion point missing');
  const { offset, before, after } = layer.insertion;
  return code.slice(0, offset) + before + property + after + code.slice(offset);
}

const seq = (...layers: string[]) => `${IMPORT}const model = tf.sequential({\n  layers: [\n${layers.map((l) => `    ${l},`).join('\n')}\n  ],\n});\n`;

// ---- imports ---------------------------------------------------------------------------------------------------

const IMPORT_FORMS: [string, string, string][] = [
  ['namespace import', "import * as tf from '@tensorflow/tfjs';", 'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})'],
  ['default import of tfjs-node', "import tf from '@tensorflow/tfjs-node';", 'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})'],
  ['named imports with renames', "import {layers as L, sequential as seq} from '@tensorflow/tfjs-node-gpu';", 'seq({layers: [L.dense({units: 4, inputShape: [2]})]})'],
  ['require', "const tf = require('@tensorflow/tfjs');", 'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})'],
  ['destructured require', "const {layers, sequential} = require('@tensorflow/tfjs-layers');", 'sequential({layers: [layers.dense({units: 4, inputShape: [2]})]})'],
  ['const {layers} = tf', "import * as tf from '@tensorflow/tfjs';\nconst {layers} = tf;", 'tf.sequential({layers: [layers.dense({units: 4, inputShape: [2]})]})'],
  ['const {dense} = tf.layers', "import * as tf from '@tensorflow/tfjs';\nconst {dense: fc} = tf.layers;", 'tf.sequential({layers: [fc({units: 4, inputShape: [2]})]})'],
  ['import tf = require', "import tf = require('@tensorflow/tfjs');", 'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})'],
  ['no import at all (half-typed file)', '', 'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})'],
];

for (const [name, header, body] of IMPORT_FORMS) {
  test(`import form: ${name}`, () => {
    const model = onlyModel(`${header}\nconst net = ${body};\n`);
    assert.equal(model.name, 'net');
    assert.equal(model.layers.length, 1);
    assert.equal(model.layers[0].type, 'dense');
    assert.equal(model.layers[0].fanIn, 2);
    assert.equal(model.layers[0].fanOut, 4);
  });
}

test('a non-TF.js module with the same API shape is ignored', () => {
  const result = parse("import * as tf from 'some-other-lib';\nconst m = tf.sequential({layers: [tf.layers.dense({units: 4})]});\n");
  assert.equal(result.models.length, 0);
});

test('renamed initializers import is recognised in call form', () => {
  const code = "import {layers, sequential, initializers as init} from '@tensorflow/tfjs';\n"
    + 'const m = sequential({layers: [layers.dense({units: 8, inputShape: [4], kernelInitializer: init.heNormal({seed: 1})})]});\n';
  const kernel = onlyModel(code).layers[0].kernelInitializer;
  assert.equal(kernel?.form, 'call');
  assert.equal(kernel?.alias, 'heNormal');
  assert.equal(kernel?.callee, 'init.');
  assert.equal(slice(code, kernel?.valueSpan), 'init.heNormal({seed: 1})');
});

// ---- model forms --------------------------------------------------------------------------------------------

test('sequential with a layers array: ids, names, inbound, spans', () => {
  const code = seq("tf.layers.dense({units: 32, inputShape: [10], activation: 'relu', name: 'hidden'})", 'tf.layers.dense({units: 1})');
  const model = onlyModel(code);
  assert.equal(model.kind, 'sequential');
  assert.equal(model.dialect, 'tfjs');
  assert.deepEqual(model.inputShape, [10]);
  assert.ok(slice(code, model.span).startsWith('tf.sequential({'));
  assert.deepEqual(model.layers.map((l) => l.id), ['model/0', 'model/1']);
  assert.deepEqual(model.layers.map((l) => l.name), ['hidden', 'dense#1']);
  assert.deepEqual(model.layers.map((l) => l.inbound), [[], ['model/0']]);
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
  assert.deepEqual(model.layers.map((l) => [l.fanIn, l.fanOut]), [[8, 16], [16, 4]]);
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
  const result = parse(`${IMPORT}export default tf.sequential({name: 'named', layers: [tf.layers.dense({units: 1})]});\nfoo(tf.sequential());\n`);
  assert.deepEqual(result.models.map((m) => m.name), ['named', 'model#2']);
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
  assert.deepEqual(model.layers.map((l) => l.type), ['input', 'dense', 'dense', 'add', 'concatenate', 'dense']);
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
  assert.deepEqual(model.layers.slice(1).map((l) => [l.fanIn, l.fanOut]), [[4, 4], [4, 8], [8, 12]]);
  assert.deepEqual(model.layers.slice(1).map((l) => l.repeated), [{ index: 0, count: 3 }, { index: 1, count: 3 }, { index: 2, count: 3 }]);
});

test('functional outputs that cannot be traced give a note, not a guess', () => {
  const model = onlyModel(`${IMPORT}const m = tf.model({inputs: makeInput(), outputs: makeOutput()});\n`);
  assert.equal(model.layers.length, 0);
  assert.match(model.notes.join('\n'), /could not be traced/);
});

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
  assert.deepEqual(model.layers.slice(1, 4).map((l) => l.repeated), [0, 1, 2].map((index) => ({ index, count: 3 })));
  assert.deepEqual(model.layers.slice(4).map((l) => l.config.units), [2, 4, 6]);
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
  const code = seq('tf.layers.dense({units: 4, inputShape: [4]})', "...[64, 64, 32].map((u) => tf.layers.dense({units: u, activation: 'relu'}))", 'tf.layers.dense({units: 1})');
  const model = onlyModel(code);
  assert.deepEqual(model.layers.map((l) => l.config.units), [4, 64, 64, 32, 1]);
  assert.deepEqual(model.layers[3].repeated, { index: 2, count: 3 });
  assert.deepEqual(model.layers.map((l) => l.fanIn), [4, 4, 64, 64, 32]);
});

test('forEach and for-of over constant arrays, with index parameter', () => {
  const code = `${IMPORT}const SIZES = [16, 8];
const m = tf.sequential();
m.add(tf.layers.dense({units: 32, inputShape: [2]}));
SIZES.forEach((size, k) => m.add(tf.layers.dense({units: size + k})));
for (const {units, act} of [{units: 4, act: 'elu'}]) m.add(tf.layers.dense({units, activation: act}));
`;
  const model = onlyModel(code);
  assert.deepEqual(model.layers.map((l) => l.config.units), [32, 16, 9, 4]);
  assert.equal(model.layers[3].activation.name, 'elu');
  assert.deepEqual(model.layers[2].repeated, { index: 1, count: 2 });
});

test('map over an unknown array is read once and said so', () => {
  const model = onlyModel(`${IMPORT}function f(sizes: number[]) {\n  return tf.sequential({layers: [...sizes.map((u) => tf.layers.dense({units: u}))]});\n}\n`);
  assert.equal(model.layers.length, 1);
  assert.equal(model.layers[0].repeated?.count, null);
  assert.match(model.notes.join('\n'), /array 'sizes' unknown: layers treated as repeated/);
});

test('nested constant loops multiply counts', () => {
  const code = `${IMPORT}const m = tf.sequential();
for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) m.add(tf.layers.dense({units: 10 * a + b}));
`;
  const model = onlyModel(code);
  assert.deepEqual(model.layers.map((l) => l.config.units), [0, 1, 2, 10, 11, 12]);
  assert.deepEqual(model.layers[4].repeated, { index: 4, count: 6 });
});

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
  const code = seq('tf.layers.dense({units: 8, inputShape: [4], kernelInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.5 * 2})})');
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
  const code = `${IMPORT}const INIT = tf.initializers.leCunNormal();\nconst ZERO = 'zeros';\n`
    + 'const m = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [3], kernelInitializer: INIT, biasInitializer: ZERO})]});\n';
  const layer = onlyModel(code).layers[0];
  assert.equal(layer.kernelInitializer?.alias, 'leCunNormal');
  assert.equal(layer.kernelInitializer?.form, 'call');
  assert.equal(slice(code, layer.kernelInitializer?.valueSpan), 'INIT');
  assert.deepEqual(layer.biasInitializer?.spec, { kind: 'zeros' });
});

test('absent initializers are the layer type defaults, without spans', () => {
  const model = onlyModel(seq('tf.layers.lstm({units: 8, inputShape: [5, 3]})', 'tf.layers.embedding({inputDim: 100, outputDim: 4})', 'tf.layers.conv1d({filters: 2, kernelSize: 3})'));
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
  const code = seq("tf.layers.dense({units: 2, inputShape: [2], kernelInitializer: 'fancyInit'})", 'tf.layers.dense({units: 2, kernelInitializer: myInit()})');
  const [first, second] = onlyModel(code).layers;
  assert.equal(first.kernelInitializer?.spec.kind, 'unknown');
  assert.equal(first.kernelInitializer?.alias, null);
  assert.equal(second.kernelInitializer?.spec.kind, 'unknown');
  assert.equal(second.kernelInitializer?.explicit, true);
});

// ---- activations --------------------------------------------------------------------------------------------

test('own activation with span, canonical names, unknown names and defaults', () => {
  const code = seq("tf.layers.dense({units: 2, inputShape: [2], activation: 'relu'})", "tf.layers.dense({units: 2, activation: 'mystery'})",
    'tf.layers.dense({units: 2})', 'tf.layers.simpleRNN({units: 2})');
  const [relu, mystery, plain, rnn] = onlyModel(code).layers;
  assert.deepEqual(relu.activation, { name: 'relu', explicit: true, source: 'own', valueSpan: relu.activation.valueSpan });
  assert.equal(slice(code, relu.activation.valueSpan), "'relu'");
  assert.equal(mystery.activation.name, null);
  assert.equal(mystery.activation.explicit, true);
  assert.deepEqual(plain.activation, { name: 'linear', explicit: false, source: 'default' });
  assert.equal(rnn.activation.name, 'tanh');
});

test('activation layers fold into the previous linear layer and stay in the list', () => {
  const code = seq('tf.layers.dense({units: 4, inputShape: [2]})', "tf.layers.activation({activation: 'relu'})",
    'tf.layers.dense({units: 4})', 'tf.layers.leakyReLU({alpha: 0.2})',
    'tf.layers.dense({units: 4})', 'tf.layers.elu()',
    'tf.layers.dense({units: 4})', 'tf.layers.reLU()',
    "tf.layers.dense({units: 4, activation: 'tanh'})", 'tf.layers.softmax()');
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
  assert.deepEqual([norm?.activation.source, layers[layers.length - 1].activation.name], ['default', 'tanh'], 'the activation layer applies tanh itself');
});

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
  const code = seq("tf.layers.conv2d({inputShape: [null, null, 3], filters: 4, kernelSize: 3, padding: 'causal'})", 'tf.layers.flatten()', 'tf.layers.dense({units: 2})');
  const [conv, flat, dense] = onlyModel(code).layers;
  assert.equal(conv.fanIn, 27);
  assert.equal(flat.outputSize, null);
  assert.equal(dense.fanIn, null);
});

test('LSTM, embedding and batch norm fans', () => {
  const code = seq('tf.layers.embedding({inputDim: 5000, outputDim: 32, inputLength: 20})', 'tf.layers.lstm({units: 64, returnSequences: true})',
    'tf.layers.batchNormalization()', 'tf.layers.gru({units: 16})', 'tf.layers.dense({units: 1})');
  const model = onlyModel(code);
  const [embedding, lstm, norm, gru, dense] = model.layers;
  assert.deepEqual(model.inputShape, [20]);
  assert.deepEqual([embedding.fanIn, embedding.fanOut, embedding.outputSize], [5000, 32, 32]);
  // The library's fans are those of the combined kernel [features, gates * units]: 4 gates for LSTM, 3 for GRU.
  assert.deepEqual([lstm.fanIn, lstm.fanOut, lstm.outputSize], [32, 4 * 64, 64]);
  assert.deepEqual([norm.fanIn, norm.outputSize], [null, 64]);
  assert.deepEqual([gru.fanIn, gru.fanOut], [64, 3 * 16]);
  assert.deepEqual(model.layers.map((l) => l.outputShape), [[20, 32], [20, 64], [20, 64], [16], [1]]);
  assert.equal(dense.fanIn, 16);
});

test('batchInputShape and inputDim set the input size', () => {
  const a = onlyModel(seq('tf.layers.dense({units: 3, batchInputShape: [null, 7]})'));
  const b = onlyModel(seq('tf.layers.dense({units: 3, inputDim: 5})'));
  assert.equal(a.layers[0].fanIn, 7);
  assert.equal(b.layers[0].fanIn, 5);
  assert.deepEqual(b.inputShape, [5]);
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

// ---- suppressions and syntax errors -------------------------------------------------------------------------

test('suppression comments map to the lines they silence', () => {
  const code = `${IMPORT}// model-lint-disable-next-line glorot-with-relu, symmetric-init
const a = 1;
const b = 2; // model-lint-disable-line
/* model-lint-disable-next-line he-with-saturating -- on purpose */
const c = 3;
`;
  const { suppressions } = parse(code);
  assert.deepEqual([...(suppressions.get(2) ?? [])], ['glorot-with-relu', 'symmetric-init']);
  assert.deepEqual([...(suppressions.get(3) ?? [])], ['*']);
  assert.deepEqual([...(suppressions.get(5) ?? [])], ['he-with-saturating']);
  assert.equal(suppressions.size, 3);
});

test('syntax errors become notes with spans, and models are still read', () => {
  const code = `${IMPORT}const m = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]}), tf.layers.dense({units: })]});\n`;
  const result = parse(code);
  assert.ok(result.notes.length >= 1);
  assert.ok(result.notes.every((note) => note.message.startsWith('Syntax error') && note.span !== undefined));
  assert.equal(result.models.length, 1);
  assert.equal(result.models[0].layers[0].fanOut, 4);
});

test('JavaScript and JSX file names parse', () => {
  assert.equal(parse("const tf = require('@tensorflow/tfjs');\nconst m = tf.sequential();\nm.add(tf.layers.dense({units: 1, inputShape: [1]}));\n", 'model.cjs').models[0].layers.length, 1);
  assert.equal(parse(`${IMPORT}const el = <div>{String(tf.sequential())}</div>;\n`, 'view.tsx').models.length, 1);
});

// ---- half-typed code ----------------------------------------------------------------------------------------

const REALISTIC_FILES = [
  `${IMPORT}const HIDDEN = [128, 64];
const base = {activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 7})};
// model-lint-disable-next-line symmetric-init
export const model = tf.sequential({
  layers: [
    tf.layers.dense({inputShape: [784], units: 256, ...base}),
    ...HIDDEN.map((units, i) => tf.layers.dense({units, name: \`hidden\${i}\`, ...base})),
    tf.layers.dropout({rate: 0.2}),
    tf.layers.dense({units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform'}),
  ],
});
model.compile({optimizer: 'adam', loss: 'categoricalCrossentropy'});
`,
  `${IMPORT}export function buildResNet(blocks: number): tf.LayersModel {
  const input = tf.input({shape: [32, 32, 3]});
  let x = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same'}).apply(input) as tf.SymbolicTensor;
  for (let b = 0; b < blocks; b++) {
    const h = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: 'heNormal'}).apply(x) as tf.SymbolicTensor;
    const n = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
    x = tf.layers.add().apply([x, tf.layers.reLU().apply(n) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x);
  const out = tf.layers.dense({units: 10, activation: 'softmax'}).apply(pooled) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: out});
}
`,
  `const tf = require('@tensorflow/tfjs-node');
const m = tf.sequential();
m.add(tf.layers.embedding({inputDim: 1000, outputDim: 16, inputLength: 50}));
for (let i = 0; i <= 2; i += 1) {
  m.add(tf.layers.lstm({units: 32, returnSequences: i < 2, recurrentInitializer: 'glorotUniform'}));
}
m.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
`,
];

test('every prefix of realistic files (step 7) parses without an exception', () => {
  let prefixes = 0;
  for (const file of REALISTIC_FILES) {
    for (let end = 0; end <= file.length; end += 7) {
      const text = file.slice(0, end);
      const result = parse(text, 'typing.ts');
      assert.ok(Array.isArray(result.models));
      assert.ok(result.notes.every((note) => !note.message.startsWith('model-lint could not finish')), `internal error at prefix ${end}`);
      prefixes++;
    }
  }
  assert.ok(prefixes > 200);
});

test('the realistic files read completely', () => {
  const [mlp, resnet, lstm] = REALISTIC_FILES.map((file) => onlyModel(file));
  assert.deepEqual(mlp.layers.map((l) => l.config.units ?? null), [256, 128, 64, null, 10]);
  assert.deepEqual(mlp.layers.map((l) => l.name), ['dense#0', 'hidden0', 'hidden1', 'dropout#3', 'dense#4']);
  assert.equal(mlp.layers[1].kernelInitializer?.alias, 'heNormal');
  assert.equal(mlp.layers[1].fanIn, 256);
  assert.equal(resnet.name, 'model#1');
  assert.deepEqual(resnet.notes, ["loop bound 'blocks' unknown: layers treated as repeated"]);
  const add = resnet.layers.find((l) => l.type === 'add');
  assert.ok(add);
  assert.equal(add.inbound.length, 2);
  assert.deepEqual(lstm.layers.map((l) => l.type), ['embedding', 'lstm', 'lstm', 'lstm', 'dense']);
  assert.deepEqual(lstm.layers.map((l) => l.fanIn), [1000, 16, 32, 32, 32]);
  assert.equal(lstm.layers[1].recurrentInitializer?.alias, 'glorotUniform');
});

// ---- wrappers, stored layers, nested models -----------------------------------------------------------------

test('bidirectional and timeDistributed wrap the inner layer: its initializers, spans and merged shapes', () => {
  const code = seq('tf.layers.embedding({inputDim: 50, outputDim: 8, inputLength: 10})',
    "tf.layers.bidirectional({layer: tf.layers.lstm({units: 16, returnSequences: true, kernelInitializer: 'heNormal'})})",
    'tf.layers.timeDistributed({layer: tf.layers.dense({units: 3})})');
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

  const timeDistributed = onlyModel(seq('tf.layers.timeDistributed({layer: tf.layers.dense({units: 8}), inputShape: [10, 16]})', 'tf.layers.flatten()'));
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
  const code = `${IMPORT}const inputShape = [10, 16];\nconst steps = {inputShape};\n`
    + 'const layer = tf.layers.gru({units: 8});\nconst short = tf.sequential({layers: [tf.layers.bidirectional({layer, inputShape})]});\n'
    + "const named = tf.sequential({layers: [tf.layers.bidirectional({mergeMode: 'sum', layer: tf.layers.gru({units: 8}), inputShape: steps.inputShape})]});\n";
  const [short, named] = parse(code).models;
  assert.equal(short.layers[0].type, 'gru', 'the wrapped layer given by shorthand');
  assert.deepEqual([short.layers[0].fanIn, short.layers[0].fanOut, short.layers[0].outputSize], [16, 24, 16]);
  assert.deepEqual([named.layers[0].fanIn, named.layers[0].outputSize], [16, 8], 'mergeMode sum and the shape are both read');
});

test("the wrapper's input shape wins over the wrapped layer's, and a wrapper's inputDim is not an input shape (as in TF.js)", () => {
  const [both] = onlyModel(seq('tf.layers.bidirectional({layer: tf.layers.lstm({units: 4, inputShape: [7, 5]}), inputShape: [10, 16]})')).layers;
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

test('a parameter with the same name as a model variable is not that model', () => {
  const code = `${IMPORT}const model = tf.sequential();
model.add(tf.layers.dense({units: 2, inputShape: [2]}));
function addHead(model: tf.Sequential) {
  model.add(tf.layers.dense({units: 1}));
}
`;
  assert.equal(onlyModel(code).layers.length, 1);
});

test('Array.from({length: n}, ...) in a layers array and forEach over Array.from are unrolled', () => {
  const code = `${IMPORT}const N = 2;
const m = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [4]}), ...Array.from({length: N}, (_, i) => tf.layers.dense({units: 8 * (i + 1)}))]});
Array.from({length: 3}).forEach(() => m.add(tf.layers.dense({units: 5})));
`;
  const model = onlyModel(code);
  assert.deepEqual(model.layers.map((l) => l.config.units), [4, 8, 16, 5, 5, 5]);
  assert.deepEqual(model.layers[2].repeated, { index: 1, count: 2 });
  assert.deepEqual(model.notes, []);
});

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
  assert.deepEqual(sequential.layers.map((l) => [l.type, l.config.units ?? null, l.activation.name]), [
    ['dense', 8, 'linear'], ['dense', 64, 'relu'], ['batchNormalization', null, 'linear'], ['dense', 32, 'tanh'], ['batchNormalization', null, 'linear'],
  ]);
  assert.deepEqual(sequential.layers.map((l) => l.fanIn), [8, 8, null, 64, null]);
  assert.equal(functional.name, 'net');
  assert.deepEqual(functional.layers.map((l) => l.type), ['input', 'dense', 'add', 'dense', 'add']);
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
  assert.deepEqual(models[0].layers.map((l) => [l.type, l.fanIn, l.fanOut]), [['input', null, null], ['dense', 12, 3]]);
});

// ---- conditionals -------------------------------------------------------------------------------------------

/** [type, units, activation] of each layer: enough to tell which branch was read. */
const layerSummary = (model: Model): [string, unknown, string | null][] => model.layers.map((l) => [l.type, l.config.units ?? null, l.activation.name]);

/** The note a model gets when it depends on a condition the analysis cannot evaluate. */
const conditionNotes = (model: Model): string[] => model.notes.filter((note) => note.includes('cannot evaluate'));

const branching = (condition: string, header = '') => `${IMPORT}${header}function build() {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 8, inputShape: [4], activation: 'relu'}));
  if (${condition}) {
    model.add(tf.layers.dense({units: 8, activation: 'relu'}));
  } else {
    model.add(tf.layers.dense({units: 4, activation: 'tanh'}));
  }
  model.add(tf.layers.dense({units: 1}));
  return model;
}
`;

test('if on a const false reads only the else branch, without a note', () => {
  const model = onlyModel(branching('DEEP', 'const DEEP = false;\n'));
  assert.deepEqual(layerSummary(model), [['dense', 8, 'relu'], ['dense', 4, 'tanh'], ['dense', 1, 'linear']]);
  assert.deepEqual(model.layers.map((l) => [l.fanIn, l.fanOut]), [[4, 8], [8, 4], [4, 1]]);
  assert.deepEqual(model.notes, []);
});

test('if on a const true reads only the then branch', () => {
  const model = onlyModel(branching('DEEP', 'const DEEP = true;\n'));
  assert.deepEqual(layerSummary(model), [['dense', 8, 'relu'], ['dense', 8, 'relu'], ['dense', 1, 'linear']]);
  assert.deepEqual(model.notes, []);
});

test('negations, comparisons, && and || of constants decide the branch', () => {
  const header = "const DEPTH = 3;\nconst MODE = 'small';\nconst DEEP = false;\n";
  const then = [['dense', 8, 'relu'], ['dense', 8, 'relu'], ['dense', 1, 'linear']];
  const otherwise = [['dense', 8, 'relu'], ['dense', 4, 'tanh'], ['dense', 1, 'linear']];
  const cases: [string, unknown][] = [
    ['!DEEP', then], ['!!DEEP', otherwise], ['DEPTH > 2', then], ['DEPTH <= 2', otherwise], ["MODE === 'small'", then],
    ["MODE !== 'small'", otherwise], ['DEPTH == 3', then], ['DEPTH != 3', otherwise], ['DEEP && DEPTH > 2', otherwise],
    ['DEEP || DEPTH > 2', then], ['!(DEPTH > 2 && MODE === "big")', then], ['DEPTH - 3', otherwise],
    // Short-circuit: the unknown right side never decides.
    ['DEEP && Math.random() > 0.5', otherwise], ['!DEEP || Math.random() > 0.5', then],
  ];
  for (const [condition, expected] of cases) {
    const model = onlyModel(branching(condition, header));
    assert.deepEqual(layerSummary(model), expected, condition);
    assert.deepEqual(model.notes, [], condition);
  }
});

test('a condition on an unrolled loop counter is decided per iteration', () => {
  const code = `${IMPORT}const model = tf.sequential();
for (let i = 0; i < 3; i++) {
  if (i === 0) model.add(tf.layers.dense({units: 8, inputShape: [4]}));
  else model.add(tf.layers.dense({units: 8 * i, activation: i < 2 ? 'relu' : 'tanh'}));
}
`;
  const model = onlyModel(code);
  assert.deepEqual(layerSummary(model), [['dense', 8, 'linear'], ['dense', 8, 'relu'], ['dense', 16, 'tanh']]);
  assert.deepEqual(model.notes, []);
});

test('an else-if chain runs only the first branch whose condition holds', () => {
  const chain = (size: string) => `${IMPORT}const SIZE = '${size}';
const model = tf.sequential();
model.add(tf.layers.dense({units: 8, inputShape: [4]}));
if (SIZE === 'small') {
  model.add(tf.layers.dense({units: 2}));
} else if (SIZE === 'medium') {
  model.add(tf.layers.dense({units: 16}));
  model.add(tf.layers.dense({units: 16}));
} else if (SIZE === 'large') model.add(tf.layers.dense({units: 64}));
else {
  model.add(tf.layers.dense({units: 3}));
}
model.add(tf.layers.dense({units: 1}));
`;
  const units = (size: string) => onlyModel(chain(size)).layers.map((l) => l.config.units);
  assert.deepEqual(units('small'), [8, 2, 1]);
  assert.deepEqual(units('medium'), [8, 16, 16, 1]);
  assert.deepEqual(units('large'), [8, 64, 1]);
  assert.deepEqual(units('other'), [8, 3, 1]);
  assert.deepEqual(onlyModel(chain('medium')).notes, []);
});

test('an if without else on a false constant adds nothing; on a true one it adds its layers', () => {
  const code = (value: string) => `${IMPORT}const EXTRA = ${value};
const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
if (EXTRA) model.add(tf.layers.dense({units: 5}));
`;
  assert.deepEqual(onlyModel(code('false')).layers.map((l) => l.config.units), [8]);
  assert.deepEqual(onlyModel(code('1')).layers.map((l) => l.config.units), [8, 5]);
  assert.deepEqual(onlyModel(code('0')).notes, []);
});

test('an unknown condition reads both branches in sequence and notes it with its line', () => {
  const code = branching('Math.random() > 0.5');
  const model = onlyModel(code);
  assert.deepEqual(layerSummary(model), [['dense', 8, 'relu'], ['dense', 8, 'relu'], ['dense', 4, 'tanh'], ['dense', 1, 'linear']]);
  const notes = conditionNotes(model);
  assert.equal(notes.length, 1, model.notes.join(' | '));
  assert.match(notes[0], /line 5\b/);
  assert.match(notes[0], /both branches/);
  assert.match(notes[0], /gradient ratio/);
});

test('an unknown condition on a let (not a const) is not folded', () => {
  const code = `${IMPORT}let deep = false;
const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
if (deep) model.add(tf.layers.dense({units: 5}));
`;
  const model = onlyModel(code);
  assert.deepEqual(model.layers.map((l) => l.config.units), [8, 5]);
  assert.equal(conditionNotes(model).length, 1);
  assert.match(conditionNotes(model)[0], /'deep'/);
});

test('a helper followed with a constant argument takes the branch its parameter decides', () => {
  const code = `${IMPORT}function addHead(m: tf.Sequential, wide: boolean) {
  if (wide) m.add(tf.layers.dense({units: 32}));
  else m.add(tf.layers.dense({units: 2}));
}
const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
addHead(model, false);
addHead(model, true);
`;
  const model = onlyModel(code);
  assert.deepEqual(model.layers.map((l) => l.config.units), [8, 2, 32]);
  assert.deepEqual(model.notes, []);
});

test('a conditional expression in add calls and layer lists: a known condition picks one operand', () => {
  const code = `${IMPORT}const DEEP = false;
const a = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]}), DEEP ? tf.layers.dense({units: 16}) : tf.layers.dense({units: 2})]});
const b = tf.sequential();
b.add(tf.layers.dense({units: 8, inputShape: [4]}));
b.add(!DEEP ? tf.layers.dense({units: 6, activation: 'relu'}) : tf.layers.dense({units: 7}));
`;
  const [a, b] = parse(code).models;
  assert.deepEqual(layerSummary(a), [['dense', 8, 'linear'], ['dense', 2, 'linear']]);
  assert.deepEqual(layerSummary(b), [['dense', 8, 'linear'], ['dense', 6, 'relu']]);
  assert.deepEqual(a.layers[1].fanIn, 8);
  assert.deepEqual([a.notes, b.notes], [[], []]);
});

test('a conditional expression with an unknown condition gives both operands in sequence, with the note', () => {
  const code = `${IMPORT}export function build(deep: boolean) {
  const a = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]}), deep ? tf.layers.dense({units: 16}) : tf.layers.dense({units: 2})]});
  const b = tf.sequential();
  b.add(tf.layers.dense({units: 8, inputShape: [4]}));
  b.add(deep ? tf.layers.dense({units: 6}) : tf.layers.dense({units: 7}));
  return [a, b];
}
`;
  const [a, b] = parse(code).models;
  assert.deepEqual(a.layers.map((l) => l.type), ['dense', 'dense', 'dense']);
  assert.deepEqual(a.layers.map((l) => l.config.units), [8, 16, 2]);
  assert.deepEqual(b.layers.map((l) => l.config.units), [8, 6, 7]);
  assert.equal(conditionNotes(a).length, 1);
  assert.match(conditionNotes(a)[0], /'deep'.*line 3\b/);
  assert.match(conditionNotes(b)[0], /line 6\b/);
});

test('a conditional expression with an unknown condition stored in a variable: its first operand, with the note', () => {
  const code = `${IMPORT}export function build(deep: boolean) {
  const head = deep ? tf.layers.dense({units: 16}) : tf.layers.dense({units: 2});
  const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
  model.add(head);
  return model;
}
`;
  const model = onlyModel(code);
  assert.deepEqual(model.layers.map((l) => l.config.units), [8, 16]);
  assert.equal(conditionNotes(model).length, 1);
  assert.match(conditionNotes(model)[0], /only its first operand/);
});

test('a functional model: a constant if picks the applied layer; an unknown one chains both with the note', () => {
  const code = (condition: string) => `${IMPORT}const DEEP = false;
export function build(flag: boolean) {
  const input = tf.input({shape: [4]});
  let x = tf.layers.dense({units: 8}).apply(input) as tf.SymbolicTensor;
  if (${condition}) {
    x = tf.layers.dense({units: 16}).apply(x) as tf.SymbolicTensor;
  } else {
    x = tf.layers.dense({units: 2}).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({inputs: input, outputs: x});
}
`;
  const known = onlyModel(code('DEEP'));
  assert.deepEqual(known.layers.map((l) => l.config.units ?? null), [null, 8, 2]);
  assert.deepEqual(known.notes, []);
  const unknownCase = onlyModel(code('flag'));
  assert.deepEqual(unknownCase.layers.map((l) => l.config.units ?? null), [null, 8, 16, 2]);
  assert.equal(conditionNotes(unknownCase).length, 1);
});

test('switch on a constant reads the matching case (with fall-through) or default; an unknown one reads all with the note', () => {
  const code = (mode: string) => `${IMPORT}const MODE = ${mode};
export function build(dynamicMode: string) {
  const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
  switch (MODE) {
    case 'a':
      model.add(tf.layers.dense({units: 1}));
      break;
    case 'b':
      model.add(tf.layers.dense({units: 2}));
    case 'c': {
      model.add(tf.layers.dense({units: 3}));
      break;
    }
    default:
      model.add(tf.layers.dense({units: 4}));
  }
  return model;
}
`;
  const units = (mode: string) => onlyModel(code(mode)).layers.map((l) => l.config.units);
  assert.deepEqual(units("'a'"), [8, 1]);
  assert.deepEqual(units("'b'"), [8, 2, 3]);
  assert.deepEqual(units("'c'"), [8, 3]);
  assert.deepEqual(units("'z'"), [8, 4]);
  assert.deepEqual(onlyModel(code("'b'")).notes, []);
  const dynamic = onlyModel(code('undefined as unknown as string').replace('switch (MODE)', 'switch (dynamicMode)'));
  assert.deepEqual(dynamic.layers.map((l) => l.config.units), [8, 1, 2, 3, 4]);
  assert.equal(conditionNotes(dynamic).length, 1);
});

test('a bad initializer in the branch a constant condition skips is not reported; under an unknown condition it is', () => {
  const code = (condition: string) => `${IMPORT}const DEEP = false;
export function build(flag: boolean) {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 8, inputShape: [4], activation: 'relu', kernelInitializer: 'heNormal'}));
  if (${condition}) {
    model.add(tf.layers.dense({units: 8, activation: 'relu', kernelInitializer: 'zeros'}));
  } else {
    model.add(tf.layers.dense({units: 4, activation: 'relu', kernelInitializer: 'heNormal'}));
  }
  model.add(tf.layers.dense({units: 1}));
  return model;
}
`;
  // The zeros kernel feeds a further layer, so symmetric-init flags it whenever it is in the model.
  const symmetric = (text: string) => analyze(text, 'a.ts').diagnostics.filter((d) => d.ruleId === 'symmetric-init');
  assert.equal(symmetric(code('DEEP')).length, 0);
  assert.equal(symmetric(code('!DEEP')).length, 1);
  const unknownCase = analyze(code('flag'), 'a.ts');
  assert.equal(unknownCase.diagnostics.filter((d) => d.ruleId === 'symmetric-init').length, 1);
  assert.equal(unknownCase.models[0].model.layers.length, 4);
});

test('the incremental parser gives the same result as a fresh parse while a condition is edited', () => {
  const parser = new IncrementalParser();
  let text = branching('DEEP', 'const DEEP = false;\n');
  const steps = [
    (t: string) => t.replace('const DEEP = false', 'const DEEP = true'),
    (t: string) => t.replace('if (DEEP)', 'if (!DEEP)'),
    (t: string) => t.replace('if (!DEEP)', 'if (Math.random() > 0.5)'),
    (t: string) => t.replace('} else {', '} else if (DEEP) {'),
    (t: string) => t.replace('if (Math.random() > 0.5)', 'if (DEEP === false)'),
    (t: string) => t.replace('const DEEP = true', 'let DEEP = true'),
  ];
  assert.deepEqual(analyze(text, 'a.ts', {}, parser.parse), analyze(text, 'a.ts'));
  for (const step of steps) {
    const next = step(text);
    assert.notEqual(next, text);
    text = next;
    assert.deepEqual(analyze(text, 'a.ts', {}, parser.parse), analyze(text, 'a.ts'), text);
  }
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
  assert.ok(model.notes.some((n) => n.includes("'encoder'") && n.includes('2 times')), JSON.stringify(model.notes));
});

test('block scopes and parameters shadow outer names (the reader tracks scopes itself: no parent pointers)', () => {
  const { models } = parse(`import * as tf from '@tensorflow/tfjs';
const m = tf.sequential();
m.add(tf.layers.dense({units: 4, inputShape: [2]}));
{
  const m = tf.sequential();
  m.add(tf.layers.dense({units: 8, inputShape: [3]}));
}
function addHead(m) {
  m.add(tf.layers.dense({units: 16}));
}
m.add(tf.layers.dense({units: 1}));
`);
  const units = models.map((model) => model.layers.map((layer) => layer.config.units));
  assert.deepEqual(units.find((u) => u[0] === 4), [4, 1], JSON.stringify(units));
  assert.deepEqual(units.find((u) => u[0] === 8), [8], JSON.stringify(units));
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
  assert.deepEqual(model.layers.map((l) => l.type), ['input', 'dense', 'dense'], JSON.stringify(model.layers.map((l) => l.type)));
});
