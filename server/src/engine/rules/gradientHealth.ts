// Shared check of the two model-level rules: the predicted first/last kernel-gradient ratio against a threshold.
import { fileQuote, initializerEdit } from '../fixes';
import type { Layer } from '../ir';
import type { Fix, TextEdit } from '../types';
import type { RuleContext } from './rule';
import { fixTargetOf, formatNumber, headSpan, isGlorot, RELU_FAMILY, SATURATING, trainableLayers } from './ruleSupport';

/** Which side of the healthy band a rule watches. */
export type GradientDirection = 'vanishing' | 'exploding';

/** What the model's layers suggest as the cause, in words, from their activations and initializers. */
function likelyCauses(context: RuleContext, direction: GradientDirection): string[] {
  const layers = context.model.layers;
  const causes: string[] = [];
  const saturating = layers.filter((l) => l.activation.name !== null && SATURATING.has(l.activation.name) && l.kernelInitializer);
  const glorotRelu = layers.filter(
    (l) => l.activation.name !== null && RELU_FAMILY.has(l.activation.name) && l.kernelInitializer && isGlorot(l.kernelInitializer),
  );
  const normalized = layers.some((l) => l.type === 'batchNormalization' || l.type === 'layerNormalization');
  if (direction === 'vanishing' && saturating.length > 0) {
    causes.push(
      `${saturating.length} ${saturating.length === 1 ? 'layer uses' : 'layers use'} a saturating activation (${[...new Set(saturating.map((l) => l.activation.name))].join(', ')}) whose slope is at most ${saturating.some((l) => l.activation.name === 'sigmoid' || l.activation.name === 'hardSigmoid') ? '1/4 (sigmoid)' : '1'}`,
    );
  }
  if (direction === 'vanishing' && glorotRelu.length > 0)
    causes.push(`${glorotRelu.length} ReLU-family ${glorotRelu.length === 1 ? 'layer has' : 'layers have'} Glorot kernels`);
  if (!normalized) causes.push('there is no normalization layer to reset the scale');
  return causes;
}

/**
 * The design change for a vanishing stack of saturating layers: every hidden sigmoid/tanh-like layer becomes relu
 * with heNormal (slope 1 on the active half, Var(W) = 2/fan_in, so the backward gain per layer is 1). The last
 * trainable layer keeps its activation: it is the model's output. A suggestion, never a safe fix, because it
 * changes what the model computes. Offered only when every such layer writes its activation as a string and
 * its kernel initializer can be edited, so the result is never a half-converted model.
 */
