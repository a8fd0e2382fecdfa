// Builds model IR objects by hand for tests of propagation, rules and the probe, without a front end.
import { initializerSpecOf } from '../../server/src/engine/catalog/names';
import type {
  ActivationAttr,
  ConfigValue,
  Dialect,
  InitializerAttr,
  InitializerSpec,
  Layer,
  LayerType,
  Model,
} from '../../server/src/engine/ir';

/** An initializer by name ('heNormal', 'glorot_uniform', 'randomNormal' with config) or as a ready spec. */
export type InitInput = string | { name: string; config?: Record<string, ConfigValue> } | InitializerSpec;

/** An initializer attribute as a front end would produce it (explicit unless `explicit: false`). */
export function initializerAttr(init: InitInput, dialect: Dialect, key = 'kernelInitializer', explicit = true): InitializerAttr {
  if (typeof init === 'object' && 'kind' in init) {
    return { key, spec: init, explicit, alias: null, form: explicit ? 'object' : 'default' };
  }
  const name = typeof init === 'string' ? init : init.name;
  const config = typeof init === 'string' ? {} : (init.config ?? {});
  const { spec, alias } = initializerSpecOf(name, config, dialect);
  return { key, spec, explicit, alias, form: explicit ? 'string' : 'default' };
}

/** An activation attribute (own, explicit). null = unknown. */
export function activationAttr(name: string | null, source: ActivationAttr['source'] = 'own', alpha?: number): ActivationAttr {
  return { name, explicit: source !== 'default', source, ...(alpha === undefined ? {} : { alpha }) };
}

/** The fields every layer needs, with neutral defaults; override what the test is about. */
export function layer(fields: Partial<Layer> & { id: string; type: LayerType }): Layer {
  return {
    name: fields.id,
    className: fields.type,
    config: {},
    activation: activationAttr('linear', 'default'),
    fanIn: null,
    fanOut: null,
    outputSize: null,
    span: { start: 0, end: 0 },
    properties: {},
    inbound: [],
    ...fields,
  };
}

/** One dense layer of a stack. `init` defaults to the dialect's default (glorotNormal in TF.js, glorot_uniform in Keras). */
export interface DenseSpec {
  units: number;
  activation?: string | null;
  init?: InitInput;
  bias?: InitInput;
  useBias?: boolean;
  name?: string;
  /** leakyRelu / elu alpha. */
  alpha?: number;
}

/** A dense layer with fans set from its input width. */
export function denseLayer(id: string, spec: DenseSpec, inputWidth: number | null, dialect: Dialect, inbound: string[] = []): Layer {
  const kernelInitializer =
    spec.init === undefined
      ? initializerAttr(dialect === 'tfjs' ? 'glorotNormal' : 'glorotUniform', dialect, 'kernelInitializer', false)
      : initializerAttr(spec.init, dialect);
  const biasInitializer =
    spec.bias === undefined
      ? initializerAttr('zeros', dialect, 'biasInitializer', false)
      : initializerAttr(spec.bias, dialect, 'biasInitializer');
  const activation =
    spec.activation === undefined ? activationAttr('linear', 'default') : activationAttr(spec.activation, 'own', spec.alpha);
  return layer({
    id,
    name: spec.name ?? id,
    type: 'dense',
    className: 'dense',
    config: { units: spec.units, ...(spec.useBias === undefined ? {} : { useBias: spec.useBias }) },
    activation,
    kernelInitializer,
    biasInitializer,
    fanIn: inputWidth,
    fanOut: spec.units,
    outputSize: spec.units,
    outputShape: [spec.units],
    inbound,
  });
}

/** Options of a whole model. */
export interface ModelOptions {
  inputDim: number | null;
  dialect?: Dialect;
  name?: string;
}

/** A sequential stack of dense layers (inbound ids filled in, as the front ends do). */
export function denseStack(specs: DenseSpec[], options: ModelOptions): Model {
  const dialect = options.dialect ?? 'tfjs';
  const layers: Layer[] = [];
  let width = options.inputDim;
  specs.forEach((spec, index) => {
    const id = `dense_${index + 1}`;
    layers.push(denseLayer(id, spec, width, dialect, index === 0 ? [] : [layers[index - 1].id]));
    width = spec.units;
  });
  return sequential(layers, options);
}

/** A sequential model of the given layers, chaining inbound ids where they are empty. */
export function sequential(layers: Layer[], options: ModelOptions): Model {
  const chained = layers.map((l, index) => (index > 0 && l.inbound.length === 0 ? { ...l, inbound: [layers[index - 1].id] } : l));
  return {
    name: options.name ?? 'model',
    kind: 'sequential',
    dialect: options.dialect ?? 'tfjs',
    span: { start: 0, end: 0 },
    layers: chained,
    inputShape: options.inputDim === null ? null : [options.inputDim],
    notes: [],
  };
}

/** A functional model: layers in topological order with their inbound ids as given. */
export function functional(layers: Layer[], options: ModelOptions): Model {
  return {
    name: options.name ?? 'model',
    kind: 'functional',
    dialect: options.dialect ?? 'tfjs',
    span: { start: 0, end: 0 },
    layers,
    inputShape: options.inputDim === null ? null : [options.inputDim],
    notes: [],
  };
}

/** A batch normalization layer. */
export function batchNorm(id: string, inbound: string[] = [], width: number | null = null): Layer {
  return layer({ id, type: 'batchNormalization', className: 'batchNormalization', inbound, outputSize: width });
}

/** A residual add of the given layers. */
export function addLayer(id: string, inbound: string[], width: number | null = null): Layer {
  return layer({ id, type: 'add', className: 'add', inbound, outputSize: width });
}

/** A dropout layer. */
export function dropoutLayer(id: string, rate: number, inbound: string[] = []): Layer {
  return layer({ id, type: 'dropout', className: 'dropout', config: { rate }, inbound });
}

/** An input layer of a functional model. */
export function inputLayer(id: string, width: number): Layer {
  return layer({ id, type: 'input', className: 'inputLayer', outputSize: width, outputShape: [width] });
}

/** A separate activation layer (not folded onto the layer before it). */
export function activationLayer(id: string, name: string, inbound: string[] = []): Layer {
  return layer({ id, type: 'activation', className: 'activation', activation: activationAttr(name, 'own'), inbound });
}

/** A 2D convolution (channels last, 'same' padding unless `config` says otherwise) with its library fans and output shape. */
export function conv2dLayer(
  id: string,
  spec: { filters: number; kernelSize?: number; strides?: number; activation?: string; init?: InitInput },
  input: { size: number; channels: number },
  dialect: Dialect,
  inbound: string[] = [],
): Layer {
  const kernel = spec.kernelSize ?? 3;
  const strides = spec.strides ?? 1;
  const size = Math.ceil(input.size / strides);
  return layer({
    id,
    type: 'conv2d',
    className: 'conv2d',
    inbound,
    config: { filters: spec.filters, kernelSize: kernel, strides, padding: 'same' },
    activation: spec.activation === undefined ? activationAttr('linear', 'default') : activationAttr(spec.activation),
    kernelInitializer:
      spec.init === undefined
        ? initializerAttr(dialect === 'tfjs' ? 'glorotNormal' : 'glorotUniform', dialect, 'kernelInitializer', false)
        : initializerAttr(spec.init, dialect),
    fanIn: kernel * kernel * input.channels,
    fanOut: kernel * kernel * spec.filters,
    outputSize: spec.filters,
    outputShape: [size, size, spec.filters],
  });
}
