// Builds a TF.js model from the engine's IR (layer types, configs, initializers) without running the user's code.
import * as tf from '@tensorflow/tfjs';
import type { ConfigValue, Layer, Model } from '../engine/ir';
import { isUnknown } from '../engine/ir';
import type { ProbeErrorCode } from '../../../common/src/probe';
import { initializerFor } from './initializers';
import { dialectConfig, dialectInitializers, splitActivationLayer } from './dialects';
import { ownValue, setOwn } from '../engine/ownKeys';
import { unknownParametersOf } from '../engine/catalog/initializers';

/** A problem that makes a model impossible to probe, with a message for the user (and a code when a client can act on it). */
export class ProbeError extends Error {
  constructor(
    message: string,
    readonly code?: ProbeErrorCode,
  ) {
    super(message);
  }
}

/** One IR layer as built: its output, the tensor its activation sees, and its kernel. */
export interface BuiltLayer {
  layer: Layer;
  /** Activation id applied to `preActivation` to give `output` (null when the layer has no separable activation). */
  activation: string | null;
  preActivation: tf.SymbolicTensor | null;
  output: tf.SymbolicTensor;
  kernel: tf.LayerVariable | null;
}

/** The probe's model: the user's model plus outputs for every layer's pre-activation and activation. */
export interface BuiltModel {
  /** Outputs: the model's outputs first, then every monitored tensor once. */
  probeModel: tf.LayersModel;
  outputCount: number;
  /** Per built layer: index of its pre-activation and output among the probe model's outputs. */
  monitorIndex: { pre: number | null; out: number }[];
  layers: BuiltLayer[];
  inputs: { shape: number[]; integerRange: number | null }[];
  /** Loss fitting each model output. */
  losses: string[];
  assumptions: string[];
  /** Parameter count estimated from the IR before building (null when not derivable). */
  estimatedParams: number | null;
}

/** Options that decide the probe's input. */
export interface BuildOptions {
  batchSize: number;
  /** Input shape without the batch dimension, overriding the model's (fills unknown values). */
  inputShape?: number[];
  /** Size assumed for an unknown non-batch dimension. */
  assumedDimension?: number;
  maxParams: number;
}

// Layer types whose activation is a config option we can split off, so pre-activations can be measured.
const SPLIT_ACTIVATION_TYPES = new Set(['dense', 'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose', 'separableConv2d', 'depthwiseConv2d']);
const NOT_LAYER_FACTORIES = new Set(['layer', 'rnn', 'rnncell', 'input', 'inputlayer']);
const REQUIRED_KEYS = ['units', 'filters', 'kernelSize', 'inputDim', 'outputDim', 'rate', 'targetShape', 'poolSize', 'depthMultiplier'];
// TF.js cannot rebuild Keras regularizer/constraint objects; they do not change initial gradients, so they are dropped.
const DROPPED_KEY = /(Regularizer|Constraint)$/;

function normalizeName(name: string): string {
  return name
    .replace(/^(tf\.)?layers\./, '')
    .replace(/[_\s]/g, '')
    .toLowerCase();
}

const FACTORY_BY_NAME = new Map<string, (config: never) => tf.layers.Layer>();
for (const [key, value] of Object.entries(tf.layers)) {
  if (typeof value !== 'function' || NOT_LAYER_FACTORIES.has(key.toLowerCase()) || /cell$/i.test(key)) continue;
  FACTORY_BY_NAME.set(key.toLowerCase(), value as (config: never) => tf.layers.Layer);
}
// Keras class names that differ from the TF.js factory names.
const KERAS_ALIASES: Record<string, string> = {
  relu: 'reLU',
  leakyrelu: 'leakyReLU',
  conv2dtranspose: 'conv2dTranspose',
  inputlayer: 'input',
};

function factoryFor(layer: Layer): ((config: never) => tf.layers.Layer) | null {
  const byClass = normalizeName(layer.className);
  const alias = ownValue(KERAS_ALIASES, byClass);
  return FACTORY_BY_NAME.get((alias ?? byClass).toLowerCase()) ?? FACTORY_BY_NAME.get(layer.type.toLowerCase()) ?? null;
}

