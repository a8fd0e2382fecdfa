// Config values no library accepts (negative units, a dropout rate of 1, a negative stddev, NaN, Infinity) are
// configuration errors: they are recorded on the layer for the invalid-config rule and replaced by unknowns, so the
// mean-field arithmetic, the shapes and every other rule never compute with them.
import { formatNumber } from '../../../common/src/numberFormat';
import type { ConfigValue, InitializerAttr, InitializerSpec, Layer, Model, Span } from './ir';
import { isUnknown } from './ir';

/** One invalid config value: where it is written and what the field allows. */
export interface InvalidValue {
  key: string;
  /** "units must be a positive integer, got -3". */
  message: string;
  span: Span;
}

/** Largest magnitude accepted for an initializer's scale parameters: beyond it the moments overflow. */
const MAX_MAGNITUDE = 1e6;
/** Largest unit / filter count: TF.js cannot allocate a dimension this large anyway. */
const MAX_SIZE = 2 ** 31 - 1;

type Check = (value: number) => boolean;

interface FieldRule {
  allowed: string;
  check: Check;
  /** Lists (kernelSize: [3, 3]) are checked entry by entry. */
  list?: boolean;
}

const positiveInteger: FieldRule = { allowed: 'a positive integer', check: (v) => Number.isInteger(v) && v > 0 && v <= MAX_SIZE };
const positiveIntegers: FieldRule = { allowed: 'a positive integer or a list of them', check: positiveInteger.check, list: true };
const probability: FieldRule = { allowed: 'a number in [0, 1)', check: (v) => v >= 0 && v < 1 };

/** Layer config fields with a range, by camelCase key. */
const LAYER_FIELDS: ReadonlyMap<string, FieldRule> = new Map([
  ['units', positiveInteger],
  ['filters', positiveInteger],
  ['inputDim', positiveInteger],
  ['outputDim', positiveInteger],
  ['depthMultiplier', positiveInteger],
  ['kernelSize', positiveIntegers],
  ['strides', positiveIntegers],
  ['poolSize', positiveIntegers],
  ['dilationRate', positiveIntegers],
  ['rate', probability],
  ['dropout', probability],
  ['recurrentDropout', probability],
]);

const finite = (v: number): boolean => Number.isFinite(v) && Math.abs(v) <= MAX_MAGNITUDE;
const SCALE: FieldRule = { allowed: `a number in (0, ${formatNumber(MAX_MAGNITUDE)}]`, check: (v) => v > 0 && v <= MAX_MAGNITUDE };
const STDDEV: FieldRule = { allowed: `a number in [0, ${formatNumber(MAX_MAGNITUDE)}]`, check: (v) => v >= 0 && v <= MAX_MAGNITUDE };
const BOUNDED: FieldRule = { allowed: `a number in [-${formatNumber(MAX_MAGNITUDE)}, ${formatNumber(MAX_MAGNITUDE)}]`, check: finite };

/** A value as the message shows it: never NaN or Infinity in words a person cannot read. */
function shown(value: number): string {
  if (Number.isNaN(value)) return 'a value that is not a number';
  if (!Number.isFinite(value)) return 'an infinite value';
  return String(value).length <= 8 ? String(value) : formatNumber(value);
}

function messageOf(key: string, rule: FieldRule, value: number): string {
  return `${key} must be ${rule.allowed}, got ${shown(value)}`;
}

/** The first number in a value that breaks the rule (the value itself or a list entry), or undefined. */
function firstBad(value: ConfigValue, rule: FieldRule): number | undefined {
  if (typeof value === 'number') return rule.check(value) ? undefined : value;
  if (rule.list && Array.isArray(value)) {
    for (const entry of value) if (typeof entry === 'number' && !rule.check(entry)) return entry;
  }
  return undefined;
}

