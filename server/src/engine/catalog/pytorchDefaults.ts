// PyTorch's default initialization of each layer's parameters (what reset_parameters draws), as IR specs.
import type { InitializerSpec, LayerType } from '../ir';

/** Layers whose weight PyTorch draws with kaiming_uniform_(a=√5) and whose bias with U(±1/√fan_in). */
const KAIMING_A_SQRT5_LAYERS: LayerType[] = ['dense', 'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose'];

const RECURRENT_LAYERS: LayerType[] = ['lstm', 'gru', 'simpleRNN'];

/**
 * kaiming_uniform_(a=√5): gain² = 2 / (1 + 5) = 1/3, so U(±1/√fan_in) and Var(W) · fan_in = 1/3 (LeCun would be 1,
 * He 2). The fan is PyTorch's fan_in of the weight: weight.size(1) × kernel size, i.e. in_channels / groups × kernel
 * for a convolution, and out_channels / groups × kernel for a transposed one (its weight is [in, out/groups, *k]).
 */
const KAIMING_A_SQRT5: InitializerSpec = { kind: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' };

/** U(±bound), or null bounds when the bound is unknown. */
function symmetricUniform(bound: number | null): InitializerSpec {
  return bound === null ? { kind: 'randomUniform', minval: null, maxval: null } : { kind: 'randomUniform', minval: -bound, maxval: bound };
}

/** 1/√n for a known positive size, 0 for 0 (PyTorch's guard), null when unknown. */
function inverseSqrt(size: number | null | undefined): number | null {
  if (size === null || size === undefined || !(size >= 0)) return null;
  return size === 0 ? 0 : 1 / Math.sqrt(size);
}

/**
 * PyTorch's default init of one parameter of a layer, as the IR models it, by IR key: 'kernelInitializer',
 * 'biasInitializer', 'recurrentInitializer', 'embeddingsInitializer', 'gammaInitializer', 'betaInitializer' (and
 * BatchNorm's running statistics as 'movingMeanInitializer' / 'movingVarianceInitializer').
 * `fanIn` is PyTorch's fan_in of the WEIGHT (the bias bound uses it too, as PyTorch does); `hidden` is the hidden
 * size of a recurrent layer. Undefined when the layer type has no such parameter.
 *
 * Recurrent layers draw every weight and bias from U(±1/√hidden). PyTorch keeps TWO biases, b_ih and b_hh, that are
 * always added; the IR has one bias, so it is modelled as U(±√2/√hidden), which has the variance of that sum
 * (2 · 1/(3 hidden)). The sum itself is triangular, not uniform: its first two moments are what propagation reads.
 */
export function torchDefaultSpec(
  type: LayerType,
  key: string,
  dims: { fanIn: number | null; hidden?: number | null },
): InitializerSpec | undefined {
  if (KAIMING_A_SQRT5_LAYERS.includes(type)) {
    if (key === 'kernelInitializer') return KAIMING_A_SQRT5;
    if (key === 'biasInitializer') return symmetricUniform(inverseSqrt(dims.fanIn));
    return undefined;
  }
  if (RECURRENT_LAYERS.includes(type)) {
    const bound = inverseSqrt(dims.hidden);
    if (key === 'kernelInitializer' || key === 'recurrentInitializer') return symmetricUniform(bound);
    if (key === 'biasInitializer') return symmetricUniform(bound === null ? null : Math.SQRT2 * bound);
    return undefined;
  }
  switch (type) {
    // nn.Embedding: normal_(weight), N(0, 1) untruncated; a padding_idx row is then zeroed (one row of many).
    case 'embedding':
      return key === 'embeddingsInitializer' ? { kind: 'randomNormal', mean: 0, stddev: 1 } : undefined;
    case 'batchNormalization':
      if (key === 'movingMeanInitializer') return { kind: 'zeros' };
      if (key === 'movingVarianceInitializer') return { kind: 'ones' };
      return normAffine(key);
    case 'layerNormalization':
      return normAffine(key);
    default:
      return undefined;
  }
}

/** Norm layers' affine parameters: weight (gamma) ones_, bias (beta) zeros_. */
function normAffine(key: string): InitializerSpec | undefined {
  if (key === 'gammaInitializer') return { kind: 'ones' };
  if (key === 'betaInitializer') return { kind: 'zeros' };
  return undefined;
}

/**
 * PyTorch's fans of a layer's weight (init._calculate_fan_in_and_fan_out): weight.size(1) and weight.size(0), each
 * times the kernel size. Linear's weight is [out, in]; a convolution's [out, in / groups, *k]; a transposed
 * convolution's [in, out / groups, *k], so its fan_in counts OUTPUT channels. Null entries where a size is unknown.
 */
export function torchKernelFans(
  type: LayerType,
  dims: { inChannels: number | null; outChannels: number | null; kernelSize?: (number | null)[]; groups?: number | null },
): { fanIn: number | null; fanOut: number | null } {
  let receptive: number | null = 1;
  for (const size of dims.kernelSize ?? []) receptive = receptive === null || size === null ? null : receptive * size;
  const groups = dims.groups === undefined ? 1 : dims.groups;
  const times = (...factors: (number | null)[]): number | null =>
    factors.includes(null) ? null : (factors as number[]).reduce((a, b) => a * b, 1);
  const perGroup = (channels: number | null): number | null => (channels === null || groups === null ? null : channels / groups);
  if (type === 'conv2dTranspose') return { fanIn: times(perGroup(dims.outChannels), receptive), fanOut: times(dims.inChannels, receptive) };
  return { fanIn: times(perGroup(dims.inChannels), receptive), fanOut: times(dims.outChannels, receptive) };
}

/**
 * The parameters of nn.MultiheadAttention: the stacked [3·embed, embed] input projection (or separate q/k/v
 * projections when kdim / vdim differ from embed_dim), its bias, the output projection (an nn.Linear), and the
 * optional bias_k / bias_v of add_bias_kv.
 */
export type TorchAttentionParameter =
  'inProjWeight' | 'qProjWeight' | 'kProjWeight' | 'vProjWeight' | 'inProjBias' | 'outProjWeight' | 'outProjBias' | 'biasK' | 'biasV';

/**
 * PyTorch's default init of an nn.MultiheadAttention parameter. The projections get xavier_uniform_, whose fans are
 * those of the tensor it is applied to: for the stacked in_proj_weight [3E, E] that is fan_in E, fan_out 3E, so each
 * of q, k, v gets Var = 1/(2E), not the 1/E of a square Glorot matrix. Both biases are set to 0 (out_proj's Linear
 * default is overwritten); out_proj.weight keeps nn.Linear's kaiming_uniform_(a=√5). bias_k / bias_v, shaped
 * [1, 1, E], get xavier_normal_ with fans E and E.
 */
export function torchAttentionDefaultSpec(parameter: TorchAttentionParameter): InitializerSpec {
  switch (parameter) {
    case 'inProjWeight':
    case 'qProjWeight':
    case 'kProjWeight':
    case 'vProjWeight':
      return { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'uniform' };
    case 'inProjBias':
    case 'outProjBias':
      return { kind: 'zeros' };
    case 'outProjWeight':
      return KAIMING_A_SQRT5;
    case 'biasK':
    case 'biasV':
      return { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'untruncatedNormal' };
  }
}
