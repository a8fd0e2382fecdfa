// What the probe changes in a rebuilt TF.js layer so it computes what the model's own library computes (Keras, PyTorch).
import * as tf from '@tensorflow/tfjs';
import { defaultRecurrentActivation } from '../engine/catalog/layerDefaults';
import type { Dialect, Layer, Model } from '../engine/ir';
import { pytorchDefault } from './initializers';

const RECURRENT = new Set(['lstm', 'gru', 'simpleRNN']);
// PyTorch's BatchNorm*d / LayerNorm epsilon (TF.js and Keras use 1e-3).
const PYTORCH_NORM_EPSILON = 1e-5;
// nn.LeakyReLU's default negative_slope; TF.js's leakyReLU layer defaults to 0.3, its leakyRelu op to 0.2.
const PYTORCH_LEAKY_SLOPE = 0.01;

/**
 * Config defaults of the model's library that differ from TF.js's and that the IR may leave out: gate activation
 * sigmoid (Keras, PyTorch; TF.js hardSigmoid), and for PyTorch the norms' epsilon (and a note on the GRU's form).
 */
export function dialectConfig(layer: Layer, model: Model, config: Record<string, unknown>, assumptions: string[]): void {
  if (model.dialect === 'tfjs') return;
  if ((layer.type === 'lstm' || layer.type === 'gru') && config.recurrentActivation === undefined) {
    config.recurrentActivation = defaultRecurrentActivation(model.dialect);
  }
  if (model.dialect !== 'pytorch') return;
  if (layer.type === 'gru') {
    // TF.js's GRUCell refuses resetAfter: true, the form PyTorch computes (reset gate applied to W_hn h + b_hn).
    assumptions.push(
      `${layer.name}: PyTorch's GRU applies the reset gate after the recurrent product; TF.js's GRU applies it before (the same at a zero state but for the bias b_hn).`,
    );
  }
  if ((layer.type === 'batchNormalization' || layer.type === 'layerNormalization') && config.epsilon === undefined) {
    config.epsilon = PYTORCH_NORM_EPSILON;
  }
}

/**
 * PyTorch's initializers for the attributes the IR left out (the library default applies there), and the one
 * place where PyTorch's parameters are not TF.js's: an RNN has two biases (bias_ih + bias_hh), TF.js one.
 */
export function dialectInitializers(layer: Layer, model: Model, config: Record<string, unknown>, assumptions: string[]): void {
  if (model.dialect !== 'pytorch') return;
  const keys =
    layer.type === 'embedding'
      ? ['embeddingsInitializer']
      : RECURRENT.has(layer.type)
        ? ['kernelInitializer', 'recurrentInitializer', 'biasInitializer']
        : ['kernelInitializer', 'biasInitializer'];
  for (const key of keys) {
    if (config[key] !== undefined || (key === 'biasInitializer' && config.useBias === false)) continue;
    const own = pytorchDefault(layer, key, model);
    if (own) config[key] = own.initializer;
  }
  if (RECURRENT.has(layer.type) && config.useBias !== false) {
    assumptions.push(
      `${layer.name}: PyTorch adds two bias vectors (bias_ih + bias_hh); TF.js has one, drawn as the IR's bias (for PyTorch's default: uniform with the variance of the sum, which is triangular).`,
    );
  }
}

/** The layer that applies a split-off activation, with the alpha the model's library uses for leakyRelu and elu. */
export function splitActivationLayer(layer: Layer, name: string, dialect: Dialect): tf.layers.Layer {
  const alpha = layer.activation.alpha;
  if (name === 'leakyRelu') {
    const slope = alpha ?? (dialect === 'pytorch' ? PYTORCH_LEAKY_SLOPE : layer.activation.source === 'own' ? 0.2 : 0.3);
    return tf.layers.leakyReLU({ alpha: slope });
  }
  if (name === 'elu') return tf.layers.elu({ alpha: alpha ?? 1 });
  return tf.layers.activation({ activation: name as never });
}
