// Which kernel initializer fits an activation, and the per-layer variance gain the scale rules compare with its ideal.
import type { Dialect, InitializerSpec } from '../ir';
import { GLOROT_FAMILY, RELU_FAMILY, SELF_NORMALIZING } from './activationFamilies';
import { activationFunction, type ActivationOptions } from './activations';
import { kernelSecondMoment } from './initializers';
import type { InitializerId } from './names';
import { VARIANCE_SCALING_ALIASES } from './names';
import { gaussianExpectation, gaussianSecondMoment } from './quadrature';
import { formatNumber } from '../../../../common/src/numberFormat';

/** E_z[phi(z)^2] for z ~ N(0, 1): how much of a unit-variance pre-activation's second moment the activation keeps. */
export function activationSecondMoment(activation: string, options: ActivationOptions = {}): number | null {
  const fn = activationFunction(activation, options);
  return fn === null ? null : gaussianSecondMoment(fn.phi, 1);
}

/** E_z[phi'(z)^2] for z ~ N(0, 1): the activation's factor in the backward gain at unit-variance pre-activations. */
export function activationDerivativeMoment(activation: string, options: ActivationOptions = {}): number | null {
  const fn = activationFunction(activation, options);
  return fn === null ? null : gaussianExpectation((x) => fn.derivative(x) * fn.derivative(x), 1);
}

/**
 * Per-layer forward variance gain: fanIn * E[W^2] * E_z[phi(z)^2], the factor by which the second moment of
 * the pre-activations grows from one layer to the next in a stack of such layers, for unit-variance
 * pre-activations (z ~ N(0, 1)). null when the initializer, fans or activation are unknown.
 * ReLU with He gives exactly 1; ReLU with Glorot at equal fans 0.5; a fixed std 0.05 at fan-in 64 before ReLU 0.08.
 */
export function layerVarianceGain(
  spec: InitializerSpec,
  fanIn: number | null,
  fanOut: number | null,
  activation: string | null,
  dialect: Dialect,
  options: ActivationOptions = {},
): number | null {
  const secondMoment = kernelSecondMoment(spec, fanIn, fanOut, dialect);
  if (secondMoment === null || fanIn === null) return null;
  const kept = activationSecondMoment(activation ?? 'linear', { dialect, ...options });
  return kept === null ? null : fanIn * secondMoment * kept;
}

/**
 * The gain the recommended initializer gives for this activation (exact variance scale / n, equal fans, so
 * independent of the width): 1 for the relu family with He and for selu with LeCun, E[tanh(z)^2] = 0.394 for
 * tanh with Glorot, and so on. A layer is off by gain / idealGain; init-scale-mismatch flags a factor above 4.
 * null when the activation is unknown.
 */
export function idealGain(activation: string | null, options: ActivationOptions = {}): number | null {
  const recommended = recommendedKernelInitializer(activation, options).alias;
  const { scale } = VARIANCE_SCALING_ALIASES[recommended];
  const kept = activationSecondMoment(activation ?? 'linear', options);
  return kept === null ? null : scale * kept;
}

/** How far a layer's gain is from the ideal: gain / idealGain (1 = ideal; 0.1 and 10 are equally bad). */
export function gainMismatch(
  spec: InitializerSpec,
  fanIn: number | null,
  fanOut: number | null,
  activation: string | null,
  dialect: Dialect,
  options: ActivationOptions = {},
): number | null {
  const gain = layerVarianceGain(spec, fanIn, fanOut, activation, dialect, options);
  const ideal = idealGain(activation, { dialect, ...options });
  return gain === null || ideal === null || ideal === 0 ? null : gain / ideal;
}

/** Criticality chi = scale * E[phi'(z)^2] of a variance-scaling (fan-in) init at unit-variance pre-activations. */
function criticality(activation: string, scale: number, options: ActivationOptions): number | null {
  const moment = activationDerivativeMoment(activation, options);
  return moment === null ? null : scale * moment;
}

const recommendationCache = new Map<string, { alias: InitializerId; reason: string }>();

/**
 * The kernel initializer to recommend before an activation (null = no activation), with the reason in words.
 * Pairings from the literature for the classic activations; for smooth relu-like ones (swish, gelu, mish,
 * softplus) the one of He and LeCun whose backward gain chi = scale * E[phi'(z)^2] is closer to 1 (in log).
 */
export function recommendedKernelInitializer(
  activation: string | null,
  options: ActivationOptions = {},
): { alias: InitializerId; reason: string } {
  const name = activation ?? 'linear';
  const key = `${name}:${options.alpha ?? ''}:${options.dialect ?? ''}`;
  const cached = recommendationCache.get(key);
  if (cached) return cached;
  let result: { alias: InitializerId; reason: string };
  if (RELU_FAMILY.has(name)) {
    result = {
      alias: 'heNormal',
      reason: `${name} zeroes (or shrinks) the negative half of the signal: He (scale 2 / fan-in) keeps the variance per layer, Glorot/LeCun halve it`,
    };
  } else if (SELF_NORMALIZING.has(name)) {
    result = {
      alias: 'leCunNormal',
      reason: 'selu self-normalizes (fixed point mean 0, variance 1) only with Var(W) = 1 / fan-in: LeCun normal',
    };
  } else if (GLOROT_FAMILY.has(name)) {
    result = {
      alias: 'glorotNormal',
      reason:
        name === 'linear' || name === 'softmax'
          ? 'a linear map keeps the variance with Var(W) ≈ 1 / fan (Glorot balances the forward and backward passes)'
          : `${name} has slope ≤ 1 around 0 and saturates: Glorot/LeCun keep it in its linear range, He pushes it into saturation`,
    };
  } else {
    const he = criticality(name, 2, options);
    const lecun = criticality(name, 1, options);
    if (he === null || lecun === null) {
      result = { alias: 'glorotNormal', reason: `activation '${name}' is unknown: the neutral Glorot default` };
    } else {
      const pickHe = Math.abs(Math.log(he)) <= Math.abs(Math.log(lecun));
      result = {
        alias: pickHe ? 'heNormal' : 'leCunNormal',
        reason: `for ${name} the backward gain per layer is ${formatNumber(he)} with He and ${formatNumber(lecun)} with LeCun; ${pickHe ? 'He' : 'LeCun'} is closer to 1`,
      };
    }
  }
  recommendationCache.set(key, result);
  return result;
}
