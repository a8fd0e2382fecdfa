// How much of each layer's signal still depends on the model's input, by mean-field propagation of two parts.
//
// A pre-activation h_i = μ_i + σ z splits into a part that varies with the input (variance v, the z term) and a part
// that is fixed for the network at initialization but differs from unit to unit (μ_i ~ N(0, c): what the biases put
// in, and what an activation's non-zero mean passes on). With zero-mean weights W and fan-in n:
//   q' = n E[W²] E[φ(h)²] + E[b²]              (the usual second-moment recursion, q = v + c)
//   v' = n E[W²] E_μ[ Var_z φ(μ + √v z) ]     (only the input-dependent variance of φ(h) travels as input signal)
// The input is taken as unit Gaussian noise (v = 1, c = 0), as the probe draws it. The share v/q at the output says how
// much of what the model outputs depends on its input at all. Checked against real PyTorch 1.13 (10 × Linear(512, 512)
// + ReLU with PyTorch's defaults, 256 Gaussian inputs): predicted share 2.0e-6, measured 2.7e-6; with 3 layers 0.27
// against 0.22 (test/engine/rules/input-signal-lost.test.ts states both).
import { activationOfAttr, type ActivationFunction } from './catalog/activations';
import { kernelMean, kernelSecondMoment } from './catalog/initializers';
import { defaultInitializers, kernelKeyOf } from './catalog/layerDefaults';
import { initializerSpecOf } from './catalog/names';
import { gaussHermiteRule, type GaussHermiteRule } from './catalog/quadrature';
import type { InitializerSpec, Layer, Model } from './ir';

/** The share of one layer's pre-activation second moment that depends on the input. */
export interface LayerShare {
  layerId: string;
  /** Pre-activation second moment q. */
  secondMoment: number;
  /** Its input-dependent part v (≤ q). */
  inputVariance: number;
  share: number;
  /** E[b²] this layer's bias adds. */
  biasSecondMoment: number;
}

/** Layer types the input share passes through unchanged. */
const TRANSPARENT = new Set(['dropout', 'alphaDropout', 'flatten', 'reshape', 'input']);
const WEIGHTED = new Set(['dense', 'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose']);
/** Grid of the outer (per-unit offset) expectation; the inner one uses the catalog's Gauss-Hermite rule. */
const OUTER_NODES = 32;

function specOf(layer: Layer, key: 'kernelInitializer' | 'biasInitializer', dialect: Model['dialect']): InitializerSpec | null {
  const written = layer[key];
  if (written) return written.spec;
  const configKey = key === 'kernelInitializer' ? kernelKeyOf(layer.type) : 'biasInitializer';
  const alias = configKey === null ? undefined : defaultInitializers(layer.type, dialect)[configKey];
  return alias ? initializerSpecOf(alias, {}, dialect).spec : null;
}

/** E_μ[E_z φ(μ + √v z)²], E_μ[Var_z φ(μ + √v z)] for μ ~ N(0, c). */
function activationParts(activation: ActivationFunction, v: number, c: number): { second: number; variance: number } {
  const inner = gaussHermiteRule();
  const outer = gaussHermiteRule(OUTER_NODES);
  const s = Math.sqrt(Math.max(v, 0));
  const m = Math.sqrt(Math.max(c, 0));
  let second = 0;
  let variance = 0;
  // With no fixed part (c = 0: the first layer) every outer node gives the same inner sums: they are computed once
  // and summed over the outer nodes in the same order, so the result is the same to the last bit.
  if (m === 0) innerMoments(activation, 0, s, inner);
  for (let i = 0; i < outer.nodes.length; i++) {
    if (m !== 0) innerMoments(activation, m * outer.nodes[i], s, inner);
    const e1 = MOMENTS[0];
    const e2 = MOMENTS[1];
    second += outer.weights[i] * e2;
    variance += outer.weights[i] * Math.max(0, e2 - e1 * e1);
  }
  return { second, variance };
}

/** innerMoments' result (E_z φ, E_z φ²), kept in one buffer: the quadrature runs 32 times per layer. */
const MOMENTS = new Float64Array(2);

/** E_z φ(μ + s z) and E_z φ(μ + s z)² by the inner Gauss-Hermite rule, into MOMENTS. */
function innerMoments(activation: ActivationFunction, mu: number, s: number, inner: GaussHermiteRule): void {
  let e1 = 0;
  let e2 = 0;
  for (let j = 0; j < inner.nodes.length; j++) {
    const y = activation.phi(mu + s * inner.nodes[j]);
    e1 += inner.weights[j] * y;
    e2 += inner.weights[j] * y * y;
  }
  MOMENTS[0] = e1;
  MOMENTS[1] = e2;
}

