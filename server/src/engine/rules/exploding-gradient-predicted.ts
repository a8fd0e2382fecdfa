// exploding-gradient-predicted: mean-field propagation predicts the first layer's gradient far above the last one's.
import { checkGradientRatio } from './gradientHealth';
import type { Rule } from './rule';

/** Fires when signal.predictedGradientRatio > thresholds.explodingRatio (default 1e3). */
export const rule: Rule = {
  meta: {
    id: 'exploding-gradient-predicted',
    defaultSeverity: 'warning',
    description: 'The predicted first/last kernel-gradient ratio at initialization is above the exploding threshold.',
    fixable: false,
  },
  check(context) {
    checkGradientRatio(context, 'exploding');
  },
};
