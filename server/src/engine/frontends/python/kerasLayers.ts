// Keras (Python) layer constructors: layers.Dense(64, activation='relu', kernel_initializer='he_normal') read into layer
// drafts with Keras's own defaults (dialect keras3), camelCase config keys and the spans a fix edits.
import type { ConfigValue, InitializerAttr, LayerType, Span } from '../../ir';
import { defaultActivation, defaultInitializers, kernelKeyOf } from '../../catalog/layerDefaults';
import { activationIdOf, layerTypeOf } from '../../catalog/names';
import { camelCaseKey } from '../json/document';
import { defaultInitializerAttr, impliedActivation, initializerAttr } from '../common';
import type { PyLayerDraft, Value } from './values';

const CONV = [
  'filters',
  'kernel_size',
  'strides',
  'padding',
  'data_format',
  'dilation_rate',
  'groups',
  'activation',
  'use_bias',
  'kernel_initializer',
  'bias_initializer',
];
const RNN = ['units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer'];

/** Positional parameters of the Keras layer constructors model-lint reads (keywords work for every class). */
const KERAS_PARAMS: Record<string, string[]> = {
  Dense: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'],
  Conv1D: CONV,
  Conv2D: CONV,
  Conv3D: CONV,
  Conv1DTranspose: CONV,
  Conv2DTranspose: CONV,
  Conv3DTranspose: CONV,
  SeparableConv2D: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation'],
  DepthwiseConv2D: ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation'],
  LSTM: RNN,
  GRU: RNN,
  SimpleRNN: ['units', 'activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer'],
  Embedding: ['input_dim', 'output_dim', 'embeddings_initializer'],
  Dropout: ['rate', 'noise_shape', 'seed'],
  AlphaDropout: ['rate', 'noise_shape', 'seed'],
  SpatialDropout1D: ['rate'],
  SpatialDropout2D: ['rate'],
  Activation: ['activation'],
  LeakyReLU: ['negative_slope'],
  ELU: ['alpha'],
  ReLU: ['max_value', 'negative_slope', 'threshold'],
  Softmax: ['axis'],
  Reshape: ['target_shape'],
  Flatten: ['data_format'],
  Concatenate: ['axis'],
  MaxPooling1D: ['pool_size', 'strides', 'padding'],
  MaxPooling2D: ['pool_size', 'strides', 'padding'],
  AveragePooling2D: ['pool_size', 'strides', 'padding'],
  BatchNormalization: ['axis', 'momentum', 'epsilon'],
  LayerNormalization: ['axis', 'epsilon'],
  Input: ['shape', 'batch_size', 'dtype'],
  InputLayer: ['shape', 'batch_size', 'dtype'],
  Bidirectional: ['layer', 'merge_mode'],
  TimeDistributed: ['layer'],
};

/** Parameter names of a Keras layer class in order (for binding positional arguments). */
export function kerasLayerParams(className: string): string[] {
  return Object.hasOwn(KERAS_PARAMS, className) ? KERAS_PARAMS[className] : [];
}

/** The canonical id of a Keras activation argument: a string, None, or a function (tf.nn.relu, keras.activations.gelu). */
export function kerasActivationOf(value: Value): { name: string | null; reason?: string } {
  if (value.kind === 'const' && value.value === null) return { name: 'linear' };
  if (value.kind === 'const' && typeof value.value === 'string') return { name: activationIdOf(value.value) };
  if (value.kind === 'activation') return { name: value.name };
  if (value.kind === 'path') return { name: activationIdOf(value.path.slice(value.path.lastIndexOf('.') + 1)) };
  return { name: null, reason: value.kind === 'unknown' ? value.reason : 'not an activation model-lint knows' };
}

/** One keyword or positional argument as read: its value, the IR config value and its spans (for a written keyword). */
export interface KerasArgument {
  value: Value;
  config: ConfigValue;
  valueSpan: Span;
  keySpan?: Span;
  propertySpan?: Span;
  quote?: "'" | '"';
  /** The argument's source text (shown in messages as written). */
  text: string;
  /** True when the argument holds a syntax error (half-typed): its text is then not shown as the initializer's name. */
  broken?: boolean;
}

