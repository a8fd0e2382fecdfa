// A zero-initialized output layer (Fixup classifiers, residual and policy heads) is deliberate: every upstream gradient
// is exactly 0 at step 0, which is not the vanishing-gradient problem. At most a hint says what it does at step 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { assertReadable } from '../helpers/readable';

const model = (outputInitializer: string, hidden = `'heNormal'`): string => `import * as tf from '@tensorflow/tfjs';
const policy = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [32], units: 64, activation: 'relu', kernelInitializer: ${hidden} }),
    tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: ${hidden} }),
    tf.layers.dense({ units: 4, kernelInitializer: ${outputInitializer} }),
  ],
});
`;

for (const initializer of [`'zeros'`, `tf.initializers.zeros()`, `tf.initializers.constant({ value: 0 })`]) {
  test(`a ${initializer} output layer is no vanishing-gradient warning; a hint says what happens at step 0`, () => {
    const text = model(initializer);
    const result = analyze(text, 'policy.ts');
    assertReadable(result, text, initializer);
    const vanishing = result.diagnostics.filter((d) => d.ruleId === 'vanishing-gradient-predicted');
    assert.ok(
      vanishing.every((d) => d.severity === 'hint'),
      vanishing.map((d) => `${d.severity}: ${d.message}`).join('\n'),
    );
    assert.equal(vanishing.length, 1, 'one hint');
    assert.match(vanishing[0]!.message, /output layer/);
    assert.match(vanishing[0]!.message, /step 0/);
    assert.doesNotMatch(vanishing[0]!.message, /slower/);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error').map((d) => d.ruleId),
      [],
    );
  });
}

test('a real vanishing gradient is still a warning', () => {
  const hidden = Array.from(
    { length: 10 },
    (_, i) => `    tf.layers.dense({ ${i === 0 ? 'inputShape: [32], ' : ''}units: 64, activation: 'sigmoid' }),`,
  ).join('\n');
  const text = `import * as tf from '@tensorflow/tfjs';\nconst deep = tf.sequential({\n  layers: [\n${hidden}\n    tf.layers.dense({ units: 4 }),\n  ],\n});\n`;
  const result = analyze(text, 'small.ts');
  assertReadable(result, text, 'small stddev');
  const vanishing = result.diagnostics.filter((d) => d.ruleId === 'vanishing-gradient-predicted');
  assert.deepEqual(
    vanishing.map((d) => d.severity),
    ['warning'],
  );
  assert.match(vanishing[0]!.message, /slower/);
});
