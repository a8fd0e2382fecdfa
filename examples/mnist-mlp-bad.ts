// MNIST digit classifier as a plain multilayer perceptron on flattened 28x28 images (has initialization bugs).
import * as tf from '@tensorflow/tfjs';

const IMAGE_SIZE = 28 * 28;
const NUM_CLASSES = 10;

/** Builds and compiles the classifier. */
export function buildMnistMlp(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({
    inputShape: [IMAGE_SIZE],
    units: 512,
    activation: 'relu',
    kernelInitializer: 'glorotUniform',
  }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'zeros' }));
  model.add(tf.layers.dense({
    units: 128,
    activation: 'relu',
    kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1 }),
  }));
  model.add(tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Trains on already normalised images (values in [0, 1]) and one-hot labels. */
export async function trainMnistMlp(images: tf.Tensor2D, labels: tf.Tensor2D): Promise<tf.History> {
  const model = buildMnistMlp();
  return model.fit(images, labels, { epochs: 5, batchSize: 128, validationSplit: 0.1, shuffle: true });
}
