// The per-tensor statistics the mean-field propagation carries (see propagation.ts), the per-layer state the forward
// pass records for the backward pass, config readers and the remembered Gaussian moments of activations.
import type { ActivationFunction } from './catalog/activations';
import { defaultInitializers, kernelKeyOf } from './catalog/layerDefaults';
import { initializerSpecOf } from './catalog/names';
import { gaussianRule } from './catalog/quadrature';
import type { ConfigValue, InitializerSpec, Layer, LayerType, Model } from './ir';

/** Layer types with a trainable kernel whose gradient the ratio compares. */
export const KERNEL_LAYER_TYPES: ReadonlySet<LayerType> = new Set<LayerType>([
  'dense',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv2dTranspose',
  'separableConv2d',
  'depthwiseConv2d',
  'lstm',
  'gru',
  'simpleRNN',
  'embedding',
]);

/** Statistics of one tensor, per element; NaN = unknown. */
export interface Flow {
  secondMoment: number;
  mean: number;
  /** Per-unit variance across samples (what batch normalization divides by); the rest of the second moment is per-unit offsets. */
  variance: number;
}

/** Everything the backward pass needs of one layer, recorded by the forward pass. */
export interface LayerState {
  layer: Layer;
  inputs: number[];
  consumers: number[];
  input: Flow;
  output: Flow;
  /** Second moment of the pre-activation (q) for kernel layers; of the output otherwise. */
  preactivation: number;
  /** E[g_pre^2] = E[g_out^2] * derivativeFactor (E[phi'^2] and gate factors), unless the layer is an output. */
  derivativeFactor: number;
  /** E[g_in^2] contributed to each input = inputGradientFactor * E[g_pre^2]. */
  inputGradientFactor: number;
  /** For kernel layers: kernel entries * positions * m_in, so that ||dL/dW||^2 = gradientWeight * E[g_pre^2]. */
  gradientWeight: number | null;
  kernelVariance: number | null;
  gradientOut: number;
  gradientPre: number;
}

export const UNKNOWN: Flow = { secondMoment: Number.NaN, mean: Number.NaN, variance: Number.NaN };
export const MODEL_INPUT: Flow = { secondMoment: 1, mean: 0, variance: 1 };
export const NORMALIZED: Flow = { secondMoment: 1, mean: 0, variance: 1 };

/**
 * An activation applied to a tensor taken as centred Gaussian of its second moment. The per-unit variance of
 * the result is the activation's variance scaled by the share of the input's second moment that varies per
 * sample (exact for linear, and for inputs without per-unit offsets such as right after batch normalization).
 */
export function applyActivation(activation: ActivationFunction, input: Flow): { output: Flow; derivative: number } {
  const m = moments(activation, input.secondMoment);
  const varyingShare = input.secondMoment > 0 ? Math.min(1, Math.max(0, input.variance / input.secondMoment)) : 0;
  return {
    output: { secondMoment: m.second, mean: m.mean, variance: (m.second - m.mean * m.mean) * varyingShare },
    derivative: m.derivative,
  };
}

export function numberConfig(layer: Layer, key: string, fallback: number | null): number | null {
  const value: ConfigValue | undefined = layer.config[key];
  if (value === undefined) return fallback;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function booleanConfig(layer: Layer, key: string, fallback: boolean): boolean | null {
  const value = layer.config[key];
  if (value === undefined) return fallback;
  return typeof value === 'boolean' ? value : null;
}

export function tupleProduct(layer: Layer, key: string, rank: number, fallback: number | null): number | null {
  const value = layer.config[key];
  if (value === undefined) return fallback === null ? null : Math.pow(fallback, rank);
  if (typeof value === 'number' && Number.isFinite(value)) return Math.pow(value, rank);
  if (Array.isArray(value)) {
    let product = 1;
    for (const entry of value) {
      if (typeof entry !== 'number' || !Number.isFinite(entry)) return null;
      product *= entry;
    }
    return product;
  }
  return null;
}

export function spatialRank(type: LayerType): number {
  if (type === 'conv1d') return 1;
  if (type === 'conv3d') return 3;
  return 2;
}

/** Number of positions a kernel is applied at: product of the output shape's non-channel dims (1 for a flat output). */
export function positionsOf(layer: Layer): number | null {
  const shape = layer.outputShape;
  if (shape === undefined || shape === null) return null;
  let product = 1;
  for (let i = 0; i < shape.length - 1; i++) {
    const dim = shape[i];
    if (dim === null) return null;
    product *= dim;
  }
  return product;
}

export function initializerOf(
  layer: Layer,
  attr: 'kernelInitializer' | 'biasInitializer',
  dialect: Model['dialect'],
): InitializerSpec | null {
  const written = layer[attr];
  if (written) return written.spec;
  const key = attr === 'kernelInitializer' ? kernelKeyOf(layer.type) : 'biasInitializer';
  if (key === null) return null;
  const alias = defaultInitializers(layer.type, dialect)[key];
  return alias ? initializerSpecOf(alias, {}, dialect).spec : null;
}

/** Gaussian moments of an activation at one input scale. */
interface ActivationMoments {
  readonly second: number;
  readonly mean: number;
  readonly derivative: number;
}

/**
 * Moments already computed, per activation (the catalog hands out one object per activation and parameters)
 * and input second moment. Re-analysing a file on each keystroke meets the same layers with the same scales
 * again; the quadrature (48 to 448 nodes) is then skipped, with bit-identical results.
 */
const momentsSeen = new WeakMap<ActivationFunction, Map<number, ActivationMoments>>();
/** Entries kept per activation before its table starts over (bounds a long-running server's memory). */
const MOMENTS_PER_ACTIVATION = 4096;

/** E[phi^2], E[phi] and E[phi'^2] over N(0, q), remembered (see momentsSeen). */
export function moments(activation: ActivationFunction, q: number): ActivationMoments {
  // A Map key does not tell -0 from 0, and the nodes are scaled by sqrt(q): -0 is computed each time.
  if (Object.is(q, -0)) return computeMoments(activation, q);
  let seen = momentsSeen.get(activation);
  if (seen === undefined) {
    seen = new Map();
    momentsSeen.set(activation, seen);
  }
  let found = seen.get(q);
  if (found === undefined) {
    found = computeMoments(activation, q);
    if (seen.size >= MOMENTS_PER_ACTIVATION) seen.clear();
    seen.set(q, found);
  }
  return found;
}

/** E[phi^2], E[phi] and E[phi'^2] over N(0, q) in one pass over the nodes; NaN for an unknown or infinite q (NaN must not reach phi: relu(NaN) would read 0). */
function computeMoments(activation: ActivationFunction, q: number): ActivationMoments {
  if (!(q >= 0) || !Number.isFinite(q)) return { second: Number.NaN, mean: Number.NaN, derivative: Number.NaN };
  const { nodes, weights } = gaussianRule(q);
  let second = 0;
  let mean = 0;
  let derivative = 0;
  for (let i = 0; i < nodes.length; i++) {
    const x = nodes[i];
    const value = activation.phi(x);
    const slope = activation.derivative(x);
    mean += weights[i] * value;
    second += weights[i] * value * value;
    derivative += weights[i] * slope * slope;
  }
  return { second, mean, derivative };
}
