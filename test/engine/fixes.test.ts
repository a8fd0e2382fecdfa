// Unit tests of the fix builders: quote style, call form and seed, insertion formatting, JSON dialects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  fileQuote,
  initializerEdit,
  inlineJson,
  insertPropertyEdit,
  isCompactJson,
  jsonInitializerText,
  jsonInitializerValue,
  seedArgumentOf,
  snakeCaseKey,
  typescriptInitializerText,
} from '../../server/src/engine/fixes';
import type { InitializerAttr, Layer } from '../../server/src/engine/ir';

function attr(overrides: Partial<InitializerAttr>): InitializerAttr {
  return { key: 'kernelInitializer', spec: { kind: 'zeros' }, explicit: true, alias: 'zeros', form: 'string', ...overrides };
}

function layer(overrides: Partial<Layer> = {}): Layer {
  return {
    id: 'd',
    name: 'd',
    type: 'dense',
    className: 'dense',
    config: {},
    activation: { name: 'relu', explicit: true, source: 'own' },
    fanIn: 4,
    fanOut: 4,
    outputSize: 4,
    span: { start: 0, end: 0 },
    properties: {},
    inbound: [],
    ...overrides,
  };
}

test('fileQuote follows the import, then the majority of quotes', () => {
  assert.equal(fileQuote(`import * as tf from "@tensorflow/tfjs";\nconst a = 'x';`), '"');
  assert.equal(fileQuote(`const tf = require('@tensorflow/tfjs');`), "'");
  assert.equal(fileQuote(`const a = "x", b = "y", c = 'z';`), '"');
  assert.equal(fileQuote(`const a = 1;`), "'");
});

test('a string id stays a string id in the written quote', () => {
  const text = `kernelInitializer: "zeros"`;
  const written = attr({ quote: '"', valueSpan: { start: 19, end: 26 } });
  assert.equal(typescriptInitializerText('heNormal', written, text), '"heNormal"');
  assert.equal(typescriptInitializerText('heNormal', attr({ quote: '`' }), text), '`heNormal`');
  assert.deepEqual(initializerEdit({ text, language: 'typescript', dialect: 'tfjs' }, layer(), written, 'heNormal'), {
    span: { start: 19, end: 26 },
    text: '"heNormal"',
  });
});

test('a call stays a call with the same callee and its seed', () => {
  const text = `tf.initializers.glorotUniform({seed: 1})`;
  const call = attr({ form: 'call', callee: 'tf.initializers.', valueSpan: { start: 0, end: text.length } });
  assert.equal(typescriptInitializerText('heNormal', call, text), 'tf.initializers.heNormal({seed: 1})');
  const named = `glorotNormal({})`;
  assert.equal(
    typescriptInitializerText('heUniform', attr({ form: 'call', callee: '', valueSpan: { start: 0, end: named.length } }), named),
    'heUniform({})',
  );
});

test('seedArgumentOf reads written, computed and shorthand seeds and ignores other keys', () => {
  assert.equal(seedArgumentOf('tf.initializers.randomNormal({mean: 0, stddev: 0.05, seed: 42})'), 'seed: 42');
  assert.equal(seedArgumentOf('tf.initializers.randomNormal({seed: base + 1, stddev: 2})'), 'seed: base + 1');
  assert.equal(seedArgumentOf('tf.initializers.heNormal({seed})'), 'seed');
  assert.equal(seedArgumentOf('tf.initializers.heNormal({ seedling: 3 })'), null);
  assert.equal(seedArgumentOf('tf.initializers.ones()'), null);
});

test('an object form becomes a string id in the file quote', () => {
  const text = `import * as tf from "@tensorflow/tfjs";\nconst k = {className: 'Zeros', config: {}};`;
  assert.equal(typescriptInitializerText('glorotNormal', attr({ form: 'object' }), text), '"glorotNormal"');
});

test("a default is inserted at the insertion point with the front end's separators", () => {
  const target = { text: `tf.layers.dense({units: 4})`, language: 'typescript' as const, dialect: 'tfjs' as const };
  const insertion = { offset: 25, before: ', ', after: '' };
  const edit = initializerEdit(
    target,
    layer({ insertion }),
    attr({ explicit: false, form: 'default', spec: { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'normal' } }),
    'heNormal',
  );
  assert.deepEqual(edit, { span: { start: 25, end: 25 }, text: `, kernelInitializer: 'heNormal'` });
  const multiLine = insertPropertyEdit(
    target,
    layer({ insertion: { offset: 25, before: '\n    ', after: ',' } }),
    'unitForgetBias',
    'true',
  );
  assert.equal(multiLine?.text, '\n    unitForgetBias: true,');
  assert.equal(insertPropertyEdit(target, layer(), 'unitForgetBias', 'true'), null, 'no insertion point: no edit');
  assert.equal(initializerEdit(target, layer(), attr({ valueSpan: undefined }), 'heNormal'), null, 'written without a span: no edit');
});

