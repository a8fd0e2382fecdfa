// MNIST digit classifier as a multilayer perceptron, initialised to fit its activations (He for relu).
import { initializers, layers, sequential, train, type Sequential } from '@tensorflow/tfjs';

const IMAGE_SIZE = 28 * 28;
const HIDDEN_UNITS = [512, 256, 128];

/** Builds and compiles the classifier: He init keeps the relu signal's scale from layer to layer. */
export function buildMnistMlp(): Sequential {
  const model = sequential();
  model.add(layers.dense({ inputShape: [IMAGE_SIZE], units: HIDDEN_UNITS[0], activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(layers.dropout({ rate: 0.2 }));
  model.add(layers.dense({ units: HIDDEN_UNITS[1], activation: 'relu', kernelInitializer: initializers.heNormal({ seed: 7 }) }));
  model.add(layers.dropout({ rate: 0.2 }));
  model.add(layers.dense({ units: HIDDEN_UNITS[2], activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
  model.compile({ optimizer: train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
