// One model JSON layer object → an IR Layer: config with camelCase keys, spans, initializers, own activation, insertion point.
import type { Node } from 'jsonc-parser';
import type { ActivationAttr, ConfigValue, Dialect, InitializerAttr, InsertionPoint, Layer, LayerType } from '../../ir';
import { defaultActivation, defaultInitializers, kernelKeyOf } from '../../catalog/layerDefaults';
import { activationIdOf, impliedActivationOf, initializerSpecOf, layerTypeOf } from '../../catalog/names';
import { camelCaseKey, configValueOf, objectOf, spanOf, stringOf, valueOf } from './tree';

/** Class names of wrapper layers whose `config.layer` is the layer that owns the weights. */
export const WRAPPER_CLASSES = new Set(['Bidirectional', 'TimeDistributed']);

/** A layer read from JSON before the model-level passes (graph, shapes, activation folding) complete it. */
export interface LayerDraft {
  layer: Layer;
  /** Class name of the layer that owns the weights (the wrapped one for wrappers). */
  className: string;
  /** The wrapper's config (merge_mode, ...) with camelCase keys. */
  wrapperConfig?: Record<string, ConfigValue>;
  /** The layer's own JSON object (the outer one for wrappers): holds name, inbound_nodes, build_config. */
  node: Node;
  /** For nested models: the model object to parse once its input shape is known. */
  nestedModelNode?: Node;
}

const MODEL_CLASSES = /^(Sequential|Functional|Model)$/;

/** True when a `{class_name, config}` object is a model (known model class, or a config with a layer list). */
export function isModelObject(node: Node): boolean {
  const className = stringOf(node, 'class_name');
  if (className === undefined) return false;
  if (MODEL_CLASSES.test(className)) return true;
  const config = valueOf(node, 'config');
  if (config === undefined) return false;
  return (config.type === 'object' && valueOf(config, 'layers')?.type === 'array') || (config.type === 'array' && className !== 'InputLayer');
}

/**
 * Reads one layer object. Returns null when the object is not a layer (no class_name). `index` is the
 * position in the model's layer list, for names of unnamed layers.
 */
export function readLayer(text: string, node: Node, index: number, dialect: Dialect): LayerDraft | null {
  if (node.type !== 'object') return null;
  const outerClass = stringOf(node, 'class_name');
  if (outerClass === undefined) return null;
  const outerConfigNode = objectOf(node, 'config');

  let className = outerClass;
  let configNode = outerConfigNode;
  let classNameNode = valueOf(node, 'class_name');
  let wrapper: string | undefined;
  let wrapperConfig: Record<string, ConfigValue> | undefined;
  const innerLayer = WRAPPER_CLASSES.has(outerClass) ? objectOf(outerConfigNode, 'layer') : undefined;
  const innerClass = stringOf(innerLayer, 'class_name');
  if (innerLayer !== undefined && innerClass !== undefined) {
    wrapper = outerClass;
    className = innerClass;
    configNode = objectOf(innerLayer, 'config');
    classNameNode = valueOf(innerLayer, 'class_name');
    wrapperConfig = {};
    for (const property of outerConfigNode?.children ?? []) {
      const [key, value] = property.children ?? [];
      if (value === undefined || key.value === 'layer') continue;
      wrapperConfig[camelCaseKey(key.value as string)] = configValueOf(value);
    }
  }

  // A model can be a layer of another model, also inside a wrapper (TimeDistributed(Sequential)).
  const modelNode = wrapper === undefined ? node : innerLayer;
  const nested = modelNode !== undefined && isModelObject(modelNode);
  const type: LayerType = nested ? 'model' : layerTypeOf(className);
  const config: Record<string, ConfigValue> = {};
  const properties: Layer['properties'] = {};
  const written = new Map<string, { value: Node; property: Node }>();
  for (const property of configNode?.children ?? []) {
    const children = property.children;
    if (children === undefined || children.length < 2) continue;
    const key = camelCaseKey(children[0].value as string);
    const value = children[1];
    properties[key] = { keySpan: spanOf(children[0]), valueSpan: spanOf(value), propertySpan: spanOf(property) };
    written.set(key, { value, property });
    // A nested model's layers become its inner model; copying them into the config would double the work.
    config[key] = nested && key === 'layers' ? { kind: 'unknown', reason: 'the layers of a nested model are in its inner model' } : configValueOf(value);
  }

  const outerName = stringOf(outerConfigNode, 'name') ?? stringOf(node, 'name');
  const name = outerName ?? `${outerClass}#${index}`;
  const layer: Layer = {
    id: name,
    name,
    type,
    className: wrapper === undefined ? className : `${wrapper}(${className})`,
    config,
    activation: ownActivation(type, className, config, written, classNameNode),
    fanIn: null,
    fanOut: null,
    outputSize: null,
    span: spanOf(node),
    properties,
    inbound: [],
  };
  if (configNode !== undefined) {
    layer.configSpan = spanOf(configNode);
    layer.insertion = insertionPointOf(text, configNode);
  }
  if (wrapper !== undefined) layer.wrapper = wrapper;
  if (!nested) addInitializers(layer, written, dialect);
  return { layer, className, wrapperConfig, node, nestedModelNode: nested ? modelNode : undefined };
}

