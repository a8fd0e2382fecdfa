// The one-word health verdict of a model's predicted gradient flow, shared by the CLI summary and the code lens.
import type { ModelSignal, Thresholds } from './types';

/** healthy / vanishing / exploding by the ratio; 'no gradient' when a zero signal blocks it; 'unknown' otherwise. */
export type GradientVerdict = 'healthy' | 'vanishing' | 'exploding' | 'no gradient' | 'unknown';

/** Verdict of a model's predicted first/last kernel-gradient ratio against the thresholds. */
export function gradientVerdict(signal: ModelSignal, thresholds: Pick<Thresholds, 'vanishingRatio' | 'explodingRatio'>): GradientVerdict {
  const ratio = signal.predictedGradientRatio;
  if (ratio === null || Number.isNaN(ratio)) return signal.gradientBlocked ? 'no gradient' : 'unknown';
  if (ratio < thresholds.vanishingRatio) return 'vanishing';
  if (ratio > thresholds.explodingRatio) return 'exploding';
  return 'healthy';
}
