// Tests of the TS/JS front end's bindings: every import form of TF.js, and scopes (a parameter or a block's const shadows an outer name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { indexFile } from '../../../../server/src/engine/frontends/ts/bindings';
import { IMPORT, parse, onlyModel, slice } from './support';

// ---- imports ---------------------------------------------------------------------------------------------------

const IMPORT_FORMS: [string, string, string][] = [
  [
    'namespace import',
    "import * as tf from '@tensorflow/tfjs';",
    'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})',
  ],
  [
    'default import of tfjs-node',
    "import tf from '@tensorflow/tfjs-node';",
    'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})',
  ],
  [
    'named imports with renames',
    "import {layers as L, sequential as seq} from '@tensorflow/tfjs-node-gpu';",
    'seq({layers: [L.dense({units: 4, inputShape: [2]})]})',
  ],
  ['require', "const tf = require('@tensorflow/tfjs');", 'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})'],
  [
    'destructured require',
    "const {layers, sequential} = require('@tensorflow/tfjs-layers');",
    'sequential({layers: [layers.dense({units: 4, inputShape: [2]})]})',
  ],
  [
    'const {layers} = tf',
    "import * as tf from '@tensorflow/tfjs';\nconst {layers} = tf;",
    'tf.sequential({layers: [layers.dense({units: 4, inputShape: [2]})]})',
  ],
  [
    'const {dense} = tf.layers',
    "import * as tf from '@tensorflow/tfjs';\nconst {dense: fc} = tf.layers;",
    'tf.sequential({layers: [fc({units: 4, inputShape: [2]})]})',
  ],
  [
    'import tf = require',
    "import tf = require('@tensorflow/tfjs');",
    'tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [2]})]})',
  ],
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
  const code =
    "import {layers, sequential, initializers as init} from '@tensorflow/tfjs';\n" +
    'const m = sequential({layers: [layers.dense({units: 8, inputShape: [4], kernelInitializer: init.heNormal({seed: 1})})]});\n';
  const kernel = onlyModel(code).layers[0].kernelInitializer;
  assert.equal(kernel?.form, 'call');
  assert.equal(kernel?.alias, 'heNormal');
  assert.equal(kernel?.callee, 'init.');
  assert.equal(slice(code, kernel?.valueSpan), 'init.heNormal({seed: 1})');
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
  assert.deepEqual(
    units.find((u) => u[0] === 4),
    [4, 1],
    JSON.stringify(units),
  );
  assert.deepEqual(
    units.find((u) => u[0] === 8),
    [8],
    JSON.stringify(units),
  );
});

test('the index reads object literals whole: declarations in property values, strings in keys and values', () => {
  const code = [
    "import * as tf from '@tensorflow/tfjs';",
    'const config = {',
    '  "units": 8, "activation": "relu", rate: 0.1, useBias: true, [computed]: "x",',
    '  build: () => { const inner = tf.layers.dense({units: 2}); return inner; },',
    '  method(width) { const hidden = width; return hidden; },',
    '  nested: { deeper: (depth) => depth },',
    '};',
  ].join('\n');
  const index = indexFile(ts.createSourceFile('config.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  for (const name of ['config', 'inner', 'width', 'hidden', 'depth']) assert.ok(index.declarations.has(name), `${name} is indexed`);
  // 8 double-quoted strings ("units", "relu", ...) against 1 single-quoted (the import).
  assert.equal(index.dominantQuote, '"');
});
