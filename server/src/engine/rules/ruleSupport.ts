// Facts the rules share: activation families, the layer graph (who feeds whom), short spans and number formatting.
import { activationOfAttr, type ActivationFunction } from '../catalog/activations';
import { kernelVariance } from '../catalog/initializers';
import { recurrentGateCount } from '../catalog/layerDefaults';
import { VARIANCE_SCALING_ALIASES } from '../catalog/names';
import { recommendedKernelInitializer } from '../catalog/recommendations';
import { normalCdf } from '../catalog/normal';
import { kerasInitializerString, torchInitCall, type FixInitializerId, type FixTarget } from '../fixes';
import type { Dialect, InitializerAttr, InitializerSpec, Layer, Model, Span } from '../ir';
import type { RuleContext } from './rule';
import { classNameSpan } from '../frontends/json/classNameSpan';
import { describeInitializer } from '../describeInitializer';
import { KERNEL_LAYER_TYPES } from '../propagationFlow';
import { formatNumber } from '../../../../common/src/numberFormat';

// Activation families are the catalog's one table (also read by the recommendations and the probe), re-exported for the rules.
export { RELU_FAMILY, SATURATING } from '../catalog/activationFamilies';
// Messages show numbers by the project's one rule (also used by hovers, the CLI and the probe), re-exported for the rules.
export { formatNumber, formatPercent } from '../../../../common/src/numberFormat';
// Initializers are named by the engine's one description (also used by hovers and the CLI), re-exported for the rules.
export { describeInitializer } from '../describeInitializer';

/** Layer types a signal passes through unchanged in kind (no weights of their own that matter here). */
const PASS_THROUGH_TYPES: ReadonlySet<string> = new Set(['activation', 'dropout', 'alphaDropout', 'flatten', 'reshape', 'pooling']);

/** True for a layer with a kernel that training updates. */
export function isTrainable(layer: Layer): boolean {
  return KERNEL_LAYER_TYPES.has(layer.type) || (layer.type === 'model' && (layer.inner?.layers.some(isTrainable) ?? false));
}

/** The effective inbound ids of a layer (a sequential model's layers are fed by the previous one even if the front end left them empty). */
export function inboundOf(model: Model, index: number): string[] {
  const layer = model.layers[index];
  if (layer.inbound.length > 0 || index === 0 || model.kind !== 'sequential') return layer.inbound;
  return [model.layers[index - 1].id];
}

/** Map from layer id to the layers that take its output. */
export function consumersOf(model: Model): Map<string, Layer[]> {
  const consumers = new Map<string, Layer[]>();
  model.layers.forEach((layer, index) => {
    for (const id of inboundOf(model, index)) {
      const list = consumers.get(id) ?? [];
      list.push(layer);
      consumers.set(id, list);
    }
  });
  return consumers;
}

/** Trainable layers reachable downstream of a layer. */
export function downstreamTrainable(model: Model, layer: Layer, consumers = consumersOf(model)): Layer[] {
  const seen = new Set<string>([layer.id]);
  const found: Layer[] = [];
  const queue = [...(consumers.get(layer.id) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next.id)) continue;
    seen.add(next.id);
    if (isTrainable(next)) found.push(next);
    queue.push(...(consumers.get(next.id) ?? []));
  }
  return found;
}

/** True when the layer's output reaches an `add` through pass-through layers only: the last layer of a residual branch. */
export function endsResidualBranch(model: Model, layer: Layer, consumers = consumersOf(model)): boolean {
  const queue = [...(consumers.get(layer.id) ?? [])];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next.id)) continue;
    seen.add(next.id);
    if (next.type === 'add') return true;
    if (PASS_THROUGH_TYPES.has(next.type)) queue.push(...(consumers.get(next.id) ?? []));
  }
  return false;
}

/** The trainable layers of a model in order: its depth for compounding. */
export function trainableLayers(model: Model): Layer[] {
  return model.layers.filter(isTrainable);
}

