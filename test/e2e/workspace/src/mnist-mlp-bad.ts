// Fixture of the real-editor tests: an MNIST MLP whose initializers stall training (zeros and a fixed std of 1).
import * as tf from '@tensorflow/tfjs';

export function buildMnistMlp(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [784], units: 512, activation: 'relu', kernelInitializer: 'zeros' }));
  model.add(tf.layers.dense({
    units: 512, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev: 1 }),
  }));
  model.add(tf.layers.dense({
    units: 512, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev: 1 }),
  }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
