// Turns probe measurements into findings, with the dynamic detectors' thresholds (AUTOTRAINER, DeepDiagnosis, TheDeepChecker) as defaults.
import type { ProbeFinding } from '../../../common/src/probe';
import type { ProbeThresholds } from '../../../common/src/probeOptions';
import { formatNumber, formatPercent, type NumberFormatOptions } from '../../../common/src/numberFormat';
import { INPUT_SHARE_LIMIT } from '../engine/rules/input-signal-lost';

/** Default thresholds: the published numbers each ProbeThresholds field cites (AUTOTRAINER, DeepDiagnosis, TheDeepChecker), listed in the README's Probe section. */
export const DEFAULT_PROBE_THRESHOLDS: ProbeThresholds = {
  vanishingRatio: 1e-3,
  vanishingFirstGradient: 1e-4,
  explodingRatio: 70,
  explodingMeanAbsGradient: 1e6,
  explodingActivation: 1e6,
  deadFraction: 0.7,
  saturatedFraction: 0.5,
  symmetricFraction: 0.5,
  stalledImprovement: 1e-3,
  inputSensitivity: INPUT_SHARE_LIMIT,
};

/** What the findings are computed from. */
export interface FindingInput {
  /** Kernel-gradient norms of the first and last kernel layers at the first step. */
  firstGradient: number | null;
  lastGradient: number | null;
  firstLayer: string | null;
  lastLayer: string | null;
  layers: {
    name: string;
    maxMeanAbsGradient: number | null;
    maxAbsActivation: number | null;
    deadFraction: number | null;
    saturatedFraction: number | null;
    symmetricFraction: number | null;
  }[];
  loss: number[];
  /** Set when a loss, gradient or activation became NaN or infinite: where. */
  nonFinite: string | null;
  /** Variation across the batch's inputs, at the initial weights, of the representation entering the last kernel layer. */
  representationVariation?: { acrossInputs: number; squaredMean: number } | null;
  /** The layer whose output that representation is, and the kernel layer it enters. */
  representationLayer?: string | null;
  representationConsumer?: string | null;
}

/**
 * How a loss is shown: it moves in the third or fourth digit, so four significant digits (the cut-offs stay). A loss
 * is never missing, so NaN means the run blew up and is shown as such.
 */
export const LOSS_NUMBER_FORMAT: NumberFormatOptions = { digits: 4, missing: 'NaN' };

/** Computes the findings of one run; an empty list means healthy. */
export function computeFindings(input: FindingInput, thresholds: ProbeThresholds): ProbeFinding[] {
  const findings: ProbeFinding[] = [];
  if (input.nonFinite) {
    findings.push({ id: 'exploding', message: `Non-finite values: ${input.nonFinite}.` });
  }
  const { firstGradient, lastGradient } = input;
  if (firstGradient !== null && lastGradient !== null && lastGradient > 0 && input.firstLayer !== input.lastLayer) {
    const ratio = firstGradient / lastGradient;
    if (ratio < thresholds.vanishingRatio && firstGradient < thresholds.vanishingFirstGradient) {
      findings.push({
        id: 'vanishing',
        layer: input.firstLayer ?? undefined,
        message: `The first layer's kernel gradient (${formatNumber(firstGradient)}) is ${formatNumber(ratio)} of the last layer's (${formatNumber(lastGradient)}): below ${formatNumber(thresholds.vanishingRatio)} and under ${formatNumber(thresholds.vanishingFirstGradient)}.`,
      });
    } else if (ratio > thresholds.explodingRatio && !input.nonFinite) {
      findings.push({
        id: 'exploding',
        layer: input.firstLayer ?? undefined,
        message: `The first layer's kernel gradient (${formatNumber(firstGradient)}) is ${formatNumber(ratio)}x the last layer's (${formatNumber(lastGradient)}): above ${formatNumber(thresholds.explodingRatio)}.`,
      });
    }
  }
  if (!input.nonFinite && !findings.some((f) => f.id === 'exploding')) {
    const bigGradient = input.layers.find(
      (l) => l.maxMeanAbsGradient !== null && l.maxMeanAbsGradient > thresholds.explodingMeanAbsGradient,
    );
    const bigActivation = input.layers.find((l) => l.maxAbsActivation !== null && l.maxAbsActivation > thresholds.explodingActivation);
    if (bigGradient) {
      findings.push({
        id: 'exploding',
        layer: bigGradient.name,
        message: `Mean |gradient| of '${bigGradient.name}' reached ${formatNumber(bigGradient.maxMeanAbsGradient!)} (bound ${formatNumber(thresholds.explodingMeanAbsGradient)}).`,
      });
    } else if (bigActivation) {
      findings.push({
        id: 'exploding',
        layer: bigActivation.name,
        message: `Activations of '${bigActivation.name}' reached ${formatNumber(bigActivation.maxAbsActivation!)} in absolute value (bound ${formatNumber(thresholds.explodingActivation)}).`,
      });
    }
  }
  for (const layer of input.layers) {
    if (layer.deadFraction !== null && layer.deadFraction >= thresholds.deadFraction) {
      findings.push({
        id: 'dying-relu',
        layer: layer.name,
        message: `${formatPercent(layer.deadFraction)} of the ReLU units of '${layer.name}' were never active in the batch (threshold ${formatPercent(thresholds.deadFraction)}).`,
      });
    }
    if (layer.saturatedFraction !== null && layer.saturatedFraction > thresholds.saturatedFraction) {
      findings.push({
        id: 'saturated',
        layer: layer.name,
        message: `${formatPercent(layer.saturatedFraction)} of the inputs of '${layer.name}''s activation have |x| >= 5 (threshold ${formatPercent(thresholds.saturatedFraction)}).`,
      });
    }
    if (layer.symmetricFraction !== null && layer.symmetricFraction >= thresholds.symmetricFraction) {
      findings.push({
        id: 'symmetric',
        layer: layer.name,
        message: `${formatPercent(layer.symmetricFraction)} of the units of '${layer.name}' have the same weights as another unit after the steps: symmetry was never broken.`,
      });
    }
  }
  const variation = input.representationVariation;
  if (variation && !input.nonFinite && Number.isFinite(variation.acrossInputs) && Number.isFinite(variation.squaredMean)) {
    const secondMoment = variation.acrossInputs + variation.squaredMean;
    const share = secondMoment > 0 ? variation.acrossInputs / secondMoment : null;
    if (share !== null && share < thresholds.inputSensitivity) {
      findings.push({
        id: 'input-insensitive',
        ...(input.representationLayer ? { layer: input.representationLayer } : {}),
        message: `What enters the last layer${input.representationConsumer ? ` '${input.representationConsumer}'` : ''} barely depends on the input: its variance across the batch's inputs (${formatNumber(variation.acrossInputs)}) is ${formatNumber(share)} of its second moment (squared mean ${formatNumber(variation.squaredMean)}), below ${formatNumber(thresholds.inputSensitivity)}; the layers before it pass on their biases rather than the input, so the output no longer depends on it.`,
      });
    }
  }
  const loss = input.loss;
  if (loss.length >= 2 && !input.nonFinite) {
    const best = Math.min(...loss.slice(1));
    if (!(best < loss[0] * (1 - thresholds.stalledImprovement))) {
      findings.push({
        id: 'stalled',
        message: `The loss did not decrease over ${loss.length} steps (${formatNumber(loss[0], LOSS_NUMBER_FORMAT)} at the start, best ${formatNumber(best, LOSS_NUMBER_FORMAT)}).`,
      });
    }
  }
  return findings;
}
