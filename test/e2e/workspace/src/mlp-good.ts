// Fixture of the real-editor tests: the same MLP initialized for its activations, which model-lint must call healthy.
import * as tf from '@tensorflow/tfjs';

export function buildHealthyMlp(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotNormal' }));
  return model;
}
