// Found by the fuzzer's 100,000-input run: a fix that inserts a property into a config holding a syntax error, and
// a fan-in past 2^53 from an upstream size no library accepts, printed as "infinity".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { applyFixes } from '../../server/src/engine/applyFixes';
import { syntaxErrors } from '../engine/rules/ruleTester';

const SELU_TS = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({layers: [
  tf.layers.dense({ units: 256, inputShape: [64], activation: 'selu', kernelInitializer: 'leCunNormal' }),
  tf.layers.dense({ units: 256, activation: 'selu', *: 'heUniform' }),
  tf.layers.dense({ units: 1 }),
]});
`;

test('no property is inserted into a TS config that holds a syntax error; the fixes keep the syntax errors as they were', () => {
  const { diagnostics } = analyze(SELU_TS, 'model.ts');
  const fixes = diagnostics.flatMap((d) => (d.fix ? [d.fix] : []));
  const { text } = applyFixes(SELU_TS, fixes);
  assert.ok(syntaxErrors(text, 'model.ts').length <= syntaxErrors(SELU_TS, 'model.ts').length, text);
  const broken = SELU_TS.indexOf('*:');
  assert.ok(
    fixes.every((fix) => fix.edits.every((edit) => Math.abs(edit.span.start - broken) > 40)),
    'no edit next to the broken property',
  );
});

test('no property is inserted into a JSON layer config that holds a syntax error', () => {
  // A TF.js model.json (lstm-forget-bias checks TF.js LSTMs) whose LSTM config lost its value: {"units"}8.
  const json = JSON.stringify({
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'Dense', config: { units: 8, batch_input_shape: [null, 4, 3] } },
          { class_name: 'LSTM', config: { units: 8, activation: 'tanh' } },
        ],
      },
    },
  }).replace('{"units":8,"activation"', '{"units"}8,"activation"');
  assert.match(json, /\{"units"\}8/);
  const result = analyze(json, 'model.json');
  assert.ok(
    result.models[0]!.model.layers.some((layer) => layer.type === 'lstm'),
    'the LSTM is still read',
  );
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.ruleId === 'lstm-forget-bias') assert.equal(diagnostic.fix, null, 'no insertion into {"units"}');
  }
});

test('a fan-in from an Embedding output_dim of 1e308 is unknown, not "infinity" in a message', () => {
  const json = JSON.stringify({
    class_name: 'Sequential',
    config: {
      layers: [
        { class_name: 'Embedding', config: { input_dim: 1000, output_dim: 1e308, batch_input_shape: [null, 4] } },
        {
          class_name: 'Dense',
          config: {
            units: 1,
            kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform' } },
          },
        },
      ],
    },
  });
  const { diagnostics } = analyze(json, 'model.json');
  assert.ok(
    diagnostics.some((d) => d.ruleId === 'invalid-config'),
    'the 1e308 is a configuration error',
  );
  for (const diagnostic of diagnostics) assert.doesNotMatch(diagnostic.message, /infinity|NaN/i, diagnostic.message);
});
