// symmetric-init: a zeros/ones/constant kernel makes every unit of a layer start identical.
import { isConstantInitializer } from '../catalog/initializers';
import { initializerFix } from '../fixes';
import type { Layer } from '../ir';
import type { Rule } from './rule';
import {
  consumersOf,
  describeLayer,
  downstreamTrainable,
  endsResidualBranch,
  fixTargetOf,
  formatNumber,
  hasInitializer,
  idealKernelVariance,
  initializerWord,
  isTrainable,
  recommendedInitializer,
  RELU_FAMILY,
} from './ruleSupport';

const ID = 'symmetric-init';

function isConstantKernel(layer: Layer): boolean {
  const spec = layer.kernelInitializer?.spec;
  return spec !== undefined && isConstantInitializer(spec);
}

function isZeroValued(layer: Layer): boolean {
  const spec = layer.kernelInitializer?.spec;
  return spec?.kind === 'zeros' || (spec?.kind === 'constant' && spec.value === 0);
}

/**
 * Flags constant kernels on layers whose output feeds further trainable layers. The output layer is left
 * alone (nothing downstream depends on its units differing), and so is a zero kernel on the last layer of a
 * residual branch (Fixup / ReZero / SkipInit start the branch at zero on purpose: the skip path breaks the
 * symmetry). A non-zero constant there is reported as information only.
 */
export const rule: Rule = {
  meta: {
    id: ID,
    defaultSeverity: 'error',
    description: 'A zeros, ones or constant kernel makes all units of a layer compute the same thing.',
    fixable: 'safe',
  },
  check(context) {
    const { model } = context;
    const consumers = consumersOf(model);
    for (const layer of model.layers) {
      const attr = layer.kernelInitializer;
      if (!attr || !attr.explicit || !attr.valueSpan || !isTrainable(layer) || !isConstantKernel(layer)) continue;
      const residual = endsResidualBranch(model, layer, consumers);
      if (residual && isZeroValued(layer)) continue;
      const downstream = downstreamTrainable(model, layer, consumers);
      if (downstream.length === 0) continue;

      const activation = layer.activation.name;
      const target = recommendedInitializer(layer, model.dialect);
      const ideal = idealKernelVariance(layer, model.dialect, target);
      const units = layer.outputSize !== null ? `all ${layer.outputSize} units` : 'all its units';
      const deadRelu = isZeroValued(layer) && activation !== null && RELU_FAMILY.has(activation) && activation !== 'elu';
      const downstreamAllConstant = downstream.every(isConstantKernel);
      const why = deadRelu
        ? `every pre-activation is 0 and ${activation}'s gradient at 0 is 0, so this layer and the kernel after it receive zero gradient forever: the layer is dead`
        : downstreamAllConstant
          ? `${units} compute the same output and receive the same gradient, and the layers after it are constant too, so they stay identical forever: the layer trains as one unit`
          : `${units} start with the same output (Var(W) = 0 across units, a rank-one kernel), so the layer starts as one unit; they can only drift apart through the next layer's random weights`;
      const residualText = residual
        ? ` It ends a residual branch, so the skip path still carries distinct signals; a zeros kernel here would be the deliberate Fixup/ReZero start, a non-zero constant only adds the same value to every unit.`
        : '';
      const idealText = ideal !== null && layer.fanIn !== null ? ` (Var(W) = ${formatNumber(ideal)} at fan-in ${layer.fanIn})` : '';
      const message =
        `Layer ${describeLayer(layer)} ${hasInitializer(attr, 'kernel')} and feeds ${downstream.length} more trainable layer${downstream.length === 1 ? '' : 's'}: ${why}. ` +
        `${residualText.trimStart()}${residualText ? ' ' : ''}Use ${initializerWord(target, context)}${idealText} for its ${activation ?? 'unknown'} activation${residual ? ', or zeros' : ''}.`;
      const fix = initializerFix(fixTargetOf(context), layer, attr, target, '(breaks the symmetry)');
      context.report({
        message,
        span: attr.valueSpan,
        severity: residual ? 'info' : undefined,
        fix: residual ? null : fix,
        suggestions: residual && fix ? [fix] : [],
        layerId: layer.id,
      });
    }
  },
};