test('JSON keys are snake_case', () => {
  assert.equal(snakeCaseKey('kernelInitializer'), 'kernel_initializer');
  assert.equal(snakeCaseKey('unitForgetBias'), 'unit_forget_bias');
  const json = { text: '{"a": 1}', language: 'json' as const, dialect: 'keras2' as const };
  assert.equal(
    insertPropertyEdit(json, layer({ insertion: { offset: 7, before: ', ', after: '' } }), 'kernelInitializer', '"he_normal"')?.text,
    ', "kernel_initializer": "he_normal"',
  );
});

test('the three JSON dialects write their own initializer objects', () => {
  assert.deepEqual(jsonInitializerValue('heNormal', 'tfjs', false), {
    class_name: 'VarianceScaling',
    config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null },
  });
  assert.deepEqual(jsonInitializerValue('glorotUniform', 'tfjs', false), {
    class_name: 'VarianceScaling',
    config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null },
  });
  assert.deepEqual(jsonInitializerValue('orthogonal', 'tfjs', false), { class_name: 'Orthogonal', config: { gain: 1, seed: null } });
  assert.deepEqual(jsonInitializerValue('heNormal', 'keras2', false), { class_name: 'HeNormal', config: { seed: null } });
  assert.equal(jsonInitializerValue('leCunNormal', 'keras2', true), 'lecun_normal');
  assert.deepEqual(jsonInitializerValue('heNormal', 'keras3', false), {
    module: 'keras.initializers',
    class_name: 'HeNormal',
    config: { seed: null },
    registered_name: null,
  });
  assert.equal(jsonInitializerValue('heUniform', 'keras3', true), 'he_uniform');
  // TF.js model.json has no string form: the object is written even where a string was.
  assert.equal(typeof jsonInitializerValue('heNormal', 'tfjs', true), 'object');
});

test("JSON values follow the file's spacing", () => {
  assert.equal(isCompactJson('{"modelTopology":{"class_name":"Sequential"}}'), true);
  assert.equal(isCompactJson('{"class_name": "Sequential"}'), false);
  assert.equal(inlineJson({ a: 1, b: [null, 'x'] }, false), '{"a": 1, "b": [null, "x"]}');
  assert.equal(inlineJson({ a: 1, b: [null, 'x'] }, true), '{"a":1,"b":[null,"x"]}');
  assert.equal(
    jsonInitializerText('heNormal', attr({ form: 'json-object' }), 'tfjs', '{"a":{"b":1}}'),
    '{"class_name":"VarianceScaling","config":{"scale":2,"mode":"fan_in","distribution":"normal","seed":null}}',
  );
  assert.equal(jsonInitializerText('heNormal', attr({ form: 'json-string' }), 'keras2', '{"a": "b"}'), '"he_normal"');
});

test('a multi-line JSON value is replaced over several lines with the same indentation', () => {
  const text = `{\n  "kernel_initializer": {\n    "class_name": "RandomNormal",\n    "config": {"stddev": 1.0}\n  }\n}`;
  const start = text.indexOf('{', 2);
  const end = text.lastIndexOf('}', text.length - 2) + 1;
  const written = attr({ form: 'json-object', valueSpan: { start, end } });
  assert.equal(
    jsonInitializerText('heNormal', written, 'keras2', text),
    `{\n    "class_name": "HeNormal",\n    "config": {\n      "seed": null\n    }\n  }`,
  );
});

test('a call written with padded braces keeps the padding; compact JSON gets a compact key', () => {
  const text = `initializers.heUniform({ seed: i })`;
  assert.equal(
    typescriptInitializerText(
      'glorotUniform',
      attr({ form: 'call', callee: 'initializers.', valueSpan: { start: 0, end: text.length } }),
      text,
    ),
    'initializers.glorotUniform({ seed: i })',
  );
  const compact = { text: '{"a":{"b":1}}', language: 'json' as const, dialect: 'tfjs' as const };
  assert.equal(
    insertPropertyEdit(compact, layer({ insertion: { offset: 11, before: ',', after: '' } }), 'unitForgetBias', 'true')?.text,
    ',"unit_forget_bias":true',
  );
});

test('fileQuote without an import takes the quote the text holds more of, a single quote on a tie', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom("'", '"', 'x', ' ', '\n'), { maxLength: 40 }).map((parts) => parts.join('')),
      (text) => {
        const single = [...text].filter((c) => c === "'").length;
        const double = [...text].filter((c) => c === '"').length;
        assert.equal(fileQuote(text), double > single ? '"' : "'");
      },
    ),
    { numRuns: 300, seed: 7 },
  );
});
