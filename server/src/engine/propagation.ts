// Mean-field signal propagation (placeholder until implemented).
import type { Model } from './ir';
import type { ModelSignal } from './types';

/** Predicts per-layer forward/backward scales and the first/last gradient ratio. */
export function propagate(_model: Model): ModelSignal {
  return { layers: [], predictedGradientRatio: null, notes: [] };
}