/** The activation a layer applies by itself: its `activation` config, what an activation layer class implies, or the type default. */
function ownActivation(type: LayerType, className: string, config: Record<string, ConfigValue>, written: Map<string, { value: Node }>, classNameNode: Node | undefined): ActivationAttr {
  const activationNode = written.get('activation')?.value;
  if (type === 'activation' && className !== 'Activation') {
    const classSpan = classNameNode === undefined ? undefined : spanOf(classNameNode);
    return { ...advancedActivation(className, config), explicit: true, source: 'own', valueSpan: classSpan };
  }
  if (activationNode !== undefined) {
    return { name: activationNameOf(activationNode), explicit: true, source: 'own', valueSpan: spanOf(activationNode) };
  }
  const fallback = defaultActivation(type) ?? (type === 'unknown' || type === 'model' ? null : 'linear');
  return { name: fallback, explicit: false, source: 'default' };
}

/** Activation of ReLU / LeakyReLU / ELU / PReLU / Softmax layers, with alpha where it matters. */
function advancedActivation(className: string, config: Record<string, ConfigValue>): { name: string | null; alpha?: number } {
  const implied = impliedActivationOf(className);
  const numeric = (value: ConfigValue | undefined): number | undefined => (typeof value === 'number' ? value : undefined);
  if (implied === 'relu') {
    const slope = numeric(config.negativeSlope) ?? 0;
    if (slope > 0) return { name: 'leakyRelu', alpha: slope };
    if (numeric(config.maxValue) === 6) return { name: 'relu6' };
    return { name: config.maxValue === undefined || config.maxValue === null ? 'relu' : null };
  }
  // Keras 2 and TF.js write `alpha` (default 0.3); Keras 3 writes `negative_slope`.
  if (implied === 'leakyRelu') return { name: implied, alpha: numeric(config.alpha) ?? numeric(config.negativeSlope) ?? 0.3 };
  if (implied === 'elu') return { name: implied, alpha: numeric(config.alpha) ?? 1 };
  return { name: implied };
}

/** An activation id from a JSON activation value: a string, or a Keras 3 serialized function object. */
function activationNameOf(node: Node): string | null {
  if (node.type === 'string') return activationIdOf(node.value as string);
  if (node.type === 'null') return 'linear';
  if (node.type === 'object') {
    const config = valueOf(node, 'config');
    if (config?.type === 'string') return activationIdOf(config.value as string);
    const className = stringOf(node, 'class_name');
    return className === undefined ? null : activationIdOf(className);
  }
  return null;
}

/** Fills kernel / recurrent / bias initializers from the written config or the dialect's defaults. */
function addInitializers(layer: Layer, written: Map<string, { value: Node; property: Node }>, dialect: Dialect): void {
  const defaults = defaultInitializers(layer.type, dialect);
  const kernelKey = kernelKeyOf(layer.type) ?? (written.has('kernelInitializer') ? 'kernelInitializer' : null);
  const attrOf = (key: string): InitializerAttr | undefined => {
    const entry = written.get(key);
    if (entry !== undefined) return writtenInitializer(key, entry.value, entry.property, dialect);
    const id = defaults[key];
    if (id === undefined) return undefined;
    const { spec, alias } = initializerSpecOf(id, {}, dialect);
    return { key, spec, explicit: false, alias, form: 'default' };
  };
  if (kernelKey !== null) layer.kernelInitializer = attrOf(kernelKey);
  const recurrent = attrOf('recurrentInitializer');
  if (recurrent !== undefined) layer.recurrentInitializer = recurrent;
  // With use_bias false the bias weight does not exist; Keras still writes its initializer, which then means nothing.
  if (layer.config.useBias !== false) {
    const bias = attrOf('biasInitializer');
    if (bias !== undefined) layer.biasInitializer = bias;
  }
}

function writtenInitializer(key: string, value: Node, property: Node, dialect: Dialect): InitializerAttr {
  const spans = { valueSpan: spanOf(value), propertySpan: spanOf(property) };
  if (value.type === 'string') {
    const { spec, alias } = initializerSpecOf(value.value as string, {}, dialect);
    return { key, spec, explicit: true, alias, form: 'json-string', ...spans };
  }
  const className = value.type === 'object' ? stringOf(value, 'class_name') : undefined;
  if (className !== undefined) {
    const configNode = objectOf(value, 'config');
    const config = configNode === undefined ? {} : (configValueOf(configNode) as Record<string, ConfigValue>);
    const { spec, alias } = initializerSpecOf(className, config, dialect);
    return { key, spec, explicit: true, alias, form: 'json-object', ...spans };
  }
  const reason = value.type === 'null' ? 'the initializer is null' : 'the initializer is neither a name nor a {class_name, config} object';
  return { key, spec: { kind: 'unknown', reason }, explicit: true, alias: null, form: value.type === 'object' ? 'json-object' : 'json-string', ...spans };
}

/**
 * Where a new property goes in a config object: after its last property, separated the way the file
 * already separates properties (",\n" + the indentation of a pretty-printed file, ", " or "," on one line).
 */
export function insertionPointOf(text: string, configNode: Node): InsertionPoint {
  const properties = configNode.children ?? [];
  if (properties.length === 0) return { offset: configNode.offset + 1, before: '', after: '' };
  const last = properties[properties.length - 1];
  const offset = last.offset + last.length;
  if (properties.length >= 2) {
    const previous = properties[properties.length - 2];
    const separator = text.slice(previous.offset + previous.length, last.offset);
    if (/^\s*,\s*$/.test(separator)) return { offset, before: separator.replace(/^\s+/, ''), after: '' };
  }
  const lineStart = text.lastIndexOf('\n', last.offset - 1);
  if (lineStart > configNode.offset) {
    const indentation = text.slice(lineStart + 1, last.offset);
    if (/^[ \t]*$/.test(indentation)) return { offset, before: (text.charCodeAt(lineStart - 1) === 13 ? ',\r\n' : ',\n') + indentation, after: '' };
  }
  return { offset, before: ', ', after: '' };
}
