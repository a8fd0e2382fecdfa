// recurrent-init: a recurrent kernel that is not orthogonal spreads its singular values over time steps.
import { initializerFix } from '../fixes';
import type { Rule } from './rule';
import { describeLayer, fixTargetOf, formatBounded, formatNumber, hasInitializer, unitsPerDirection } from './ruleSupport';
import { kernelVariance } from '../catalog/initializers';
import { recurrentGateCount } from '../catalog/layerDefaults';

/**
 * The recurrent kernel multiplies the hidden state once per time step. An orthogonal matrix keeps every
 * singular value at 1 (Saxe et al. 2013); a random units x units block with Var(W) = v scales the state's
 * squared norm by units*v on average and spreads its singular values over [0, 2*sqrt(units*v)], so some
 * directions shrink and others grow geometrically with sequence length. Identity is norm-preserving too
 * (IRNN, Le et al. 2015) and is not flagged.
 */
export const rule: Rule = {
  meta: {
    id: 'recurrent-init',
    defaultSeverity: 'info',
    description: 'A recurrent kernel that is not orthogonal: its gain compounds over time steps.',
    fixable: 'safe',
  },
  check(context) {
    const { model } = context;
    for (const layer of model.layers) {
      const attr = layer.recurrentInitializer;
      // The recurrent kernel is [units, gates * units].
      const gates = recurrentGateCount(layer.type);
      if (!attr || !gates || !attr.explicit || !attr.valueSpan) continue;
      const kind = attr.spec.kind;
      if (kind === 'orthogonal' || kind === 'identity' || kind === 'unknown') continue;
      // Units per direction: a Bidirectional layer's output concatenates two directions, each with its own kernels.
      const units = unitsPerDirection(layer);
      const variance = units !== null ? kernelVariance(attr.spec, units, gates * units, model.dialect, gates * units) : null;
      const numbers =
        units !== null && variance !== null
          ? `each ${units}x${units} gate block has Var(W) = ${formatNumber(variance)}, so one step scales the hidden state's squared norm by ${formatNumber(units * variance)} on average and spreads the singular values over [0, ${formatNumber(2 * Math.sqrt(units * variance))}]; over 50 steps the average alone becomes ${formatBounded(Math.pow(units * variance, 50))}`
          : 'its singular values are spread instead of all equal to 1, so some directions of the hidden state shrink and others grow geometrically with sequence length';
      context.report({
        message: `Layer ${describeLayer(layer)} ${hasInitializer(attr, 'recurrent kernel')}: it is applied once per time step and ${numbers}. Use orthogonal, which keeps every singular value at 1.`,
        span: attr.valueSpan,
        fix: initializerFix(fixTargetOf(context), layer, attr, 'orthogonal', '(norm-preserving over time)'),
        layerId: layer.id,
      });
    }
  },
};
