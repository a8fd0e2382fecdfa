// vanishing-gradient-predicted: mean-field propagation predicts the first layer's gradient far below the last one's.
import { checkGradientRatio } from './gradientHealth';
import type { Rule } from './rule';

/** Fires when signal.predictedGradientRatio < thresholds.vanishingRatio (default 1e-3); suggests relu + heNormal for hidden saturating layers. */
export const rule: Rule = {
  meta: {
    id: 'vanishing-gradient-predicted',
    defaultSeverity: 'warning',
    description: 'The predicted first/last kernel-gradient ratio at initialization is below the vanishing threshold.',
    fixable: 'suggestion',
  },
  check(context) {
    checkGradientRatio(context, 'vanishing');
  },
};
