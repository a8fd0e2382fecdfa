// Deeply nested input (a 10,000-term sum in TS, JSON nested 10,000 levels, a 5,000-level TimeDistributed) never
// overflows the stack: the part past the depth cap is skipped with a note, and the rest of the file is still analysed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { assertReadable } from '../helpers/readable';

const ZEROS_DENSE_TS = "tf.layers.dense({ inputShape: [8], units: 4, kernelInitializer: 'zeros' })";
const ZEROS_DENSE_JSON =
  '{"class_name":"Dense","config":{"name":"zeros_dense","units":4,"batch_input_shape":[null,8],"kernel_initializer":"zeros"}}';

function tsFile(deepStatement: string): string {
  return `import * as tf from '@tensorflow/tfjs';
const a = 1;
const before = tf.sequential({ layers: [${ZEROS_DENSE_TS}, tf.layers.dense({ units: 2 })] });
${deepStatement}
const after = tf.sequential({ layers: [${ZEROS_DENSE_TS}, tf.layers.dense({ units: 2 })] });
`;
}

function kerasFile(secondLayer: string, extra = ''): string {
  return `{"class_name":"Sequential","config":{"name":"deep","layers":[${ZEROS_DENSE_JSON},${secondLayer}]}${extra},"keras_version":"2.15.0"}`;
}

const terms = (count: number): string => Array(count).fill('a').join(' + ');
const nested = (open: string, inner: string, close: string, levels: number): string => open.repeat(levels) + inner + close.repeat(levels);

const CASES: { label: string; text: string; fileName: string; models: string[] }[] = [
  { label: 'TS 10,000-term sum', text: tsFile(`const sum = ${terms(10_000)};`), fileName: 'sum.ts', models: ['before', 'after'] },
  {
    label: 'TS 10,000-term sum as units',
    text: tsFile(`const middle = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: ${terms(10_000)} })] });`),
    fileName: 'units.ts',
    models: ['before', 'after'],
  },
  {
    label: 'TS 10,000-name member chain',
    text: tsFile(`const c = { b: 1 };\nconst chain = c${'.b'.repeat(10_000)};`),
    fileName: 'chain.ts',
    models: ['before', 'after'],
  },
  {
    label: 'JSON arrays 10,000 deep',
    text: kerasFile('{"class_name":"Dense","config":{"units":2}}', `,"extra":${nested('[', '1', ']', 10_000)}`),
    fileName: 'arrays.json',
    models: ['deep'],
  },
  {
    label: 'JSON objects 10,000 deep',
    text: kerasFile('{"class_name":"Dense","config":{"units":2}}', `,"extra":${nested('{"a":', '1', '}', 10_000)}`),
    fileName: 'objects.json',
    models: ['deep'],
  },
  {
    label: 'JSON initializer nested 10,000 deep',
    text: kerasFile(
      `{"class_name":"Dense","config":{"units":2,"kernel_initializer":${nested('{"class_name":"VarianceScaling","config":{"scale":', '1', '}}', 10_000)}}}`,
    ),
    fileName: 'initializer.json',
    models: ['deep'],
  },
  {
    label: 'JSON TimeDistributed 5,000 deep',
    // The wrapper comes first here: the zeros layer is flagged only when a layer after it can be followed.
    text: `{"class_name":"Sequential","config":{"name":"deep","layers":[${nested('{"class_name":"TimeDistributed","config":{"batch_input_shape":[null,5,8],"layer":', '{"class_name":"Dense","config":{"units":3}}', '}}', 5_000)},${ZEROS_DENSE_JSON.replace('"batch_input_shape":[null,8],', '')},{"class_name":"Dense","config":{"units":2}}]},"keras_version":"2.15.0"}`,
    fileName: 'wrapped.json',
    models: ['deep'],
  },
];

for (const { label, text, fileName, models } of CASES) {
  test(`${label}: no stack overflow, a note, the other models still analysed`, () => {
    let result;
    try {
      result = analyze(text, fileName);
    } catch (error) {
      assert.fail(`${label} threw ${(error as Error).name}: ${(error as Error).message}`);
    }
    assert.deepEqual(
      result.models.map(({ model }) => model.name).filter((name) => models.includes(name)),
      models,
      `${label}: models read`,
    );
    const zeros = result.diagnostics.filter((d) => d.ruleId === 'symmetric-init');
    assert.ok(
      zeros.length >= models.length,
      `${label}: the zero-initialized layers are still flagged (${result.diagnostics.map((d) => d.ruleId).join(', ')})`,
    );
    const notes = [...result.notes.map((note) => note.message), ...result.models.flatMap(({ model }) => model.notes)];
    assert.ok(
      notes.some((note) => /nest(s|ed|ing) deeper than \d+ levels/.test(note)),
      `${label}: no depth note in ${JSON.stringify(notes.slice(0, 5))}`,
    );
    assert.ok(!notes.some((note) => /call stack/i.test(note)), `${label}: a stack overflow was caught and reported: ${notes.join(' | ')}`);
    assertReadable(result, text, label);
  });
}
