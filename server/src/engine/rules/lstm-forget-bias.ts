// lstm-forget-bias: a TF.js LSTM starts with its forget gate half closed unless unitForgetBias is on.
import { activationFunction } from '../catalog/activations';
import { defaultRecurrentActivation } from '../catalog/layerDefaults';
import { activationIdOf } from '../catalog/names';
import { insertPropertyEdit, replaceFix } from '../fixes';
import { isUnknown } from '../ir';
import type { Fix } from '../types';
import type { Rule } from './rule';
import { describeLayer, fixTargetOf, formatNumber, headSpan } from './ruleSupport';

/** Sequence length the message compounds the forget gate over. */
const STEPS = 20;

/**
 * TF.js leaves `unitForgetBias` off (Keras turns it on), so the forget-gate bias starts at 0 and the gate at
 * recurrentActivation(0) = 0.5: the cell state halves every step. Jozefowicz et al. (2015) start it at 1.
 * Only the TF.js dialect is checked; an unresolvable value or a layer without bias is left alone.
 */
export const rule: Rule = {
  meta: {
    id: 'lstm-forget-bias',
    defaultSeverity: 'info',
    description: 'A TF.js LSTM without unitForgetBias: true starts with its forget gate at 0.5 and forgets quickly.',
    fixable: 'safe',
  },
  check(context) {
    const { model, text, language } = context;
    if (model.dialect !== 'tfjs') return;
    for (const layer of model.layers) {
      if (layer.type !== 'lstm') continue;
      const written = layer.config.unitForgetBias;
      if (written === true || isUnknown(written) || layer.config.useBias === false) continue;
      const recurrentName =
        typeof layer.config.recurrentActivation === 'string'
          ? activationIdOf(layer.config.recurrentActivation)
          : defaultRecurrentActivation('tfjs');
      const gate = recurrentName ? activationFunction(recurrentName, { dialect: 'tfjs' }) : null;
      const numbers = gate
        ? `its forget gate starts at ${recurrentName}(0) = ${formatNumber(gate.phi(0))}, so the cell state keeps ${formatNumber(Math.pow(gate.phi(0), STEPS))} of itself after ${STEPS} steps; with the bias at 1 the gate starts at ${formatNumber(gate.phi(1))} and keeps ${formatNumber(Math.pow(gate.phi(1), STEPS))}`
        : 'its forget gate starts half closed, so the cell state decays geometrically from the first step';
      const property = layer.properties.unitForgetBias;
      const target = fixTargetOf(context);
      let fix: Fix | null = null;
      if (property && written === false) {
        fix = replaceFix(`Set unitForgetBias to true for layer '${layer.name}'`, property.valueSpan, 'true');
      } else if (written === undefined) {
        const edit = insertPropertyEdit(target, layer, 'unitForgetBias', 'true');
        if (edit) fix = { title: `Add unitForgetBias: true to layer '${layer.name}'`, edits: [edit] };
      }
      context.report({
        message: `LSTM layer ${describeLayer(layer)} does not set unitForgetBias: true (TF.js defaults it off, Keras on): ${numbers}. Add unitForgetBias: true (Jozefowicz et al. 2015).`,
        span: property && written === false ? property.valueSpan : headSpan(text, layer.span, language),
        fix,
        layerId: layer.id,
      });
    }
  },
};
