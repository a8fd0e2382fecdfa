// The one-word gradient verdict shared by the CLI summary and the code lens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, DEFAULT_THRESHOLDS } from '../../server/src/engine/analyze';
import { gradientVerdict } from '../../server/src/engine/verdict';

const ZERO_FIRST_KERNEL = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({inputShape: [784], units: 512, activation: 'relu', kernelInitializer: 'zeros'}));
model.add(tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heNormal'}));
model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
`;

test('ratios are judged against the thresholds', () => {
  const signal = (ratio: number | null) => ({ layers: [], predictedGradientRatio: ratio, notes: [] });
  assert.equal(gradientVerdict(signal(3.2e-5), DEFAULT_THRESHOLDS), 'vanishing');
  assert.equal(gradientVerdict(signal(5e4), DEFAULT_THRESHOLDS), 'exploding');
  assert.equal(gradientVerdict(signal(0.8), DEFAULT_THRESHOLDS), 'healthy');
  assert.equal(gradientVerdict(signal(null), DEFAULT_THRESHOLDS), 'unknown');
  assert.equal(gradientVerdict(signal(0.5), { ...DEFAULT_THRESHOLDS, vanishingRatio: 0.6 }), 'vanishing');
});

test('a zero kernel that stops every kernel gradient is "no gradient", not "unknown"', () => {
  const [analysed] = analyze(ZERO_FIRST_KERNEL, 'zeros.ts').models;
  assert.equal(analysed.signal.predictedGradientRatio, null);
  assert.equal(analysed.signal.gradientBlocked, true);
  assert.equal(gradientVerdict(analysed.signal, DEFAULT_THRESHOLDS), 'no gradient');
});

test('an unresolvable layer keeps the verdict "unknown"', () => {
  const text = ZERO_FIRST_KERNEL.replace("kernelInitializer: 'zeros'", 'kernelInitializer: pickInit()');
  const [analysed] = analyze(text, 'unknown.ts').models;
  assert.equal(gradientVerdict(analysed.signal, DEFAULT_THRESHOLDS), 'unknown');
  assert.notEqual(analysed.signal.gradientBlocked, true);
});
