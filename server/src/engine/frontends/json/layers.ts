// One model JSON layer object → an IR Layer: config (camelCase keys), spans, initializers, own activation, insertion point.
import type { ActivationAttr, ConfigValue, Dialect, InitializerAttr, InsertionPoint, Layer, LayerType, Span } from '../../ir';
import { defaultActivation, kernelKeyOf } from '../../catalog/layerDefaults';
import { activationIdOf, layerTypeOf } from '../../catalog/names';
import { defaultInitializerAttr, impliedActivation, initializerAttr, unnamedLayerName } from '../common';
import { containerSpan, isObject, keyIndex, objectAt, stringAt, valueSpanAt, type ContainerSpans, type JsonObject } from './document';
import { setOwn } from '../../ownKeys';

/** Class names of wrapper layers whose `config.layer` is the layer that owns the weights. */
export const WRAPPER_CLASSES = new Set(['Bidirectional', 'TimeDistributed']);

/** A layer read from JSON before the model-level passes (graph, shapes, activation folding) complete it. */
export interface LayerDraft {
  layer: Layer;
  /** Class name of the layer that owns the weights (the wrapped one for wrappers). */
  className: string;
  /** The wrapper's own config (merge_mode, batch_input_shape, ...). */
  wrapperConfig?: JsonObject;
  /** The layer's own JSON object (the outer one for wrappers): holds name, inbound_nodes, build_config. */
  value: JsonObject;
  /** For nested models: the model object to read once its input shape is known. */
  nestedModel?: JsonObject;
}

const MODEL_CLASSES = /^(Sequential|Functional|Model)$/;

const typeByClass = new Map<string, LayerType>();

/** layerTypeOf, remembered per class name: a large model repeats a few class names thousands of times. */
function typeOfClass(className: string): LayerType {
  let type = typeByClass.get(className);
  if (type === undefined) {
    type = layerTypeOf(className);
    if (typeByClass.size < 1000) typeByClass.set(className, type);
  }
  return type;
}

/** True when a `{class_name, config}` object is a model (a model class, or a config with a layer list). */
export function isModelObject(value: ConfigValue | undefined): value is JsonObject {
  const className = stringAt(value, 'className');
  if (className === undefined) return false;
  if (MODEL_CLASSES.test(className)) return true;
  if (typeOfClass(className) !== 'unknown') return false; // a known layer class is never a model
  const config = (value as JsonObject).config;
  return (isObject(config) && Array.isArray(config.layers)) || (Array.isArray(config) && className !== 'InputLayer');
}

/**
 * Reads one layer object; null when it is not a layer (no class_name). `index` is its position in the
 * model's layer list, for naming unnamed layers.
 */
export function readLayer(
  text: string,
  value: ConfigValue,
  index: number,
  dialect: Dialect,
  spans: Map<object, ContainerSpans>,
): LayerDraft | null {
  if (!isObject(value)) return null;
  const outerClass = stringAt(value, 'className');
  if (outerClass === undefined) return null;
  const outerConfig = objectAt(value, 'config');

  let className = outerClass;
  let owner: JsonObject = value; // the object whose class_name and config describe the weights
  let wrapper: string | undefined;
  let wrapperConfig: JsonObject | undefined;
  const innerLayer = WRAPPER_CLASSES.has(outerClass) ? objectAt(outerConfig, 'layer') : undefined;
  const innerClass = stringAt(innerLayer, 'className');
  if (innerLayer !== undefined && innerClass !== undefined) {
    wrapper = outerClass;
    className = innerClass;
    owner = innerLayer;
    wrapperConfig = outerConfig;
  }
  const configObject = objectAt(owner, 'config');
  const configSpans = configObject === undefined ? undefined : spans.get(configObject);

  // A model can be a layer of another model, also inside a wrapper (TimeDistributed(Sequential)).
  const nested = isModelObject(owner);
  const type: LayerType = nested ? 'model' : typeOfClass(className);
  const config: Record<string, ConfigValue> = configObject ?? {};
  const name = stringAt(outerConfig, 'name') ?? stringAt(value, 'name') ?? unnamedLayerName(outerClass, index);
  const ownerSpans = spans.get(owner);
  const classIndex = ownerSpans === undefined ? -1 : keyIndex(ownerSpans, 'className');
  const layerSpans = spans.get(value) as ContainerSpans;
  const layer: Layer = {
    id: name,
    name,
    type,
    className: wrapper === undefined ? className : `${wrapper}(${className})`,
    config,
    activation: ownActivation(
      type,
      className,
      config,
      configSpans,
      classIndex < 0 ? undefined : valueSpanAt(ownerSpans as ContainerSpans, classIndex),
    ),
    fanIn: null,
    fanOut: null,
    outputSize: null,
    span: containerSpan(layerSpans),
    properties: configSpans === undefined ? {} : propertySpansOf(configSpans),
    inbound: [],
  };
  if (configSpans !== undefined) {
    layer.configSpan = containerSpan(configSpans);
    layer.insertion = insertionPointOf(text, configSpans);
  }
  if (wrapper !== undefined) layer.wrapper = wrapper;
  if (!nested) addInitializers(layer, configSpans, dialect);
  return { layer, className, wrapperConfig, value, nestedModel: nested ? owner : undefined };
}

