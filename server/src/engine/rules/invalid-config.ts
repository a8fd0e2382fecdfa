// invalid-config: a config value no library accepts (negative units, a dropout rate of 1, a negative stddev, NaN).
import type { Layer } from '../ir';
import type { Rule } from './rule';
import { describeLayer } from './ruleSupport';

/**
 * TF.js and Keras reject these values when the layer is built (or build a layer that cannot train), so they are
 * configuration errors, not inputs to the mean-field prediction: configChecks.ts recorded them on the layer and
 * replaced them by unknowns before propagation, and this rule reports each one with the field's allowed range.
 */
export const rule: Rule = {
  meta: {
    id: 'invalid-config',
    defaultSeverity: 'error',
    description: 'A layer or initializer config value outside the range the library accepts (units, rate, stddev, ...).',
    fixable: false,
  },
  check(context) {
    const visit = (layers: Layer[]): void => {
      for (const layer of layers) {
        for (const invalid of layer.invalidValues ?? []) {
          context.report({
            message: `Layer ${describeLayer(layer)}: ${invalid.message}. The library rejects this value or builds a layer that cannot train; the predictions for this layer and after it are left unknown until it is fixed.`,
            span: invalid.span,
            fix: null,
            layerId: layer.id,
          });
        }
        if (layer.inner) visit(layer.inner.layers);
      }
    };
    visit(context.model.layers);
  },
};