/** The numbers of an initializer spec with their rules, by config key. */
function specFields(spec: InitializerSpec): [string, number | null, FieldRule][] {
  switch (spec.kind) {
    case 'randomNormal':
    case 'truncatedNormal':
      return [
        ['mean', spec.mean, BOUNDED],
        ['stddev', spec.stddev, STDDEV],
      ];
    case 'randomUniform':
      return [
        ['minval', spec.minval, BOUNDED],
        ['maxval', spec.maxval, BOUNDED],
      ];
    case 'varianceScaling':
      return [['scale', spec.scale, SCALE]];
    case 'constant':
      return [['value', spec.value, BOUNDED]];
    case 'orthogonal':
    case 'identity':
      return [['gain', spec.gain, BOUNDED]];
    default:
      return [];
  }
}

function checkInitializer(layer: Layer, attr: InitializerAttr | undefined, found: InvalidValue[]): void {
  if (attr === undefined) return;
  for (const [key, value, rule] of specFields(attr.spec)) {
    if (value === null || rule.check(value)) continue;
    const message = messageOf(key, rule, value);
    found.push({ key: attr.key, message, span: attr.valueSpan ?? layer.span });
    attr.spec = { kind: 'unknown', reason: message };
    return;
  }
}

/** A positive finite size, else null (a fan or a shape computed from an invalid value). */
function sizeOrNull(value: number | null): number | null {
  // A fan above 2^53 only comes from a size no library accepts upstream (e.g. output_dim 1e308 feeding this layer).
  return value !== null && Number.isFinite(value) && value > 0 && value <= Number.MAX_SAFE_INTEGER ? value : null;
}

function checkLayer(layer: Layer): void {
  const found: InvalidValue[] = [];
  for (const [key, value] of Object.entries(layer.config)) {
    if (isUnknown(value)) continue;
    const rule = LAYER_FIELDS.get(key);
    const bad = rule === undefined ? (typeof value === 'number' && !Number.isFinite(value) ? value : undefined) : firstBad(value, rule);
    if (bad === undefined) continue;
    const message = rule === undefined ? `${key} must be a finite number, got ${shown(bad)}` : messageOf(key, rule, bad);
    found.push({ key, message, span: Object.hasOwn(layer.properties, key) ? layer.properties[key]!.valueSpan : layer.span });
    layer.config[key] = { kind: 'unknown', reason: message };
  }
  checkInitializer(layer, layer.kernelInitializer, found);
  checkInitializer(layer, layer.recurrentInitializer, found);
  checkInitializer(layer, layer.biasInitializer, found);
  if (layer.activation.alpha !== undefined && !finite(layer.activation.alpha)) {
    found.push({
      key: 'alpha',
      message: messageOf('alpha', BOUNDED, layer.activation.alpha),
      span: layer.activation.valueSpan ?? layer.span,
    });
    layer.activation = { ...layer.activation, name: null };
  }
  // Fans and shapes the front end derived from an invalid value (here or upstream) are unknown too.
  layer.fanIn = sizeOrNull(layer.fanIn);
  layer.fanOut = sizeOrNull(layer.fanOut);
  layer.outputSize = sizeOrNull(layer.outputSize);
  if (layer.outputShape)
    layer.outputShape = layer.outputShape.map((dim) =>
      dim === null || (Number.isInteger(dim) && dim > 0 && dim <= MAX_SIZE) ? dim : null,
    );
  if (found.length > 0) layer.invalidValues = found;
  if (layer.inner) checkModelConfigs(layer.inner);
}

const checked = new WeakSet<Model>();

/**
 * A copy of a checked model that differs only in its offsets (movedModel.ts) is checked too. Checking it again would
 * not be a no-op: a non-finite alpha is found again (the activation keeps its alpha), and the layer's invalid values
 * would then hold that finding alone, without the ones the first check neutralized.
 */
export function copyCheck(original: Model, copy: Model): void {
  if (checked.has(original)) checked.add(copy);
}

/** Whether a model was checked: the check edits a model's configs and attributes in place only before that. */
export function isChecked(model: Model): boolean {
  return checked.has(model);
}

/** Records and neutralizes the invalid config values of every layer of a model (and of its nested models), once per model. */
export function checkModelConfigs(model: Model): void {
  if (checked.has(model)) return;
  checked.add(model);
  if (model.inputShape)
    model.inputShape = model.inputShape.map((dim) => (dim === null || (Number.isInteger(dim) && dim > 0 && dim <= MAX_SIZE) ? dim : null));
  for (const layer of model.layers) checkLayer(layer);
}
