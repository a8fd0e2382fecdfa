// What both front ends do the same way once the syntax is read: initializer attributes, activation layers, names, activation folding.
import type { ConfigValue, Dialect, InitializerAttr, InitializerForm, Layer, LayerType, Model } from '../ir';
import { defaultInitializers } from '../catalog/layerDefaults';
import { impliedActivationOf, initializerSpecOf } from '../catalog/names';
import { ownValue } from '../ownKeys';

/** Where an initializer was written (absent for the library default) and how the file quotes strings. */
export type InitializerPlacement = Pick<InitializerAttr, 'valueSpan' | 'propertySpan' | 'callee' | 'quote'>;

/** An initializer attribute from a library name (any spelling) and its config; written unless `form` is 'default'. */
export function initializerAttr(
  key: string,
  name: string,
  config: Record<string, ConfigValue>,
  dialect: Dialect,
  form: InitializerForm,
  placement: InitializerPlacement = {},
): InitializerAttr {
  const { spec, alias } = initializerSpecOf(name, config, dialect);
  const attr: InitializerAttr = { key, spec, explicit: form !== 'default', alias, form };
  // Copied key by key, not spread: this runs for every initializer of every layer, and a spread of these small objects is slow.
  if ('valueSpan' in placement) attr.valueSpan = placement.valueSpan;
  if ('propertySpan' in placement) attr.propertySpan = placement.propertySpan;
  if ('callee' in placement) attr.callee = placement.callee;
  if ('quote' in placement) attr.quote = placement.quote;
  return attr;
}

/** The library default for an initializer key of a layer type in a dialect; undefined when the type has no such weight. */
export function defaultInitializerAttr(
  key: string,
  type: LayerType,
  dialect: Dialect,
  placement: InitializerPlacement = {},
): InitializerAttr | undefined {
  const id = ownValue(defaultInitializers(type, dialect), key);
  return id === undefined ? undefined : initializerAttr(key, id, {}, dialect, 'default', placement);
}

/**
 * The activation an activation layer class applies (ReLU, LeakyReLU, ELU, Softmax, ...) with the alpha that matters;
 * null for other classes. The same config keys in TF.js and Keras (Keras 3 writes negative_slope for LeakyReLU).
 */
export function impliedActivation(className: string, config: Record<string, ConfigValue>): { name: string | null; alpha?: number } | null {
  const implied = impliedActivationOf(className);
  if (implied === null) return null;
  const numeric = (value: ConfigValue | undefined): number | undefined => (typeof value === 'number' ? value : undefined);
  if (implied === 'relu') {
    const slope = numeric(config.negativeSlope) ?? 0;
    if (slope > 0) return { name: 'leakyRelu', alpha: slope };
    if (numeric(config.maxValue) === 6) return { name: 'relu6' };
    return { name: config.maxValue === undefined || config.maxValue === null ? 'relu' : null };
  }
  if (implied === 'leakyRelu') return { name: implied, alpha: numeric(config.alpha) ?? numeric(config.negativeSlope) ?? 0.3 };
  if (implied === 'elu') return { name: implied, alpha: numeric(config.alpha) ?? 1 };
  return { name: implied };
}

/** The name of a layer its config does not name: `${className}#${index in its model}` (see Layer.name). */
export function unnamedLayerName(className: string, index: number): string {
  return `${className}#${index}`;
}

/** The name of a model nothing names: `model#N`, N counting the file's models from 1. */
export function unnamedModelName(number: number): string {
  return `model#${number}`;
}

/**
 * A weight layer with a linear output whose only consumer is an activation layer (Activation, ReLU, ...)
 * really outputs that activation: fold it in, pointing at the activation layer. With another consumer the
 * linear output is seen too, so nothing is folded.
 */
export function foldActivationLayers(layers: Layer[]): void {
  const consumers = new Map<string, Layer[]>();
  for (const layer of layers) {
    for (const id of layer.inbound) {
      const list = consumers.get(id);
      if (list === undefined) consumers.set(id, [layer]);
      else list.push(layer);
    }
  }
  for (const layer of layers) {
    if (layer.kernelInitializer === undefined || layer.activation.name !== 'linear') continue;
    const next = consumers.get(layer.id);
    if (next === undefined || next.length !== 1) continue;
    const follower = next[0];
    if (follower.type !== 'activation' || follower.inbound.length !== 1 || follower.activation.name === null) continue;
    layer.activation = {
      name: follower.activation.name,
      explicit: follower.activation.explicit,
      source: 'layer',
      valueSpan: follower.activation.valueSpan ?? follower.span,
      ...(follower.activation.alpha === undefined ? {} : { alpha: follower.activation.alpha }),
    };
  }
}

/**
 * The note on a layer called on several inputs (shared weights, e.g. a siamese encoder). The IR keeps one node per
 * layer, fed by its first call: the prediction follows that call and counts the shared kernel's gradient once.
 */
export function sharedLayerNote(layerName: string, calls: number): string {
  return `layer '${layerName}' is applied ${calls} times (shared weights): the prediction follows its first call and counts its kernel gradient once`;
}

/**
 * Drops the insertion point of every layer whose config holds a syntax error: a property inserted there would land
 * in the broken part (a key without a value, a stray token) and the fix would add a syntax error of its own.
 */
export function dropInsertionsAtErrors(models: Model[], errorOffsets: readonly number[]): void {
  if (errorOffsets.length === 0) return;
  for (const model of models) {
    for (const layer of model.layers) {
      const span = layer.configSpan;
      if (layer.insertion && span && errorOffsets.some((offset) => offset >= span.start && offset < span.end)) delete layer.insertion;
      if (layer.inner) dropInsertionsAtErrors([layer.inner], errorOffsets);
    }
  }
}
