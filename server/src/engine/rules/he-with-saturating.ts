// he-with-saturating: He kernels before tanh/sigmoid-like activations push pre-activations into the flat tails.
import { initializerFix } from '../fixes';
import type { Rule } from './rule';
import {
  describeInitializer,
  describeLayer,
  fixTargetOf,
  flatRegionStart,
  formatNumber,
  formatPercent,
  initializerSpan,
  initializerWord,
  isHe,
  isUniform,
  kernelVarianceOf,
  SATURATING,
  shareBeyond,
  specOfAlias,
} from './ruleSupport';

/**
 * He doubles fan_in Var(W) to 2 to make up for ReLU discarding half the signal. A saturating activation
 * discards nothing, so the pre-activation variance doubles (for unit-variance inputs) and more of it lands
 * where the activation is flat. The message gives that share under He and under Glorot for this layer.
 */
export const rule: Rule = {
  meta: {
    id: 'he-with-saturating',
    defaultSeverity: 'warning',
    description: 'He/Kaiming kernel before tanh, sigmoid, hardSigmoid or softsign: pre-activations land in the flat tails.',
    fixable: 'safe',
  },
  check(context) {
    const { model } = context;
    for (const layer of model.layers) {
      const attr = layer.kernelInitializer;
      const activation = layer.activation.name;
      if (!attr || activation === null || !SATURATING.has(activation) || !isHe(attr)) continue;
      const glorot = isUniform(attr) ? 'glorotUniform' : 'glorotNormal';
      const lecun = isUniform(attr) ? 'leCunUniform' : 'leCunNormal';
      const heVariance = kernelVarianceOf(layer, attr.spec, model.dialect);
      const glorotVariance = kernelVarianceOf(layer, specOfAlias(glorot), model.dialect);
      const flat = flatRegionStart(layer, model.dialect);
      let numbers: string;
      if (heVariance !== null && glorotVariance !== null && layer.fanIn !== null && flat !== null) {
        const qHe = layer.fanIn * heVariance;
        const qGlorot = layer.fanIn * glorotVariance;
        numbers =
          `at fan-in ${layer.fanIn} it gives unit-variance inputs a pre-activation variance of ${formatNumber(qHe)} (Glorot: ${formatNumber(qGlorot)}), ` +
          `so ${formatPercent(shareBeyond(flat, qHe))} of them fall where ${activation}'s slope is under a tenth of its peak (|x| > ${formatNumber(flat)}), against ${formatPercent(shareBeyond(flat, qGlorot))} with Glorot`;
      } else {
        numbers = `it doubles fan_in·Var(W) to 2, twice what ${activation} needs, so more pre-activations land in its flat tails where the gradient vanishes`;
      }
      const message =
        `Layer ${describeLayer(layer)} uses ${describeInitializer(attr)} before ${activation}: He init is sized for ReLU, which drops half the signal; ${activation} drops none, so ${numbers}. ` +
        `Use ${initializerWord(glorot, context)} (or ${initializerWord(lecun, context)}) for ${activation} layers.`;
      const target = fixTargetOf(context);
      const suggestion = initializerFix(target, layer, attr, lecun, '(LeCun: Var(W) = 1/fan_in)');
      context.report({
        message,
        span: initializerSpan(context, layer, attr),
        fix: initializerFix(target, layer, attr, glorot, '(Glorot suits saturating activations)'),
        suggestions: suggestion ? [suggestion] : [],
        layerId: layer.id,
      });
    }
  },
};
