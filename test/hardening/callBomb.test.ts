// ts-call-bomb: a helper called in 4 nested loops of 50. The interpretation stops at the per-file step budget with a
// note, keeps what it read, and the work stays bounded (steps, not time: the same result on every machine).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { parseTypeScript } from '../../server/src/engine/frontends/ts';

const BOMB = `import * as tf from '@tensorflow/tfjs';
const first = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 4, kernelInitializer: 'zeros' }), tf.layers.dense({ units: 2 })] });
function block(model, units) {
  model.add(tf.layers.dense({ units, activation: 'relu' }));
  return model;
}
const bomb = tf.sequential();
bomb.add(tf.layers.dense({ inputShape: [8], units: 4 }));
for (let a = 0; a < 50; a++) {
  for (let b = 0; b < 50; b++) {
    for (let c = 0; c < 50; c++) {
      for (let d = 0; d < 50; d++) {
        block(bomb, 4);
      }
    }
  }
}
`;

test('ts-call-bomb 50^4 stops at the step budget with a note and keeps the models read so far', () => {
  const parsed = parseTypeScript(BOMB, 'bomb.ts');
  const note = parsed.notes.find((n) => /stopped reading the models of this file after \d+ interpretation steps/.test(n.message));
  assert.ok(note, `a budget note: ${JSON.stringify(parsed.notes)}`);
  const names = parsed.models.map((model) => model.name);
  assert.deepEqual(names, ['first', 'bomb']);
  const bomb = parsed.models[1]!;
  assert.ok(bomb.layers.length > 100, `layers found before the stop are kept (${bomb.layers.length})`);
  assert.ok(bomb.layers.length < 5000, `the work is bounded (${bomb.layers.length} layers; unbounded it was 19,602)`);
  const result = analyze(BOMB, 'bomb.ts');
  assert.ok(
    result.diagnostics.some((d) => d.ruleId === 'symmetric-init' && d.modelName === 'first'),
    'the first model is still analysed',
  );
});

test('an ordinary file is far below the budget', () => {
  const parsed = parseTypeScript(BOMB.replace(/50/g, '3'), 'small.ts');
  assert.ok(!parsed.notes.some((n) => /interpretation steps/.test(n.message)));
  assert.equal(parsed.models[1]!.layers.length, 1 + 3 ** 4);
});
