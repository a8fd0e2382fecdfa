// Every activation as a function and its derivative, as TF.js 4.22 and Keras compute them.
import type { ActivationAttr, Dialect } from '../ir';
import { erf, normalPdf } from './normal';
import { ownValue } from '../ownKeys';

/** An activation: phi(x) and phi'(x) (one-sided where phi has a kink; the value at the kink itself does not matter in expectation). */
export interface ActivationFunction {
  id: string;
  phi(x: number): number;
  derivative(x: number): number;
  /** Said to users where the propagation treats it approximately (softmax). */
  note?: string;
}

/** SELU constants (Klambauer et al. 2017), the ones TF.js `tf.selu` uses. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_LAMBDA = 1.0507009873554805;

/** TF.js `tf.layers.leakyReLU` and Keras `LeakyReLU` default alpha (negative slope). */
export const LEAKY_RELU_LAYER_ALPHA = 0.3;
/** Keras 3 `activation='leaky_relu'` (keras.activations.leaky_relu) default negative slope. TF.js has no such activation string. */
export const LEAKY_RELU_ACTIVATION_ALPHA = 0.2;

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softplus(x: number): number {
  return x > 30 ? x : x < -30 ? Math.exp(x) : Math.log1p(Math.exp(x));
}

const linear: ActivationFunction = { id: 'linear', phi: (x) => x, derivative: () => 1 };

function leakyRelu(alpha: number): ActivationFunction {
  return { id: 'leakyRelu', phi: (x) => (x > 0 ? x : alpha * x), derivative: (x) => (x > 0 ? 1 : alpha) };
}

function elu(alpha: number): ActivationFunction {
  return {
    id: 'elu',
    phi: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    derivative: (x) => (x > 0 ? 1 : alpha * Math.exp(x)),
  };
}

/** hard sigmoid clip(slope x + 0.5, 0, 1): TF.js and Keras 2 slope 0.2; Keras 3 relu6(x + 3) / 6, slope 1/6. */
function hardSigmoid(slope: number): ActivationFunction {
  const edge = 0.5 / slope;
  return {
    id: 'hardSigmoid',
    phi: (x) => (x <= -edge ? 0 : x >= edge ? 1 : slope * x + 0.5),
    derivative: (x) => (x > -edge && x < edge ? slope : 0),
  };
}

const FIXED: Record<string, ActivationFunction> = {
  linear,
  relu: { id: 'relu', phi: (x) => (x > 0 ? x : 0), derivative: (x) => (x > 0 ? 1 : 0) },
  relu6: { id: 'relu6', phi: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x), derivative: (x) => (x > 0 && x < 6 ? 1 : 0) },
  selu: {
    id: 'selu',
    phi: (x) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    derivative: (x) => SELU_LAMBDA * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  },
  tanh: {
    id: 'tanh',
    phi: Math.tanh,
    derivative: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
  },
  sigmoid: {
    id: 'sigmoid',
    phi: sigmoid,
    derivative: (x) => {
      const s = sigmoid(x);
      return s * (1 - s);
    },
  },
  softsign: { id: 'softsign', phi: (x) => x / (1 + Math.abs(x)), derivative: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))) },
  softplus: { id: 'softplus', phi: softplus, derivative: sigmoid },
  swish: {
    id: 'swish',
    phi: (x) => x * sigmoid(x),
    derivative: (x) => {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    },
  },
  // TF.js 4.22 and Keras (approximate=False) both compute the exact x * Phi(x) with erf.
  gelu: {
    id: 'gelu',
    phi: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    derivative: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + x * normalPdf(x),
  },
  mish: {
    id: 'mish',
    phi: (x) => x * Math.tanh(softplus(x)),
    derivative: (x) => {
      const t = Math.tanh(softplus(x));
      return t + x * (1 - t * t) * sigmoid(x);
    },
  },
  // Keras 3 only: hard_silu (alias hard_swish) is x * relu6(x + 3) / 6, x times its hard sigmoid.
  hardSilu: {
    id: 'hardSilu',
    phi: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
    derivative: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6),
  },
  // Keras 3 only: exponential is exp(x).
  exponential: { id: 'exponential', phi: Math.exp, derivative: Math.exp },
  // Softmax couples the units of a layer; as the output layer its Jacobian is folded into the loss
  // (delta = p - y), so the propagation uses it as linear.
  softmax: {
    id: 'softmax',
    phi: (x) => x,
    derivative: () => 1,
    note: 'softmax is treated as linear (its Jacobian is folded into the loss gradient p - y)',
  },
};

const parameterized = new Map<string, ActivationFunction>();

/** Options that change an activation's shape: alpha for leakyRelu/elu, the dialect for hardSigmoid. */
export interface ActivationOptions {
  alpha?: number;
  dialect?: Dialect;
}

/**
 * The activation function of a canonical id ('relu', 'leakyRelu', 'linear', ...), or null when the id is not
 * known. prelu is taken in its initial state: TF.js and Keras initialize its alpha to zeros, so it is relu.
 */
export function activationFunction(id: string, options: ActivationOptions = {}): ActivationFunction | null {
  switch (id) {
    case 'prelu':
      return FIXED.relu;
    case 'leakyRelu':
      return cachedParameterized(`leakyRelu:${options.alpha ?? LEAKY_RELU_LAYER_ALPHA}`, () =>
        leakyRelu(options.alpha ?? LEAKY_RELU_LAYER_ALPHA),
      );
    case 'elu':
      return cachedParameterized(`elu:${options.alpha ?? 1}`, () => elu(options.alpha ?? 1));
    case 'hardSigmoid': {
      const slope = options.dialect === 'keras3' ? 1 / 6 : 0.2;
      return cachedParameterized(`hardSigmoid:${slope}`, () => hardSigmoid(slope));
    }
    default:
      return ownValue(FIXED, id) ?? null;
  }
}

function cachedParameterized(key: string, make: () => ActivationFunction): ActivationFunction {
  let found = parameterized.get(key);
  if (!found) {
    found = make();
    parameterized.set(key, found);
  }
  return found;
}

/**
 * The activation function of a layer's activation attribute. A leakyRelu without a known alpha takes the
 * LeakyReLU layer default (0.3) when it comes from a layer, the Keras 3 activation-string default (0.2) otherwise.
 */
export function activationOfAttr(attr: ActivationAttr, dialect: Dialect): ActivationFunction | null {
  if (attr.name === null) return null;
  let alpha = attr.alpha;
  if (alpha === undefined && attr.name === 'leakyRelu')
    alpha = attr.source === 'own' ? LEAKY_RELU_ACTIVATION_ALPHA : LEAKY_RELU_LAYER_ALPHA;
  return activationFunction(attr.name, { alpha, dialect });
}
