// init-scale-mismatch: a fixed-scale kernel initializer ignores fan-in, so its per-layer gain is off for this layer.
import { initializerFix } from '../fixes';
import type { InitializerAttr } from '../ir';
import type { Rule } from './rule';
import {
  describeInitializer, describeLayer, fixTargetOf, formatNumber, idealKernelVariance, kernelVarianceOf,
  recommendedInitializer,
} from './ruleSupport';

/** Initializers whose scale does not follow the layer's fans: the written numbers are used as they are. */
function isFixedScale(attr: InitializerAttr): boolean {
  const spec = attr.spec;
  if (spec.kind === 'randomNormal' || spec.kind === 'truncatedNormal' || spec.kind === 'randomUniform') return true;
  // A varianceScaling that is not one of the named aliases carries a hand-picked scale.
  return spec.kind === 'varianceScaling' && attr.alias === 'varianceScaling';
}

/**
 * Compares Var(W) of a written fixed-scale kernel initializer with the Var(W) of the initializer the layer's
 * activation calls for (He for ReLU-like, LeCun for selu, Glorot otherwise), at this layer's fans. Their ratio is
 * the per-layer variance gain relative to a fan-in-aware init; over the model's fixed-scale layers the gains compound.
 * Embedding tables are skipped: a lookup has no fan-in sum for the scale to compensate.
 */
export const rule: Rule = {
  meta: {
    id: 'init-scale-mismatch',
    defaultSeverity: 'warning',
    description: 'A fixed-scale initializer (randomNormal, truncatedNormal, randomUniform, custom varianceScaling) is too small or too large for this fan-in and activation.',
    fixable: 'safe',
  },
  check(context) {
    const { model, thresholds } = context;
    const factor = thresholds.scaleMismatchFactor;
    const measured = model.layers.flatMap((layer) => {
      const attr = layer.kernelInitializer;
      if (!attr || !attr.explicit || !attr.valueSpan || layer.type === 'embedding' || !isFixedScale(attr) || layer.fanIn === null) return [];
      const variance = kernelVarianceOf(layer, attr.spec, model.dialect);
      const target = recommendedInitializer(layer, model.dialect);
      const ideal = idealKernelVariance(layer, model.dialect, target);
      if (variance === null || ideal === null || ideal === 0) return [];
      return [{ layer, attr, variance, target, ideal, gain: variance / ideal }];
    });
    // The gains compound over every fixed-scale layer of the model, flagged or not.
    const compound = measured.reduce((product, m) => product * m.gain, 1);
    for (const { layer, attr, variance, target, ideal, gain } of measured) {
      if (gain <= factor && gain >= 1 / factor) continue;
      const ratioText = gain < 1 ? `${formatNumber(1 / gain)}x too small` : `${formatNumber(gain)}x too large`;
      const compoundText = measured.length > 1
        ? `; the model's ${measured.length} fixed-scale layers compound to ${formatNumber(compound)}x the variance a fan-in-aware init keeps${compound < 1 ? ' (vanishing signal)' : compound > 1 ? ' (exploding signal)' : ''}`
        : '';
      const message = `Layer ${describeLayer(layer)} uses ${describeInitializer(attr)}, a scale that ignores fan-in: at fan-in ${layer.fanIn} it draws Var(W) = ${formatNumber(variance)}, `
        + `while ${layer.activation.name ?? 'its activation'} wants ${formatNumber(ideal)} (${target}), so this layer scales the signal variance by ${formatNumber(gain)} relative to ${target} (${ratioText}; threshold ${factor}x)${compoundText}. `
        + `Use ${target}, which scales with fan-in.`;
      context.report({
        message,
        span: attr.valueSpan!,
        fix: initializerFix(fixTargetOf(context), layer, attr, target, '(scales with fan-in)'),
        layerId: layer.id,
      });
    }
  },
};
