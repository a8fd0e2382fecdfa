// input-signal-lost: the predicted output of the model at initialization no longer depends on its input.
import { initializerFix } from '../fixes';
import { shareSteps, sharesOf } from '../inputShare';
import type { Fix, TextEdit } from '../types';
import type { Rule } from './rule';
import { fixTargetOf, formatNumber, headSpan, initializerWord, isHe, RELU_FAMILY } from './ruleSupport';

/** The rule fires when less than this share of the output's second moment depends on the input. */
export const INPUT_SHARE_LIMIT = 0.01;

/**
 * Every layer multiplies the input-dependent part of the signal by n·E[W²] times what the activation passes on, while
 * a non-zero bias adds a fixed part each time. When the weights shrink the signal (PyTorch's default U(±1/√fan_in)
 * keeps 1/3 of it per layer, 1/6 with ReLU), a few layers bring the signal down to the bias floor and the output
 * becomes a constant of the network: training then starts from a model that ignores its input, and the gradient
 * ratio can look fine. See docs/rules/input-signal-lost.md for the numbers measured in real PyTorch.
 */
export const rule: Rule = {
  meta: {
    id: 'input-signal-lost',
    defaultSeverity: 'warning',
    description: 'At initialization the model output barely depends on its input: the signal shrinks to the bias floor.',
    fixable: 'suggestion',
  },
  check(context) {
    const { model, text, language } = context;
    // A zero kernel (often a deliberate zero output layer) makes the share 0 by construction: symmetric-init's case, not
    // this one. Whatever follows such a layer, the rule stays quiet, and so it does for a model the shares cannot
    // follow: both are known from the layers alone, before any quadrature is paid for.
    const chain = shareSteps(model);
    if (!chain.complete || chain.steps.length < 2 || chain.steps.some((step) => step.gain === 0)) return;
    const shares = sharesOf(chain, true);
    if (shares === null || shares.length < 2 || shares.some((s) => s.inputVariance === 0)) return;
    const last = shares[shares.length - 1];
    if (!(last.share < INPUT_SHARE_LIMIT)) return;
    const byId = new Map(model.layers.map((layer) => [layer.id, layer]));
    const crossing = shares.find((s) => s.share < 0.5);
    const crossingLayer = crossing ? byId.get(crossing.layerId) : undefined;
    const first = shares[0];
    const pytorchDefault = model.dialect === 'pytorch' && shares.some((s) => byId.get(s.layerId)?.kernelInitializer?.explicit === false);
    const cause = pytorchDefault
      ? ` PyTorch's default for nn.Linear and nn.Conv (kaiming_uniform_ with a=√5, U(±1/√fan_in)) gives Var(W) = 1/(3·fan_in): a third of LeCun, a sixth of He, so each ReLU layer keeps 1/6 of the signal while its default bias U(±1/√fan_in) adds 1/(3·fan_in).`
      : '';
    const message =
      `Model '${model.name}': at initialization its output barely depends on its input: the predicted input-dependent share of the last layer's pre-activation second moment is ${formatNumber(last.share)} ` +
      `(threshold: below ${formatNumber(INPUT_SHARE_LIMIT)}). Over ${shares.length} weight layers the second moment goes from ${formatNumber(first.secondMoment)} to ${formatNumber(last.secondMoment)}` +
      `${crossingLayer ? `, and from layer '${crossingLayer.name}' on most of it is the fixed part the biases put in` : ''}.${cause} ` +
      `Use an initializer that keeps the signal scale (${initializerWord('heNormal', context)} for ReLU layers, ${initializerWord('leCunNormal', context)} for linear / tanh ones).`;
    context.report({ message, span: headSpan(text, model.span, language), fix: null, suggestions: heSuggestion(context) });
  },
};

/**
 * One suggestion that gives every ReLU-family weight layer He init. Edits of one span are kept once (a layer written
 * once in a loop); insertions at one offset (init lines after one ModuleList assignment) are joined in layer order.
 */
function heSuggestion(context: Parameters<Rule['check']>[0]): Fix[] {
  const bySpan = new Map<string, TextEdit>();
  let count = 0;
  for (const layer of context.model.layers) {
    const attr = layer.kernelInitializer;
    if (!attr || !RELU_FAMILY.has(layer.activation.name ?? '') || isHe(attr)) continue;
    const fix = initializerFix(fixTargetOf(context), layer, attr, 'heNormal', '');
    if (!fix) continue;
    count++;
    for (const edit of fix.edits) {
      const key = `${edit.span.start}:${edit.span.end}`;
      const existing = bySpan.get(key);
      if (existing === undefined) bySpan.set(key, { span: edit.span, text: edit.text });
      else if (edit.span.start === edit.span.end && !existing.text.includes(edit.text)) existing.text += edit.text;
    }
  }
  const edits = [...bySpan.values()];
  if (edits.length === 0) return [];
  return [
    {
      title: `Use ${initializerWord('heNormal', context)} in the ${count} ReLU-family ${count === 1 ? 'layer' : 'layers'} (changes training)`,
      edits,
    },
  ];
}