/** The fix target of a rule context. */
export function fixTargetOf(context: RuleContext): FixTarget {
  return { text: context.text, language: context.language, dialect: context.model.dialect };
}

/** Trims whitespace off both ends of a span. */
function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/**
 * A short span naming a layer or model: the callee of a TS/JS call (`tf.layers.dropout`, `tf.sequential`),
 * or the `"class_name"` value of a JSON object; the whole span when neither is found.
 */
export function headSpan(text: string, span: Span, language: 'typescript' | 'json' | 'python'): Span {
  if (language === 'typescript' || language === 'python') {
    const paren = text.indexOf('(', span.start);
    if (paren > span.start && paren < span.end) return trimSpan(text, { start: span.start, end: paren });
    return span;
  }
  return classNameSpan(text, span);
}

/** The span to flag for an initializer: its written value, or the layer's head when it is a library default. */
export function initializerSpan(context: RuleContext, layer: Layer, attr: InitializerAttr): Span {
  return attr.explicit && attr.valueSpan ? attr.valueSpan : headSpan(context.text, layer.span, context.language);
}

/** How a layer is named in a message: `'dense_1' (dense, 64 units)`, saying when a loop writes it once for several layers. */
export function describeLayer(layer: Layer): string {
  const units = unitsPerDirection(layer);
  const perDirection = layer.wrapper === 'Bidirectional' ? ' per direction' : '';
  const size =
    units !== null ? `, ${units} ${layer.type.startsWith('conv') || layer.type.includes('Conv') ? 'filters' : 'units'}${perDirection}` : '';
  const kind = layer.wrapper ? `${layer.type} in ${layer.wrapper}` : layer.type;
  const repeated = layer.repeated
    ? `, written once in a loop that repeats it ${layer.repeated.count === null ? 'an unknown number of' : layer.repeated.count} times`
    : '';
  return `'${layer.name}' (${kind}${size}${repeated})`;
}

/**
 * The layer's own units: its output size, except inside Bidirectional, whose output joins two directions (2x units
 * for concat); there a recurrent layer's units are its kernel's fan-out over its gate count.
 */
export function unitsPerDirection(layer: Layer): number | null {
  if (layer.wrapper !== 'Bidirectional') return layer.outputSize;
  const gates = recurrentGateCount(layer.type);
  return gates !== null && layer.fanOut !== null ? layer.fanOut / gates : null;
}

/** True when a variance-scaling spec is Glorot (scale 1, fanAvg), in either distribution. */
export function isGlorot(attr: InitializerAttr): boolean {
  return attr.spec.kind === 'varianceScaling' && attr.spec.scale === 1 && attr.spec.mode === 'fanAvg';
}

/** True when a variance-scaling spec is He (scale 2, fanIn), in either distribution. */
export function isHe(attr: InitializerAttr): boolean {
  return attr.spec.kind === 'varianceScaling' && attr.spec.scale === 2 && attr.spec.mode === 'fanIn';
}

/** True when the spec draws from a uniform distribution (a fix keeps the distribution). */
export function isUniform(attr: InitializerAttr): boolean {
  return (attr.spec.kind === 'varianceScaling' && attr.spec.distribution === 'uniform') || attr.spec.kind === 'randomUniform';
}

/** The spec of a parameterless alias the fixes write. */
export function specOfAlias(id: FixInitializerId): InitializerSpec {
  if (id === 'orthogonal') return { kind: 'orthogonal', gain: 1 };
  return { kind: 'varianceScaling', ...VARIANCE_SCALING_ALIASES[id] };
}

/** Var(W) of a layer's kernel under an initializer spec, as the dialect's library draws it; null when the fans are unknown. */
export function kernelVarianceOf(layer: Layer, spec: InitializerSpec, dialect: Dialect): number | null {
  return kernelVariance(spec, layer.fanIn, layer.fanOut, dialect);
}