/** The activation a layer applies by itself: its `activation` config, what an activation layer class implies, or the type default. */
function ownActivation(
  type: LayerType,
  className: string,
  config: Record<string, ConfigValue>,
  configSpans: ContainerSpans | undefined,
  classSpan: Span | undefined,
): ActivationAttr {
  if (type === 'activation' && className !== 'Activation') {
    return { ...(impliedActivation(className, config) ?? { name: null }), explicit: true, source: 'own', valueSpan: classSpan };
  }
  const written = configSpans === undefined ? -1 : keyIndex(configSpans, 'activation');
  if (written >= 0 && config.activation !== undefined) {
    return {
      name: activationNameOf(config.activation),
      explicit: true,
      source: 'own',
      valueSpan: valueSpanAt(configSpans as ContainerSpans, written),
    };
  }
  const fallback = defaultActivation(type) ?? (type === 'unknown' || type === 'model' ? null : 'linear');
  return { name: fallback, explicit: false, source: 'default' };
}

/** Key, value and whole-property spans of each property of a config object, by camelCase key (the last of repeated keys). */
function propertySpansOf(spans: ContainerSpans): Layer['properties'] {
  const properties: Layer['properties'] = {};
  const keys = spans.keys as string[];
  const items = spans.items;
  for (let i = 0; i < keys.length; i++) {
    const keyStart = items[4 * i];
    const valueStart = items[4 * i + 2];
    const valueEnd = valueStart + items[4 * i + 3];
    setOwn(properties, keys[i], {
      keySpan: { start: keyStart, end: keyStart + items[4 * i + 1] },
      valueSpan: { start: valueStart, end: valueEnd },
      propertySpan: { start: keyStart, end: valueEnd },
    });
  }
  return properties;
}

/** An activation id from a JSON activation value: a name, null (linear), or a Keras 3 serialized function object. */
function activationNameOf(value: ConfigValue): string | null {
  if (typeof value === 'string') return activationIdOf(value);
  if (value === null) return 'linear';
  if (isObject(value)) {
    if (typeof value.config === 'string') return activationIdOf(value.config);
    return typeof value.className === 'string' ? activationIdOf(value.className) : null;
  }
  return null;
}

/** Fills kernel / recurrent / bias initializers from the written config or the dialect's defaults. */
function addInitializers(layer: Layer, configSpans: ContainerSpans | undefined, dialect: Dialect): void {
  const kernelKey = kernelKeyOf(layer.type) ?? (layer.config.kernelInitializer !== undefined ? 'kernelInitializer' : null);
  const attrOf = (key: string): InitializerAttr | undefined => {
    const index = configSpans === undefined ? -1 : keyIndex(configSpans, key);
    const value = layer.config[key];
    if (index >= 0 && value !== undefined) {
      const valueSpan = valueSpanAt(configSpans as ContainerSpans, index);
      const propertySpan = { start: (configSpans as ContainerSpans).items[4 * index], end: valueSpan.end };
      return writtenInitializer(key, value, valueSpan, propertySpan, dialect);
    }
    return defaultInitializerAttr(key, layer.type, dialect);
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

function writtenInitializer(key: string, value: ConfigValue, valueSpan: Span, propertySpan: Span, dialect: Dialect): InitializerAttr {
  if (typeof value === 'string') return initializerAttr(key, value, {}, dialect, 'json-string', { valueSpan, propertySpan });
  const className = stringAt(value, 'className');
  if (className !== undefined)
    return initializerAttr(key, className, objectAt(value, 'config') ?? {}, dialect, 'json-object', { valueSpan, propertySpan });
  const reason = value === null ? 'the initializer is null' : 'the initializer is neither a name nor a {class_name, config} object';
  return {
    key,
    spec: { kind: 'unknown', reason },
    explicit: true,
    alias: null,
    form: isObject(value) ? 'json-object' : 'json-string',
    valueSpan,
    propertySpan,
  };
}

/**
 * Where a new property goes in a config object: after its last property, separated the way the file
 * already separates properties (",\n" + the indentation of a pretty-printed file, ", " or "," on one line).
 */
export function insertionPointOf(text: string, spans: ContainerSpans): InsertionPoint {
  const items = spans.items;
  const count = items.length / 4;
  if (count === 0) return { offset: spans.offset + 1, before: '', after: '' };
  const lastKey = items[4 * (count - 1)];
  const offset = items[4 * (count - 1) + 2] + items[4 * (count - 1) + 3];
  if (count >= 2) {
    const previousEnd = items[4 * (count - 2) + 2] + items[4 * (count - 2) + 3];
    const separator = text.slice(previousEnd, lastKey);
    if (/^\s*,\s*$/.test(separator)) return { offset, before: separator.replace(/^\s+/, ''), after: '' };
  }
  const lineStart = text.lastIndexOf('\n', lastKey - 1);
  if (lineStart > spans.offset) {
    const indentation = text.slice(lineStart + 1, lastKey);
    if (/^[ \t]*$/.test(indentation))
      return { offset, before: (text.charCodeAt(lineStart - 1) === 13 ? ',\r\n' : ',\n') + indentation, after: '' };
  }
  return { offset, before: ', ', after: '' };
}
