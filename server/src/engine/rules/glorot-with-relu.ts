// glorot-with-relu: Glorot/Xavier kernels before ReLU-family activations shrink the signal at every layer.
import { initializerFix } from '../fixes';
import type { Layer } from '../ir';
import type { Rule } from './rule';
import {
  describeInitializer,
  describeLayer,
  fixTargetOf,
  formatNumber,
  idealKernelVariance,
  initializerSpan,
  initializerWord,
  isGlorot,
  isUniform,
  kernelVarianceOf,
  RELU_FAMILY,
} from './ruleSupport';

/**
 * A library-default Glorot is reported (as information) only when the default-Glorot ReLU layers of the model
 * compound to a forward variance below this share of what He init would keep: 1/4 = two halvings, i.e. about
 * three square layers deep.
 */
export const DEFAULT_GLOROT_COMPOUND_LIMIT = 0.25;

interface Finding {
  layer: Layer;
  /** Var(W) of Glorot over Var(W) of He for this layer's fans: the per-layer forward variance gain relative to He. */
  gain: number | null;
}

/**
 * With ReLU the mean-field forward recursion is q_{l+1} = fan_in Var(W) q_l / 2, so He (Var(W) = 2/fan_in)
 * keeps q and Glorot (2/(fan_in+fan_out)) multiplies it by fan_in/(fan_in+fan_out) per layer: one half for
 * a square layer. Written Glorot is a warning; a library default is reported only where it compounds.
 */
export const rule: Rule = {
  meta: {
    id: 'glorot-with-relu',
    defaultSeverity: 'warning',
    description: 'Glorot/Xavier kernel before a ReLU-family activation: the signal variance shrinks at every layer.',
    fixable: 'safe',
  },
  check(context) {
    const { model } = context;
    const findings: Finding[] = [];
    for (const layer of model.layers) {
      const attr = layer.kernelInitializer;
      const activation = layer.activation.name;
      if (!attr || activation === null || !RELU_FAMILY.has(activation) || !isGlorot(attr)) continue;
      const he = isUniform(attr) ? 'heUniform' : 'heNormal';
      const glorotVariance = kernelVarianceOf(layer, attr.spec, model.dialect);
      const heVariance = idealKernelVariance(layer, model.dialect, he);
      const gain = glorotVariance !== null && heVariance ? glorotVariance / heVariance : null;
      findings.push({ layer, gain });
    }
    const defaults = findings.filter((f) => !f.layer.kernelInitializer!.explicit);
    // Defaults only count when every default layer's gain is known: no finding built on a guess.
    const defaultCompound =
      defaults.length > 0 && defaults.every((f) => f.gain !== null) ? defaults.reduce((product, f) => product * f.gain!, 1) : null;
    const reluDepth = findings.length;
    const allCompound = findings.every((f) => f.gain !== null) ? findings.reduce((product, f) => product * f.gain!, 1) : null;

    for (const { layer, gain } of findings) {
      const attr = layer.kernelInitializer!;
      if (!attr.explicit && (defaultCompound === null || defaultCompound >= DEFAULT_GLOROT_COMPOUND_LIMIT)) continue;
      const he = isUniform(attr) ? 'heUniform' : 'heNormal';
      const activation = layer.activation.name!;
      const perLayer =
        gain !== null && layer.fanIn !== null && layer.fanOut !== null
          ? `at fan-in ${layer.fanIn} and fan-out ${layer.fanOut} it keeps ${formatNumber(gain)} of the signal variance per layer (fan_in/(fan_in+fan_out); He keeps 1)`
          : `it keeps about half of the signal variance per layer for a square layer (He keeps all of it)`;
      const compound = attr.explicit
        ? allCompound !== null && reluDepth > 1
          ? `; over the model's ${reluDepth} Glorot+ReLU layers that compounds to ${formatNumber(allCompound)}`
          : ''
        : `; the model's ${defaults.length} default-Glorot ReLU layers compound to ${formatNumber(defaultCompound!)}, below ${DEFAULT_GLOROT_COMPOUND_LIMIT}`;
      const message =
        `Layer ${describeLayer(layer)} uses ${describeInitializer(attr)} before ${activation}: ${activation} zeroes about half of its input, so ${perLayer}${compound}. ` +
        `Use ${initializerWord(he, context)} (Var(W) = 2/fan_in) for ReLU-family layers.`;
      context.report({
        message,
        span: initializerSpan(context, layer, attr),
        severity: attr.explicit ? undefined : 'info',
        fix: initializerFix(fixTargetOf(context), layer, attr, he, '(He init keeps the ReLU signal scale)'),
        layerId: layer.id,
      });
    }
  },
};