function reluHeSuggestion(context: RuleContext): Fix | null {
  const { model, text, language } = context;
  const trainable = trainableLayers(model);
  const output = trainable[trainable.length - 1];
  const hidden = model.layers.filter(
    (l): l is Layer & { kernelInitializer: NonNullable<Layer['kernelInitializer']> } =>
      l !== output &&
      l.activation.source === 'own' &&
      l.activation.name !== null &&
      SATURATING.has(l.activation.name) &&
      l.kernelInitializer !== undefined,
  );
  if (hidden.length === 0) return null;
  const quote = language === 'json' ? '"' : fileQuote(text);
  const target = fixTargetOf(context);
  const edits = new Map<string, TextEdit>();
  const add = (edit: TextEdit): void => {
    // A layer written once in a loop is many IR layers with one span: its edits are the same and kept once.
    edits.set(`${edit.span.start}:${edit.span.end}:${edit.text}`, edit);
  };
  for (const layer of hidden) {
    const span = layer.activation.valueSpan;
    if (!span || !/^['"`]/.test(text.slice(span.start, span.start + 1))) return null;
    const initializer = initializerEdit(target, layer, layer.kernelInitializer, 'heNormal');
    if (!initializer) return null;
    add({ span, text: `${quote}relu${quote}` });
    add(initializer);
  }
  const names = [...new Set(hidden.map((l) => l.activation.name))].join('/');
  return {
    title: `Use relu with heNormal in the ${hidden.length} hidden ${names} ${hidden.length === 1 ? 'layer' : 'layers'} (changes the model's design)`,
    edits: [...edits.values()].sort((a, b) => a.span.start - b.span.start),
  };
}

/** Reports the model when its predicted first/last gradient ratio is past the direction's threshold. */
export function checkGradientRatio(context: RuleContext, direction: GradientDirection): void {
  const { model, signal, thresholds, text, language } = context;
  const ratio = signal.predictedGradientRatio;
  // With one trainable layer the ratio compares a layer with itself: nothing to report.
  if (ratio === null || !Number.isFinite(ratio) || trainableLayers(model).length < 2) return;
  const threshold = direction === 'vanishing' ? thresholds.vanishingRatio : thresholds.explodingRatio;
  if (direction === 'vanishing' ? !(ratio < threshold) : !(ratio > threshold)) return;
  if (direction === 'vanishing' && ratio === 0 && reportZeroOutput(context)) return;

  const names = new Map(model.layers.map((l) => [l.id, l.name] as const));
  const gains = signal.layers.filter((l) => l.relativeGradientNorm !== null && Number.isFinite(l.backwardGain));
  const extreme = [...gains]
    .sort((a, b) => (direction === 'vanishing' ? a.backwardGain - b.backwardGain : b.backwardGain - a.backwardGain))
    .slice(0, 3);
  const gainText =
    extreme.length > 0
      ? ` The ${direction === 'vanishing' ? 'smallest' : 'largest'} per-layer backward gains: ${extreme.map((l) => `'${names.get(l.layerId) ?? l.layerId}' ${formatNumber(l.backwardGain)}`).join(', ')}.`
      : '';
  const causes = likelyCauses(context, direction);
  const causeText = causes.length > 0 ? ` Likely causes: ${causes.join('; ')}.` : '';
  const advice =
    direction === 'vanishing'
      ? 'Use relu with heNormal (or tanh with glorotNormal and fewer layers), avoid deep sigmoid stacks, or add batchNormalization between layers.'
      : 'Use an initializer that scales with fan-in (heNormal for relu, glorotNormal for tanh/linear) instead of large fixed scales, or add batchNormalization between layers.';
  // A ratio of exactly 0 (a zero kernel stops the gradient) has no finite 'times slower': say what happens instead.
  const pace =
    ratio === 0
      ? 'no gradient reaches the first layer at all'
      : `the first layer learns ${direction === 'vanishing' ? formatNumber(1 / ratio) : formatNumber(ratio)}x ${direction === 'vanishing' ? 'slower' : 'faster'} than the last`;
  context.report({
    message:
      `Model '${model.name}': the predicted ratio of the first trainable layer's kernel-gradient norm to the last one's is ${formatNumber(ratio)} ` +
      `(${direction === 'vanishing' ? 'threshold: below' : 'threshold: above'} ${formatNumber(threshold)}), so at initialization ${pace}.${gainText}${causeText} ${advice}`,
    span: headSpan(text, model.span, language),
    fix: null,
    suggestions: direction === 'vanishing' ? [reluHeSuggestion(context)].filter((f): f is Fix => f !== null) : [],
  });
}

/** True for a kernel whose every entry starts at 0 (zeros, or a constant 0). */
function isZeroKernel(layer: Layer | undefined): boolean {
  const spec = layer?.kernelInitializer?.spec;
  return spec !== undefined && (spec.kind === 'zeros' || (spec.kind === 'constant' && spec.value === 0));
}

/**
 * A predicted ratio of exactly 0: no gradient reaches the first layer at step 0. When the output layer's kernel is
 * zero (a deliberate choice of Fixup classifiers, residual and policy heads) that is its known effect, not the
 * vanishing-gradient problem: a hint says what it does (true). A zero kernel inside the model stays the warning (false).
 */
function reportZeroOutput(context: RuleContext): boolean {
  const { model, text, language } = context;
  const trainable = trainableLayers(model);
  const output = trainable[trainable.length - 1];
  if (!isZeroKernel(output) || trainable.slice(0, -1).some(isZeroKernel)) return false;
  context.report({
    message:
      `Model '${model.name}': the output layer '${output!.name}' starts with a zero kernel, so at step 0 every layer before it gets a gradient of exactly 0 ` +
      'and only the output layer learns; from step 1 on, once the output kernel has moved, the gradients reach the other layers. ' +
      'This is a common, deliberate choice (Fixup classifiers, residual and policy heads) and not a vanishing gradient; nothing to change if it is intended.',
    span: headSpan(text, model.span, language),
    severity: 'hint',
    fix: null,
  });
  return true;
}
