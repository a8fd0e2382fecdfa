// Tests of the TS/JS front end's entry: suppression comments, syntax errors as notes, JS/JSX file names, and half-typed files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORT, parse, onlyModel } from './support';

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
  assert.equal(
    parse(
      "const tf = require('@tensorflow/tfjs');\nconst m = tf.sequential();\nm.add(tf.layers.dense({units: 1, inputShape: [1]}));\n",
      'model.cjs',
    ).models[0].layers.length,
    1,
  );
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
      assert.ok(
        result.notes.every((note) => !note.message.startsWith('model-lint could not finish')),
        `internal error at prefix ${end}`,
      );
      prefixes++;
    }
  }
  assert.ok(prefixes > 200);
});

test('the realistic files read completely', () => {
  const [mlp, resnet, lstm] = REALISTIC_FILES.map((file) => onlyModel(file));
  assert.deepEqual(
    mlp.layers.map((l) => l.config.units ?? null),
    [256, 128, 64, null, 10],
  );
  assert.deepEqual(
    mlp.layers.map((l) => l.name),
    ['dense#0', 'hidden0', 'hidden1', 'dropout#3', 'dense#4'],
  );
  assert.equal(mlp.layers[1].kernelInitializer?.alias, 'heNormal');
  assert.equal(mlp.layers[1].fanIn, 256);
  assert.equal(resnet.name, 'model#1');
  assert.deepEqual(resnet.notes, ["loop bound 'blocks' unknown: layers treated as repeated"]);
  const add = resnet.layers.find((l) => l.type === 'add');
  assert.ok(add);
  assert.equal(add.inbound.length, 2);
  assert.deepEqual(
    lstm.layers.map((l) => l.type),
    ['embedding', 'lstm', 'lstm', 'lstm', 'dense'],
  );
  assert.deepEqual(
    lstm.layers.map((l) => l.fanIn),
    [1000, 16, 32, 32, 32],
  );
  assert.equal(lstm.layers[1].recurrentInitializer?.alias, 'glorotUniform');
});