function snakeToCamel(value: string): string {
  return value.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * For the report, next to the layer: which of its initializers (or their parameters) could not be read and what the
 * probe drew instead, in the words of initializerFor's own notes; undefined when every one was read.
 */
export function unknownInitializersOf(layer: Layer, model: Model): string | undefined {
  const gaps: string[] = [];
  for (const attr of [layer.kernelInitializer, layer.recurrentInitializer, layer.biasInitializer]) {
    if (attr === undefined || (attr.spec.kind !== 'unknown' && unknownParametersOf(attr.spec).length === 0)) continue;
    const said: string[] = [];
    initializerFor(attr, layer, model, said);
    gaps.push(...said.map((note) => note.replace(/\.$/, '')));
  }
  return gaps.length === 0 ? undefined : gaps.join('; ');
}

function plainConfig(layer: Layer, assumptions: string[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(layer.config)) {
    if (key === 'name' || key === 'inputShape' || key === 'batchInputShape' || key === 'batchSize' || key === 'inputDType') continue;
    if (DROPPED_KEY.test(key) || /Initializer$/.test(key)) continue;
    if (key === 'dtype' && typeof value !== 'string') continue;
    if (containsUnknown(value)) {
      if (REQUIRED_KEYS.includes(key)) {
        throw new ProbeError(
          `Layer '${layer.name}': ${key} is not known statically (${unknownReason(value)}); the probe cannot build the layer.`,
        );
      }
      assumptions.push(`${layer.name}.${key}: unknown (${unknownReason(value)}); TF.js's default was used.`);
      continue;
    }
    setOwn(
      config,
      key,
      key === 'dataFormat' || key === 'recurrentActivation' || key === 'activation'
        ? typeof value === 'string'
          ? snakeToCamel(value)
          : value
        : value,
    );
  }
  return config;
}

function containsUnknown(value: ConfigValue): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsUnknown);
  return false;
}

function unknownReason(value: ConfigValue): string {
  if (isUnknown(value)) return value.reason;
  const inner = (Array.isArray(value) ? value : value !== null && typeof value === 'object' ? Object.values(value) : []).find(
    containsUnknown,
  );
  return inner === undefined ? 'unknown' : unknownReason(inner);
}

function numberList(value: ConfigValue | undefined): (number | null)[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((v) => (typeof v === 'number' ? v : null));
}

function inputShapeOf(model: Model, first: Layer | undefined, options: BuildOptions, assumptions: string[]): number[] {
  let shape: (number | null)[] | null = options.inputShape ?? model.inputShape;
  if (!shape && first) {
    shape = numberList(first.config.inputShape) ?? numberList(first.config.batchInputShape)?.slice(1) ?? numberList(first.config.shape);
    if (!shape && typeof first.config.inputDim === 'number' && first.type !== 'embedding') shape = [first.config.inputDim];
    if (!shape && first.type === 'embedding') shape = [typeof first.config.inputLength === 'number' ? first.config.inputLength : null];
    if (!shape && first.type === 'dense' && first.fanIn !== null) shape = [first.fanIn];
  }
  if (!shape) {
    throw new ProbeError(
      `The input shape of model '${model.name}' cannot be found: give the first layer an inputShape (or pass the probe an input shape).`,
      'input-shape-unknown',
    );
  }
  const assumed = options.assumedDimension ?? 16;
  return shape.map((dim, axis) => {
    if (typeof dim === 'number' && dim > 0) return dim;
    assumptions.push(`Input dimension ${axis + 1} of model '${model.name}' is unknown; assumed ${assumed}.`);
    return assumed;
  });
}

function estimateParams(model: Model): number | null {
  let total = 0;
  for (const layer of model.layers) {
    if (layer.fanIn !== null && layer.fanOut !== null && layer.kernelInitializer) {
      const receptive = layer.outputSize ? layer.fanOut / layer.outputSize : 1;
      const inChannels = receptive > 0 ? layer.fanIn / receptive : layer.fanIn;
      total += inChannels * layer.fanOut + (layer.outputSize ?? 0);
    } else if (layer.kernelInitializer && layer.type !== 'batchNormalization' && layer.type !== 'layerNormalization') {
      return null;
    }
  }
  return total;
}