/** One weight layer of a plain chain as the input share sees it: the activation that feeds it and what it multiplies by. */
export interface ShareStep {
  layer: Layer;
  /** The activation applied to the previous weight layer's output (null: none, or the model's input). */
  activation: ActivationFunction | null;
  /** fan_in · E[W²]: what the layer multiplies a second moment by (0 for a zero kernel). */
  gain: number;
  /** E[b²] the layer's bias adds. */
  biasMoment: number;
}

/**
 * The weight layers of a plain chain (every layer fed by the one before), read without any arithmetic on the signal.
 * `complete` is false when the chain stops being one the shares can follow (branches, a normalization layer, two
 * activations in a row, an unknown number): `steps` then ends before the layer that stopped it, and the shares are
 * null once they get there.
 */
export function shareSteps(model: Model): { steps: ShareStep[]; complete: boolean } {
  const steps: ShareStep[] = [];
  let activation: ActivationFunction | null = null;
  for (let index = 0; index < model.layers.length; index++) {
    const layer = model.layers[index];
    if (index > 0 && (layer.inbound.length > 1 || (layer.inbound.length === 1 && layer.inbound[0] !== model.layers[index - 1].id)))
      return { steps, complete: false };
    if (TRANSPARENT.has(layer.type)) continue;
    if (layer.type === 'activation') {
      if (activation !== null && layer.activation.name !== 'linear') return { steps, complete: false }; // two activations in a row: not modelled
      activation = layer.activation.name === 'linear' ? activation : activationOfAttr(layer.activation, model.dialect);
      if (activation === null && layer.activation.name !== 'linear') return { steps, complete: false };
      continue;
    }
    if (!WEIGHTED.has(layer.type) || layer.fanIn === null) return { steps, complete: false };
    const kernel = specOf(layer, 'kernelInitializer', model.dialect);
    if (kernel === null) return { steps, complete: false };
    const weightMoment = kernelSecondMoment(kernel, layer.fanIn, layer.fanOut, model.dialect);
    if (weightMoment === null || kernelMean(kernel, layer.fanIn, layer.fanOut) !== 0) return { steps, complete: false };
    const bias = layer.config.useBias === false ? null : specOf(layer, 'biasInitializer', model.dialect);
    const biasMoment = bias === null ? 0 : kernelSecondMoment(bias, layer.fanOut, layer.fanOut, model.dialect);
    if (biasMoment === null) return { steps, complete: false };
    // The activation that feeds this layer is the previous weight layer's own (or a following activation layer's).
    steps.push({ layer, activation, gain: layer.fanIn * weightMoment, biasMoment });
    const own = layer.activation.source === 'layer' ? null : layer.activation;
    activation = own === null || own.name === 'linear' ? null : activationOfAttr(own, model.dialect);
    if (own !== null && own.name !== 'linear' && activation === null) return { steps, complete: false };
  }
  return { steps, complete: true };
}

/**
 * The input share after each weight layer of a plain chain; null when the model is not such a chain, has a
 * normalization layer (it re-centres the fixed part), or any number is unknown (see shareSteps).
 * With `stopWhenLost`, the shares end at the first layer whose input-dependent part is exactly 0 (a zero kernel): a
 * caller that gives up on such a model anyway need not pay for the quadratures of the layers after it.
 */
export function inputShares(model: Model, stopWhenLost = false): LayerShare[] | null {
  return sharesOf(shareSteps(model), stopWhenLost);
}

/** inputShares on the chain shareSteps read. */
export function sharesOf({ steps, complete }: { steps: ShareStep[]; complete: boolean }, stopWhenLost = false): LayerShare[] | null {
  const shares: LayerShare[] = [];
  let v = 1;
  let c = 0;
  for (const { layer, activation, gain, biasMoment } of steps) {
    const parts = activation === null ? { second: v + c, variance: v } : activationParts(activation, v, c);
    const q = gain * parts.second + biasMoment;
    v = gain * parts.variance;
    c = Math.max(0, q - v);
    if (!Number.isFinite(q) || q <= 0) return null;
    shares.push({ layerId: layer.id, secondMoment: q, inputVariance: v, share: v / q, biasSecondMoment: biasMoment });
    if (stopWhenLost && v === 0) return shares;
  }
  return complete ? shares : null;
}
