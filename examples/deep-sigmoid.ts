// Tabular regressor from an old tutorial: a deep stack of sigmoid layers with no normalization.
import * as tf from '@tensorflow/tfjs-node';

const NUM_FEATURES = 32;
const HIDDEN_LAYERS = 12;
const WIDTH = 64;

/** Deep sigmoid network: each layer multiplies the backpropagated gradient by at most 1/4 times its weight scale. */
export function buildDeepSigmoidRegressor(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [NUM_FEATURES], units: WIDTH, activation: 'sigmoid' }));
  for (let i = 0; i < HIDDEN_LAYERS; i++) {
    model.add(tf.layers.dense({ units: WIDTH, activation: 'sigmoid' }));
  }
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return model;
}