function lossFor(activation: string | null, modelLoss: string | null | undefined): string {
  if (modelLoss) return snakeToCamel(modelLoss);
  if (activation === 'softmax') return 'categoricalCrossentropy';
  if (activation === 'sigmoid') return 'binaryCrossentropy';
  return 'meanSquaredError';
}

/** Builds the probe model of an IR model; throws ProbeError with a user-facing reason when it cannot. */
export function buildProbeModel(model: Model, options: BuildOptions): BuiltModel {
  const assumptions: string[] = [];
  if (model.dialect === 'pytorch') {
    assumptions.push(
      "PyTorch model rebuilt in TF.js with PyTorch's initialization: the nn.init draws as read, PyTorch's defaults (Linear/Conv U(±1/√fan_in) for weight and bias) where none is written; tensors channels-last.",
    );
  }
  if (model.layers.length === 0) throw new ProbeError(`Model '${model.name}' has no layers the engine could read.`);
  const estimatedParams = estimateParams(model);
  if (estimatedParams !== null && estimatedParams > options.maxParams) {
    throw new ProbeError(
      `Model '${model.name}' has about ${estimatedParams.toLocaleString('en-US')} parameters, over the probe limit of ${options.maxParams.toLocaleString('en-US')} (option maxParams).`,
    );
  }
  for (const layer of model.layers) {
    if (layer.type === 'input') continue;
    if (layer.wrapper)
      throw new ProbeError(`Layer '${layer.name}' is wrapped in ${layer.wrapper}; the probe does not rebuild wrapped layers yet.`);
    if (layer.type === 'model')
      throw new ProbeError(`Layer '${layer.name}' is a nested model; the probe does not rebuild nested models yet.`);
    if (layer.repeated && layer.repeated.count === null) {
      throw new ProbeError(
        `Layer '${layer.name}' is built in a loop whose bound is unknown (${layer.repeated.note ?? 'not a constant'}); the probe cannot know how many layers to build.`,
      );
    }
    if (!factoryFor(layer)) {
      throw new ProbeError(
        `Layer '${layer.name}' (${layer.className}) is not a TF.js built-in layer; the probe never runs your code, so it cannot build a custom layer.`,
      );
    }
  }

  const inputLayers = model.layers.filter((l) => l.type === 'input');
  const firstReal = model.layers.find((l) => l.type !== 'input');
  const tensorById = new Map<string, tf.SymbolicTensor>();
  const inputs: BuiltModel['inputs'] = [];
  const symbolicInputs: tf.SymbolicTensor[] = [];
  const makeInput = (shape: number[], integerRange: number | null): tf.SymbolicTensor => {
    const input = tf.input({ shape, dtype: integerRange !== null ? 'int32' : 'float32' });
    inputs.push({ shape, integerRange });
    symbolicInputs.push(input);
    return input;
  };
  const embeddingRange = (layer: Layer | undefined): number | null => {
    if (!layer || layer.type !== 'embedding') return null;
    const dim = layer.config.inputDim;
    if (typeof dim !== 'number')
      throw new ProbeError(`Embedding '${layer.name}': inputDim is not known statically; the probe cannot draw token ids.`);
    return dim;
  };

  if (model.kind === 'functional' && inputLayers.length > 0) {
    for (const inputLayer of inputLayers) {
      const consumer = model.layers.find((l) => l.inbound.includes(inputLayer.id));
      const shape = inputShapeOf(
        { ...model, inputShape: inputLayers.length === 1 ? model.inputShape : null },
        inputLayer,
        options,
        assumptions,
      );
      tensorById.set(inputLayer.id, makeInput(shape, embeddingRange(consumer)));
    }
  } else {
    makeInput(inputShapeOf(model, firstReal, options, assumptions), embeddingRange(firstReal));
  }

  const built: BuiltLayer[] = [];
  const consumed = new Set<string>();
  let previous: tf.SymbolicTensor = symbolicInputs[0];
  for (const layer of model.layers) {
    if (layer.type === 'input') continue;
    const inbound =
      model.kind === 'functional' && layer.inbound.length > 0
        ? layer.inbound.map((id) => {
            const tensor = tensorById.get(id);
            if (!tensor) throw new ProbeError(`Layer '${layer.name}' takes input from '${id}', which the probe could not build.`);
            consumed.add(id);
            return tensor;
          })
        : [previous];
    const factory = factoryFor(layer)!;
    const config = plainConfig(layer, assumptions);
    for (const attr of [layer.kernelInitializer, layer.recurrentInitializer, layer.biasInitializer]) {
      if (attr) config[attr.key ?? 'kernelInitializer'] = initializerFor(attr, layer, model, assumptions);
    }
    dialectInitializers(layer, model, config, assumptions);
    dialectConfig(layer, model, config, assumptions);
    const activationName = layer.activation.source === 'own' ? layer.activation.name : null;
    const split = SPLIT_ACTIVATION_TYPES.has(layer.type) && activationName !== null && activationName !== 'linear';
    if (split) config.activation = 'linear';
    else if (layer.activation.source === 'own' && activationName) config.activation = activationName;

    let tfLayer: tf.layers.Layer;
    let out: tf.SymbolicTensor;
    try {
      tfLayer = factory(config as never);
      out = tfLayer.apply(inbound.length === 1 ? inbound[0] : inbound) as tf.SymbolicTensor;
    } catch (error) {
      throw new ProbeError(`Layer '${layer.name}' (${layer.className}) could not be built from its config: ${(error as Error).message}`);
    }
    const kernel = tfLayer.trainableWeights.find((w) => /kernel|embeddings|depthwise_kernel/.test(w.originalName)) ?? null;
    let preActivation: tf.SymbolicTensor | null = null;
    let activation: string | null = null;
    if (split) {
      preActivation = out;
      activation = activationName;
      try {
        out = splitActivationLayer(layer, activationName!, model.dialect).apply(out) as tf.SymbolicTensor;
      } catch (error) {
        throw new ProbeError(
          `Layer '${layer.name}': activation '${activationName}' is not a TF.js activation (${(error as Error).message}).`,
        );
      }
    } else if (layer.type === 'activation') {
      // A separate activation layer: what it receives is the pre-activation of the layer before it.
      preActivation = inbound[0];
      activation = layer.activation.name;
    }
    tensorById.set(layer.id, out);
    built.push({ layer, activation, preActivation, output: out, kernel });
    previous = out;
  }

  const outputs =
    model.kind === 'functional' && model.layers.some((l) => l.inbound.length > 0)
      ? built.filter((b) => !consumed.has(b.layer.id)).map((b) => b.output)
      : [previous];
  const outputActivations =
    model.kind === 'functional' && model.layers.some((l) => l.inbound.length > 0)
      ? built.filter((b) => !consumed.has(b.layer.id)).map((b) => b.layer.activation.name)
      : [built[built.length - 1].layer.activation.name];
  // A tensor may be both a model output and a monitored one; TF.js needs each output once.
  const allOutputs: tf.SymbolicTensor[] = [...outputs];
  const indexOf = (tensor: tf.SymbolicTensor): number => {
    const found = allOutputs.indexOf(tensor);
    if (found >= 0) return found;
    allOutputs.push(tensor);
    return allOutputs.length - 1;
  };
  const monitorIndex = built.map((b) => ({ pre: b.preActivation ? indexOf(b.preActivation) : null, out: indexOf(b.output) }));
  const probeModel = tf.model({ inputs: symbolicInputs, outputs: allOutputs });
  const realParams = probeModel.countParams();
  if (realParams > options.maxParams) {
    probeModel.dispose();
    throw new ProbeError(
      `Model '${model.name}' has ${realParams.toLocaleString('en-US')} parameters, over the probe limit of ${options.maxParams.toLocaleString('en-US')} (option maxParams).`,
    );
  }
  return {
    probeModel,
    outputCount: outputs.length,
    monitorIndex,
    layers: built,
    inputs,
    losses: outputActivations.map((a) => lossFor(a, model.loss)),
    assumptions,
    estimatedParams,
  };
}
