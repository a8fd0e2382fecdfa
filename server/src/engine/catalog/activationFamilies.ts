// The family of every activation: the one table the rules, the catalog's recommendations and the probe read.
/**
 * - rectifier: zero (slope 0) below 0, so a unit can die and He keeps the variance (relu, relu6)
 * - leakyRectifier: shrinks the negative half without zeroing its slope; He keeps the variance (leakyRelu, prelu, elu)
 * - smoothRectifier: smooth ReLU-like curves, whose initializer is chosen by their backward gain (gelu, swish, ...)
 * - saturating: flat for large |x|, so He pushes them into their flat regions; Glorot fits (tanh, sigmoid, ...)
 * - selfNormalizing: keeps mean 0, variance 1 only with LeCun normal (selu)
 * - linear: a linear map, Glorot balances both passes (linear, softmax, treated as linear by the propagation)
 * - other: none of these (exponential); chosen by its backward gain like the smooth rectifiers
 */
export type ActivationFamily = 'rectifier' | 'leakyRectifier' | 'smoothRectifier' | 'saturating' | 'selfNormalizing' | 'linear' | 'other';

/** The family of each activation id the front ends read (catalog/names.ts). */
export const ACTIVATION_FAMILIES: Readonly<Record<string, ActivationFamily>> = {
  relu: 'rectifier',
  relu6: 'rectifier',
  leakyRelu: 'leakyRectifier',
  prelu: 'leakyRectifier',
  elu: 'leakyRectifier',
  gelu: 'smoothRectifier',
  swish: 'smoothRectifier',
  mish: 'smoothRectifier',
  softplus: 'smoothRectifier',
  hardSilu: 'smoothRectifier',
  tanh: 'saturating',
  sigmoid: 'saturating',
  hardSigmoid: 'saturating',
  softsign: 'saturating',
  selu: 'selfNormalizing',
  linear: 'linear',
  softmax: 'linear',
  exponential: 'other',
};

function familySet(...families: ActivationFamily[]): ReadonlySet<string> {
  return new Set(Object.keys(ACTIVATION_FAMILIES).filter((id) => families.includes(ACTIVATION_FAMILIES[id])));
}

/** Activations that zero or damp the negative half: He init keeps their scale. */
export const RELU_FAMILY = familySet('rectifier', 'leakyRectifier');
/** Activations whose slope is 0 below zero: a unit that is never positive is dead (the probe counts them). */
export const DYING_FAMILY = familySet('rectifier');
/** Activations that saturate: He init pushes them into their flat regions (the probe counts inputs with large |x|). */
export const SATURATING = familySet('saturating');
/** Activations Glorot keeps in range: the saturating ones and linear maps. */
export const GLOROT_FAMILY = familySet('saturating', 'linear');
/** Activations that self-normalize under LeCun normal. */
export const SELF_NORMALIZING = familySet('selfNormalizing');
