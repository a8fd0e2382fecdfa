// Self-normalizing network (SELU) for a tabular binary classifier, written in plain CommonJS.
const tf = require('@tensorflow/tfjs-node');

const INPUT_FEATURES = 54;

/** SELU needs LeCun-normal weights and AlphaDropout to stay self-normalizing; this one has neither everywhere. */
function buildSeluClassifier() {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [INPUT_FEATURES], units: 256, activation: 'selu', kernelInitializer: 'leCunNormal' }),
      tf.layers.dropout({ rate: 0.1 }),
      tf.layers.dense({ units: 256, activation: 'selu', kernelInitializer: 'heUniform' }),
      tf.layers.dropout({ rate: 0.1 }),
      tf.layers.dense({ units: 128, activation: 'selu' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

module.exports = { buildSeluClassifier };