/** An initializer attribute from a Keras `*_initializer=` argument: a string id or an initializers.X(...) object. */
function initializerFromArgument(key: string, argument: KerasArgument): InitializerAttr {
  const placement = { valueSpan: argument.valueSpan, ...(argument.propertySpan ? { propertySpan: argument.propertySpan } : {}) };
  // The argument as written, when it is short and reads whole; code (not a string literal) quoted with backticks.
  const written = argument.text.replace(/\s+/g, ' ');
  const label = written.length > 60 || argument.broken ? undefined : /^['"]/.test(written) ? written : `\`${written}\``;
  return { ...initializerAttrOf(key, argument, placement), ...(label !== undefined ? { label } : {}) };
}

function initializerAttrOf(key: string, argument: KerasArgument, placement: { valueSpan: Span; propertySpan?: Span }): InitializerAttr {
  const value = argument.value;
  if (value.kind === 'const' && typeof value.value === 'string') {
    return {
      ...initializerAttr(key, value.value, {}, 'keras3', 'python-string', placement),
      ...(argument.quote ? { quote: argument.quote } : {}),
    };
  }
  if (value.kind === 'initializer') {
    return { ...initializerAttr(key, value.name, value.config, 'keras3', 'python-call', placement), callee: value.callee };
  }
  if (value.kind === 'path') {
    // A class passed without calling it (kernel_initializer=initializers.HeNormal) is resolved by Keras too.
    const name = value.path.slice(value.path.lastIndexOf('.') + 1);
    return initializerAttr(key, name, {}, 'keras3', 'python-call', placement);
  }
  const reason = value.kind === 'unknown' ? value.reason : `a ${value.kind} is not an initializer model-lint can read`;
  return { key, spec: { kind: 'unknown', reason }, explicit: true, alias: null, form: 'python-call', ...placement };
}

/** Reads a Keras layer constructor call into a draft. `args` maps snake_case parameter names to what was written. */
export function kerasLayerDraft(
  className: string,
  args: Map<string, KerasArgument>,
  base: Pick<PyLayerDraft, 'span' | 'configSpan' | 'insertion'>,
): PyLayerDraft {
  const type = layerTypeOf(className);
  const draft: PyLayerDraft = {
    framework: 'keras',
    type,
    className,
    config: {},
    properties: {},
    ...base,
    activation: { name: null, explicit: false, source: 'default' },
    notes: [],
  };
  const initializers = new Map<string, InitializerAttr>();
  args.forEach((argument, snake) => {
    const key = snake === 'input_shape' ? 'inputShape' : snake === 'shape' && type === 'input' ? 'shape' : camelCaseKey(snake);
    if (argument.keySpan && argument.propertySpan)
      draft.properties[key] = { keySpan: argument.keySpan, valueSpan: argument.valueSpan, propertySpan: argument.propertySpan };
    if (key.endsWith('Initializer')) {
      initializers.set(key, initializerFromArgument(key, argument));
      draft.config[key] = argument.config;
      return;
    }
    if (key === 'activation' || key === 'recurrentActivation') {
      const read = kerasActivationOf(argument.value);
      draft.config[key] = read.name ?? { kind: 'unknown', reason: read.reason ?? 'unknown activation' };
      return;
    }
    draft.config[key] = argument.config;
  });
  if (type === 'input' && draft.config.shape !== undefined) draft.config.inputShape = draft.config.shape;
  const attrFor = (key: string | null): InitializerAttr | undefined =>
    key === null ? undefined : (initializers.get(key) ?? defaultInitializerAttr(key, type, 'keras3'));
  draft.kernelInitializer = attrFor(kernelKeyOf(type));
  if (type === 'lstm' || type === 'gru' || type === 'simpleRNN') draft.recurrentInitializer = attrFor('recurrentInitializer');
  if ('biasInitializer' in defaultInitializers(type, 'keras3') && draft.config.useBias !== false)
    draft.biasInitializer = attrFor('biasInitializer');
  for (const attr of [draft.kernelInitializer, draft.recurrentInitializer, draft.biasInitializer]) {
    if (attr && !attr.explicit) attr.label = `Keras default ${snakeName(attr.alias ?? attr.spec.kind)}`;
  }
  draft.activation = activationAttrOf(type, className, draft, args.get('activation'));
  if (type === 'unknown')
    draft.notes.push(`layer class '${className}' is not one model-lint models; the signal is not followed through it`);
  return draft;
}

function activationAttrOf(
  type: LayerType,
  className: string,
  draft: PyLayerDraft,
  written: KerasArgument | undefined,
): PyLayerDraft['activation'] {
  const implied = impliedActivation(className, draft.config);
  if (implied !== null)
    return {
      name: implied.name,
      explicit: true,
      source: 'own',
      valueSpan: draft.span,
      ...(implied.alpha === undefined ? {} : { alpha: implied.alpha }),
    };
  const configured = draft.config.activation;
  if (configured !== undefined) {
    const name = typeof configured === 'string' ? configured : null;
    return { name, explicit: true, source: 'own', ...(written ? { valueSpan: written.valueSpan } : {}) };
  }
  const fallback = defaultActivation(type);
  return { name: fallback ?? (type === 'unknown' ? null : 'linear'), explicit: false, source: 'default' };
}

function snakeName(id: string): string {
  return id
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace('le_cun', 'lecun');
}
