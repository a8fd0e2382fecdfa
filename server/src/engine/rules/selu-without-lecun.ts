// selu-without-lecun: SELU self-normalizes only with LeCun-normal kernels, and only with AlphaDropout.
import { initializerFix, replaceFix } from '../fixes';
import type { InitializerAttr, Layer, Model } from '../ir';
import type { Rule, RuleContext } from './rule';
import {
  describeInitializer,
  describeLayer,
  fixTargetOf,
  formatNumber,
  formatPercent,
  headSpan,
  idealKernelVariance,
  inboundOf,
  initializerSpan,
  initializerWord,
  kernelVarianceOf,
} from './ruleSupport';

/** LeCun normal: Var(W) = 1/fan_in with a normal draw (plain or truncated). */
function isLeCunNormal(attr: InitializerAttr): boolean {
  const spec = attr.spec;
  return (
    spec.kind === 'varianceScaling' &&
    spec.scale === 1 &&
    spec.mode === 'fanIn' &&
    spec.distribution !== 'uniform' &&
    spec.distribution !== null
  );
}

/** Layers a dropout may sit behind without changing which activation feeds it. */
const TRANSPARENT: ReadonlySet<string> = new Set(['flatten', 'reshape', 'dropout', 'alphaDropout']);

/** The layer whose activation feeds layer `index`, looking through flatten/reshape/dropout; null when ambiguous. */
function feedingLayer(model: Model, index: number): Layer | null {
  const byId = new Map(model.layers.map((layer, i) => [layer.id, i] as const));
  let current = index;
  for (let steps = 0; steps < model.layers.length; steps++) {
    const inbound = inboundOf(model, current);
    if (inbound.length !== 1) return null;
    const next = byId.get(inbound[0]);
    if (next === undefined) return null;
    if (!TRANSPARENT.has(model.layers[next].type)) return model.layers[next];
    current = next;
  }
  return null;
}

function checkKernels(context: RuleContext): void {
  const { model } = context;
  for (const layer of model.layers) {
    const attr = layer.kernelInitializer;
    if (!attr || layer.activation.name !== 'selu' || attr.spec.kind === 'unknown' || isLeCunNormal(attr)) continue;
    const variance = kernelVarianceOf(layer, attr.spec, model.dialect);
    const lecun = idealKernelVariance(layer, model.dialect, 'leCunNormal');
    let numbers: string;
    if (variance !== null && layer.fanIn !== null && lecun !== null && lecun > 0) {
      const ratio = variance / lecun;
      const written = `it gives fan_in·Var(W) = ${formatNumber(layer.fanIn * variance)} at fan-in ${layer.fanIn} (${initializerWord('leCunNormal', context)}: ${formatNumber(layer.fanIn * lecun)})`;
      numbers =
        Math.abs(ratio - 1) < 0.01
          ? `${written}: equal here only because this layer's fans make it so, and it changes with any other width or draw, so write the scale SELU's fixed point (mean 0, variance 1) is derived for`
          : `${written}, ${formatNumber(ratio)}x the variance SELU's fixed point (mean 0, variance 1) is derived for, at every layer, so the activations drift instead of settling`;
    } else {
      numbers = `SELU's fixed point (mean 0, variance 1) needs fan_in·Var(W) = 1 with a normal draw, and this initializer does not give that`;
    }
    context.report({
      message: `Layer ${describeLayer(layer)} uses ${describeInitializer(attr)} before selu: ${numbers}. Use ${initializerWord('leCunNormal', context)} (Var(W) = 1/fan_in), which self-normalization assumes.`,
      span: initializerSpan(context, layer, attr),
      fix: initializerFix(fixTargetOf(context), layer, attr, 'leCunNormal', '(SELU self-normalization)'),
      layerId: layer.id,
    });
  }
}

function checkDropouts(context: RuleContext): void {
  const { model, text, language } = context;
  model.layers.forEach((layer, index) => {
    // Only plain Dropout: spatial dropout variants map to the same IR type but have no alpha counterpart.
    const plainName = layer.className.slice(layer.className.lastIndexOf('.') + 1).toLowerCase();
    if (layer.type !== 'dropout' || plainName !== 'dropout') return;
    const feeding = feedingLayer(model, index);
    if (!feeding || feeding.activation.name !== 'selu') return;
    const head = headSpan(text, layer.span, language);
    const headText = text.slice(head.start, head.end);
    let fix = null;
    if (language === 'typescript' && /(^|\.)dropout$/.test(headText)) {
      fix = replaceFix(
        `Use alphaDropout for layer '${layer.name}' (keeps SELU's mean and variance)`,
        { start: head.end - 'dropout'.length, end: head.end },
        'alphaDropout',
      );
    } else if (language === 'python' && /(^|\.)Dropout$/.test(headText)) {
      fix = replaceFix(
        `Use AlphaDropout for layer '${layer.name}' (keeps SELU's mean and variance)`,
        { start: head.end - 'Dropout'.length, end: head.end },
        'AlphaDropout',
      );
    } else if (language === 'json' && headText === '"Dropout"') {
      fix = replaceFix(`Use AlphaDropout for layer '${layer.name}' (keeps SELU's mean and variance)`, head, '"AlphaDropout"');
    }
    const rate = typeof layer.config.rate === 'number' ? layer.config.rate : null;
    const numbers =
      rate !== null
        ? `at rate ${rate} it sets ${formatPercent(rate)} of the units to 0 and scales the rest by ${formatNumber(1 / (1 - rate))}, which raises the variance by that factor and moves the mean away from 0, so the next selu layers start off their fixed point`
        : `it sets units to 0 (not to SELU's negative saturation value) and rescales the rest, which moves the mean and variance off SELU's fixed point`;
    context.report({
      message: `Layer ${describeLayer(layer)} applies plain dropout after the selu layer '${feeding.name}': ${numbers}. Use ${language === 'python' ? (model.dialect === 'pytorch' ? 'nn.AlphaDropout' : 'AlphaDropout') : 'alphaDropout'}, which drops to -λα and rescales so mean 0 and variance 1 are kept.`,
      span: head,
      fix,
      layerId: layer.id,
    });
  });
}

/** Flags selu layers whose kernel is not LeCun normal, and plain Dropout placed after a selu layer. */
export const rule: Rule = {
  meta: {
    id: 'selu-without-lecun',
    defaultSeverity: 'warning',
    description: 'SELU without LeCun-normal kernels (or with plain Dropout instead of AlphaDropout) loses self-normalization.',
    fixable: 'safe',
  },
  check(context) {
    checkKernels(context);
    checkDropouts(context);
  },
};