/** Var(W) the recommended initializer `id` gives this layer's kernel. */
export function idealKernelVariance(layer: Layer, dialect: Dialect, id: FixInitializerId): number | null {
  return kernelVarianceOf(layer, specOfAlias(id), dialect);
}

/** The kernel initializer a fix writes for a layer's activation (the catalog's recommendation), keeping a uniform draw uniform. */
export function recommendedInitializer(layer: Layer, dialect: Dialect): FixInitializerId {
  const recommended = recommendedKernelInitializer(layer.activation.name, { dialect, alpha: layer.activation.alpha }).alias;
  const uniform = layer.kernelInitializer ? isUniform(layer.kernelInitializer) : false;
  // SELU's fixed point is derived for normal weights, so LeCun stays normal.
  if (!uniform || recommended === 'leCunNormal') return UNIFORM_OF[recommended] ? (recommended as FixInitializerId) : 'glorotNormal';
  return UNIFORM_OF[recommended] ?? 'glorotUniform';
}

const UNIFORM_OF: Partial<Record<string, FixInitializerId>> = {
  heNormal: 'heUniform',
  glorotNormal: 'glorotUniform',
  leCunNormal: 'leCunUniform',
};

/**
 * The |x| beyond which an activation's slope is below a tenth of its slope at 0 (its flat region), found by a
 * scan of the catalog's derivative; null for activations without one (relu-like, linear).
 */
export function flatRegionStart(layer: Layer, dialect: Dialect): number | null {
  const activation = activationOfAttr(layer.activation, dialect);
  if (!activation) return null;
  // The catalog hands out one object per activation and parameters, so the scan runs once per activation.
  let start = flatRegionStarts.get(activation);
  if (start === undefined) {
    start = scanFlatRegionStart(activation);
    flatRegionStarts.set(activation, start);
  }
  return start;
}

const flatRegionStarts = new WeakMap<ActivationFunction, number | null>();

function scanFlatRegionStart(activation: ActivationFunction): number | null {
  const slopeAtZero = Math.abs(activation.derivative(1e-9));
  if (slopeAtZero === 0) return null;
  for (let x = 0; x <= 20; x += 0.01) {
    if (Math.abs(activation.derivative(x)) < 0.1 * slopeAtZero && Math.abs(activation.derivative(-x)) < 0.1 * slopeAtZero) return x;
  }
  return null;
}

/** Share of a centred Gaussian with second moment q that lies beyond ±threshold. */
export function shareBeyond(threshold: number, q: number): number {
  return 2 * (1 - normalCdf(threshold / Math.sqrt(q)));
}

/** An initializer a fix writes, as the model's framework names it: TF.js ids, Keras Python strings, PyTorch nn.init calls. */
export function initializerWord(id: FixInitializerId, context: Pick<RuleContext, 'language' | 'model'>): string {
  if (context.language !== 'python') return id;
  if (context.model.dialect === 'pytorch') {
    const call = torchInitCall(id);
    return `nn.init.${call.fn}${call.args ? `(…${call.args.replace(/"/g, "'")})` : ''}`;
  }
  return kerasInitializerString(id);
}

/** A product or power for a message: past the double range (a zero scale's 1/0, a gain to the 50th) it reads 'more than 1e308', never infinity. */
export function formatBounded(value: number): string {
  if (value === Infinity) return 'more than 1e308';
  if (value === -Infinity) return 'less than -1e308';
  return formatNumber(value);
}

/**
 * "has a zeros kernel" in TF.js words; "has its kernel from nn.init.zeros_ on line 9" where a Python front end says
 * where the initializer came from. `what` names the weight: 'kernel', 'recurrent kernel'.
 */
export function hasInitializer(attr: InitializerAttr, what: string): string {
  return attr.label !== undefined && attr.explicit ? `has its ${what} from ${attr.label}` : `has a ${describeInitializer(attr)} ${what}`;
}
