// Realized weight statistics of every initializer spec for a kernel's fans, as TF.js, Keras or PyTorch draws them.
import type { Dialect, Distribution, FanMode, InitializerSpec } from '../ir';
import { TRUNCATED_VARIANCE_FACTOR } from './normal';

/** The n a variance-scaling initializer divides its scale by (both libraries clamp it at 1). */
export function varianceScalingDenominator(mode: FanMode, fanIn: number, fanOut: number): number {
  const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
  return Math.max(1, n);
}

/**
 * Realized variance of a variance-scaling draw relative to scale / n, per dialect:
 * - TF.js 'normal' calls truncatedNormal(0, sqrt(scale/n)) with no correction: the 2-std truncation leaves 0.774.
 * - TF.js 'truncatedNormal' (accepted by its config check) falls through to the uniform branch: exactly scale/n.
 * - Keras 'truncated_normal' (and 'normal', its alias) divides the std by 0.8796 first: exactly scale/n;
 *   'untruncated_normal' and 'uniform' are exact too.
 * - PyTorch: kaiming_* and xavier_* draw 'uniform' or 'untruncatedNormal' (no truncation): exactly scale/n.
 */
export function varianceScalingFactor(distribution: Distribution | null, dialect: Dialect): number | null {
  if (distribution === null) return null;
  if (dialect === 'tfjs' && distribution === 'normal') return TRUNCATED_VARIANCE_FACTOR;
  return 1;
}

/**
 * Share of a kernel's entries an identity initializer sets (to gain). A 2-D identity (TF.js, Keras, PyTorch eye_)
 * puts min(rows, cols) ones in rows x cols. PyTorch's dirac_ on a conv kernel puts one 1 per matched channel pair at
 * the kernel's centre: with receptive field k = fanOut / columns that is min(fanIn / k, columns) ones in
 * fanIn x columns entries. For k = 1 both are 1 / max(fanIn, columns).
 */
function identityShare(fanIn: number, fanOut: number | null, columns: number): number {
  const ratio = fanOut === null || columns <= 0 ? 1 : fanOut / columns;
  const receptive = Number.isInteger(ratio) && ratio >= 1 ? ratio : 1;
  return Math.min(fanIn / receptive, columns) / Math.max(1, fanIn * columns);
}

/**
 * Mean of the drawn weights; null when unknown. Orthogonal matrices have mean ~0; identity has gain times its share of
 * ones. `columns` is the kernel's output channels, as for kernelSecondMoment.
 */
export function kernelMean(
  spec: InitializerSpec,
  fanIn: number | null,
  fanOut: number | null,
  columns: number | null = fanOut,
): number | null {
  switch (spec.kind) {
    case 'zeros':
      return 0;
    case 'ones':
      return 1;
    case 'constant':
      return spec.value;
    case 'randomNormal':
    case 'truncatedNormal':
      return spec.mean;
    case 'randomUniform':
      return spec.minval === null || spec.maxval === null ? null : (spec.minval + spec.maxval) / 2;
    case 'varianceScaling':
    case 'orthogonal':
      return 0;
    case 'identity':
      if (spec.gain === null || fanIn === null || columns === null) return null;
      return spec.gain * identityShare(fanIn, fanOut, columns);
    case 'unknown':
      return null;
  }
}

/**
 * Second moment E[W^2] of the drawn weights for a kernel with these fans; null when not computable.
 * `columns` is the kernel's last dimension (output units / filters), used by orthogonal and identity, which
 * flatten the kernel to (prod(shape[:-1]) = fanIn) x columns; it defaults to fanOut (right for dense kernels).
 * A matrix with orthonormal columns or rows scaled by gain has Σ W^2 = gain^2 min(rows, cols), so E[W^2] = gain^2 / max(rows, cols).
 */
export function kernelSecondMoment(
  spec: InitializerSpec,
  fanIn: number | null,
  fanOut: number | null,
  dialect: Dialect,
  columns: number | null = fanOut,
): number | null {
  switch (spec.kind) {
    case 'zeros':
      return 0;
    case 'ones':
      return 1;
    case 'constant':
      return spec.value === null ? null : spec.value * spec.value;
    case 'randomNormal':
      return spec.mean === null || spec.stddev === null ? null : spec.stddev * spec.stddev + spec.mean * spec.mean;
    case 'truncatedNormal':
      return spec.mean === null || spec.stddev === null
        ? null
        : TRUNCATED_VARIANCE_FACTOR * spec.stddev * spec.stddev + spec.mean * spec.mean;
    case 'randomUniform': {
      if (spec.minval === null || spec.maxval === null) return null;
      const width = spec.maxval - spec.minval;
      const mean = (spec.maxval + spec.minval) / 2;
      return (width * width) / 12 + mean * mean;
    }
    case 'varianceScaling': {
      if (spec.scale === null || spec.mode === null || fanIn === null || fanOut === null) return null;
      const factor = varianceScalingFactor(spec.distribution, dialect);
      if (factor === null) return null;
      return (factor * spec.scale) / varianceScalingDenominator(spec.mode, fanIn, fanOut);
    }
    case 'orthogonal':
      if (spec.gain === null || fanIn === null || columns === null) return null;
      return (spec.gain * spec.gain) / Math.max(fanIn, columns, 1);
    case 'identity':
      if (spec.gain === null || fanIn === null || columns === null) return null;
      return spec.gain * spec.gain * identityShare(fanIn, fanOut, columns);
    case 'unknown':
      return null;
  }
}

/** Variance of the drawn weights (second moment around their mean) for a kernel with these fans; null when unknown. */
export function kernelVariance(
  spec: InitializerSpec,
  fanIn: number | null,
  fanOut: number | null,
  dialect: Dialect,
  columns: number | null = fanOut,
): number | null {
  const secondMoment = kernelSecondMoment(spec, fanIn, fanOut, dialect, columns);
  const mean = kernelMean(spec, fanIn, fanOut, columns);
  if (secondMoment === null || mean === null) return null;
  return Math.max(0, secondMoment - mean * mean);
}

/** True for initializers whose every entry is equal (symmetry is never broken). */
export function isConstantInitializer(spec: InitializerSpec): boolean {
  return spec.kind === 'zeros' || spec.kind === 'ones' || spec.kind === 'constant';
}

/** The parameters of an initializer that could not be read statically (stddev, scale, ...): a consumer then uses a default. */
export function unknownParametersOf(spec: InitializerSpec): string[] {
  return Object.entries(spec)
    .filter(([key, value]) => key !== 'kind' && value === null)
    .map(([key]) => key);
}
