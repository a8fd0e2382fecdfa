// Every activation the catalog knows is put in the same family by the rules and the probe: the probe measures
// saturation exactly where he-with-saturating calls an activation saturating, and dead units exactly where
// glorot-with-relu calls it ReLU-like and its slope below zero is 0 (GELU, a smooth rectifier, is neither).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { ACTIVATION_FAMILIES } from '../../server/src/engine/catalog/activationFamilies';
import { activationFunction } from '../../server/src/engine/catalog/activations';
import { activationIdOf } from '../../server/src/engine/catalog/names';
import { recommendedKernelInitializer } from '../../server/src/engine/catalog/recommendations';
import { selectBackend } from '../../server/src/probe/backend';
import { probeModel } from '../../server/src/probe/training';
import { mlp } from './zoo';

/** Activations the front ends read that TF.js has no activation string for: the probe cannot build them. */
const NOT_IN_TFJS = new Set(['prelu', 'hardSilu', 'exponential']);
/** Every activation of the catalog's family table that the probe can build. */
const ACTIVATIONS = Object.keys(ACTIVATION_FAMILIES).filter((id) => !NOT_IN_TFJS.has(id));

function ruleIds(activation: string, initializer: string): string[] {
  const text = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 32, inputShape: [32], activation: '${activation}', kernelInitializer: '${initializer}'}));
model.add(tf.layers.dense({units: 1}));
`;
  return analyze(text, 'family.ts').diagnostics.map((d) => d.ruleId);
}

describe('activation families: rules and probe agree', () => {
  before(async () => {
    assert.equal((await selectBackend('wasm')).backend, 'wasm');
  });

  it('the table names every activation the catalog computes, and the front ends read each by its id', () => {
    for (const id of Object.keys(ACTIVATION_FAMILIES)) {
      assert.equal(activationIdOf(id), id, id);
      assert.ok(id === 'prelu' || activationFunction(id) !== null, `${id} has no catalog math`);
    }
    assert.ok(ACTIVATIONS.includes('gelu') && ACTIVATIONS.length === Object.keys(ACTIVATION_FAMILIES).length - NOT_IN_TFJS.size);
  });

  for (const activation of ACTIVATIONS) {
    it(activation, async () => {
      const rulesSaturating = ruleIds(activation, 'heNormal').includes('he-with-saturating');
      const rulesReluLike = ruleIds(activation, 'glorotNormal').includes('glorot-with-relu');
      const run = await probeModel(
        mlp({ inputSize: 32, widths: [32], activation, init: 'glorotNormal', outputActivation: 'linear', outputUnits: 1 }),
        { steps: 1, batchSize: 8, seed: 1 },
      );
      const hidden = run.layers.find((layer) => layer.name === 'hidden1')!;
      assert.equal(
        hidden.saturatedFraction !== null,
        rulesSaturating,
        `saturating: probe ${hidden.saturatedFraction !== null}, rules ${rulesSaturating}`,
      );
      const flatBelowZero = activationFunction(activation)!.derivative(-1) === 0;
      assert.equal(
        hidden.deadFraction !== null,
        rulesReluLike && flatBelowZero,
        `dead units: probe ${hidden.deadFraction !== null}, rules ${rulesReluLike}`,
      );
      if (rulesReluLike) assert.equal(recommendedKernelInitializer(activation).alias, 'heNormal');
      if (rulesSaturating) assert.equal(recommendedKernelInitializer(activation).alias, 'glorotNormal');
    });
  }
});
