// init-scale-mismatch: a fixed-scale kernel initializer ignores fan-in, so its per-layer gain is off for this layer.
import { initializerFix } from '../fixes';
import type { InitializerAttr } from '../ir';
import type { Rule } from './rule';
import { kernelSecondMoment } from '../catalog/initializers';
import { activationSecondMoment, idealGain, layerVarianceGain } from '../catalog/recommendations';
import {
  describeInitializer,
  describeLayer,
  fixTargetOf,
  formatBounded,
  formatNumber,
  initializerWord,
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
 * Compares the per-layer forward variance gain of a written fixed-scale kernel, fan_in · E[W²] · E[φ(z)²] (the
 * catalog's layerVarianceGain), with the gain the activation's recommended initializer gives (idealGain: 1 for
 * ReLU with He, E[tanh(z)²] = 0.394 for tanh with Glorot, ...). Their ratio is how far this layer moves the
 * signal variance off a fan-in-aware init; over the model's fixed-scale layers the ratios compound.
 * Embedding tables are skipped: a lookup has no fan-in sum for the scale to compensate.
 */
export const rule: Rule = {
  meta: {
    id: 'init-scale-mismatch',
    defaultSeverity: 'warning',
    description:
      'A fixed-scale initializer (randomNormal, truncatedNormal, randomUniform, custom varianceScaling) is too small or too large for this fan-in and activation.',
    fixable: 'safe',
  },
  check(context) {
    const { model, thresholds } = context;
    const factor = thresholds.scaleMismatchFactor;
    const dialect = model.dialect;
    const measured = model.layers.flatMap((layer) => {
      const attr = layer.kernelInitializer;
      if (!attr || !attr.explicit || !attr.valueSpan || layer.type === 'embedding' || !isFixedScale(attr) || layer.fanIn === null)
        return [];
      const options = { dialect, alpha: layer.activation.alpha };
      const activation = layer.activation.name;
      const gain = layerVarianceGain(attr.spec, layer.fanIn, layer.fanOut, activation, dialect, options);
      const ideal = idealGain(activation, options);
      const secondMoment = kernelSecondMoment(attr.spec, layer.fanIn, layer.fanOut, dialect);
      const kept = activationSecondMoment(activation ?? 'linear', options);
      if (gain === null || ideal === null || ideal === 0 || secondMoment === null || kept === null) return [];
      return [{ layer, attr, gain, ideal, secondMoment, kept, mismatch: gain / ideal }];
    });
    const compound = measured.reduce((product, m) => product * m.mismatch, 1);
    for (const { layer, attr, gain, ideal, secondMoment, kept, mismatch } of measured) {
      if (mismatch <= factor && mismatch >= 1 / factor) continue;
      const target = recommendedInitializer(layer, dialect);
      const activation = layer.activation.name ?? 'linear';
      const ratioText = mismatch < 1 ? `${formatBounded(1 / mismatch)}x too small` : `${formatBounded(mismatch)}x too large`;
      const compoundText =
        measured.length > 1
          ? `; the model's ${measured.length} fixed-scale layers compound to ${formatBounded(compound)}x the signal variance a fan-in-aware init keeps${compound < 1 ? ' (vanishing)' : ' (exploding)'}`
          : '';
      const message =
        `Layer ${describeLayer(layer)} uses ${describeInitializer(attr)}, a scale that ignores fan-in: at fan-in ${layer.fanIn} its per-layer variance gain is ` +
        `fan_in·E[W²]·E[${activation}(z)²] = ${layer.fanIn} × ${formatNumber(secondMoment)} × ${formatNumber(kept)} = ${formatNumber(gain)}, while ${initializerWord(target, context)} gives ${formatNumber(ideal)}: ` +
        `${ratioText} (threshold ${factor}x)${compoundText}. Use ${initializerWord(target, context)}, which scales with fan-in.`;
      context.report({
        message,
        span: attr.valueSpan!,
        fix: initializerFix(fixTargetOf(context), layer, attr, target, '(scales with fan-in)'),
        layerId: layer.id,
      });
    }
  },
};
