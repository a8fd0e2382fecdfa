// Output shapes and kernel fans of a layer from its type, camelCase config and input shapes: one place for both front ends.
import { recurrentGateCount } from './catalog/layerDefaults';
import type { ConfigValue, LayerType } from './ir';

/**
 * A tensor shape without the batch dimension. `exactRank` false means only the trailing dims are known
 * (e.g. a Dense layer after an unknown layer: [..., units]); an unknown dim is null.
 */
export interface Shape {
  dims: (number | null)[];
  exactRank: boolean;
}

/** What a layer does to shapes: its output, its kernel fans (as the library computes them) and its feature size. */
export interface ShapeResult {
  output: Shape | null;
  fanIn: number | null;
  fanOut: number | null;
  outputSize: number | null;
}

/** Extra facts a layer's shape needs beyond its own config. */
export interface ShapeContext {
  /** 'Bidirectional' / 'TimeDistributed' when the layer is wrapped. */
  wrapper?: string;
  /** The wrapper's own config as camelCase values (its mergeMode). */
  wrapperConfig?: Record<string, ConfigValue>;
  /** For nested models: the inner model's output shape. */
  innerOutput?: Shape | null;
}

const NO_RESULT: ShapeResult = { output: null, fanIn: null, fanOut: null, outputSize: null };

function knownNumber(value: ConfigValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function positiveInt(value: ConfigValue | undefined): number | null {
  const n = knownNumber(value);
  return n !== null && n > 0 && Number.isInteger(n) ? n : null;
}

/** A shape from a written batch shape ([null, 28, 28, 1] → [28, 28, 1]); null when not an array. */
export function shapeFromBatchShape(value: ConfigValue | undefined): Shape | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return { dims: value.slice(1).map(positiveInt), exactRank: true };
}

/** A shape from a written shape without the batch dimension (TF.js inputShape, Keras input_shape). */
export function shapeFromInputShape(value: ConfigValue | undefined): Shape | null {
  if (!Array.isArray(value)) return null;
  return { dims: value.map(positiveInt), exactRank: true };
}

/**
 * The input shape a layer states about itself, as TF.js and Keras read it: batchInputShape (or Keras 3 batchShape)
 * wins over inputShape; an input layer may say `shape` (tf.input); an Embedding may state only its sequence length
 * (inputLength, its inputDim is the vocabulary); other layers may state inputDim (TF.js: inputShape [inputDim]).
 */
export function declaredInputShape(type: LayerType, config: Record<string, ConfigValue>): Shape | null {
  const declared =
    shapeFromBatchShape(config.batchInputShape) ?? shapeFromBatchShape(config.batchShape) ?? shapeFromInputShape(config.inputShape);
  if (declared !== null) return declared;
  if (type === 'input') return shapeFromInputShape(config.shape);
  if (type === 'embedding') {
    const length = config.inputLength;
    return Array.isArray(length)
      ? shapeFromInputShape(length)
      : length === undefined || length === null
        ? null
        : { dims: [positiveInt(length)], exactRank: true };
  }
  const inputDim = positiveInt(config.inputDim);
  if (inputDim === null) return null;
  // A recurrent layer reads [steps, features].
  return { dims: type === 'lstm' || type === 'gru' || type === 'simpleRNN' ? [null, inputDim] : [inputDim], exactRank: true };
}

/**
 * The IR's `Layer.outputShape`: the dims when the rank is known, turned channels last for a channels_first layer
 * (propagation reads every dim but the last as spatial positions); null when only trailing dims are known.
 */
export function irOutputShape(shape: Shape | null, config: Record<string, ConfigValue>, wrapper?: string): (number | null)[] | null {
  if (shape === null || !shape.exactRank) return null;
  // TimeDistributed puts the time axis before the wrapped layer's own dims.
  const lead = wrapper === 'TimeDistributed' ? 1 : 0;
  const dims = shape.dims;
  if (config.dataFormat !== 'channels_first' || dims.length - lead < 2) return dims.slice();
  return [...dims.slice(0, lead), ...dims.slice(lead + 1), dims[lead]];
}

function lastDim(shape: Shape | null): number | null {
  return shape === null || shape.dims.length === 0 ? null : shape.dims[shape.dims.length - 1];
}

function product(values: (number | null)[]): number | null {
  let result = 1;
  for (const v of values) {
    if (v === null) return null;
    result *= v;
  }
  return result;
}

/** An int-or-tuple config value expanded to `rank` entries (null entries when unknown). */
function tupleOf(value: ConfigValue | undefined, rank: number, fallback: number | null): (number | null)[] {
  if (value === undefined || value === null) return new Array<number | null>(rank).fill(fallback);
  if (Array.isArray(value)) {
    if (value.length === rank) return value.map(positiveInt);
    if (value.length === 1) return new Array<number | null>(rank).fill(positiveInt(value[0]));
    return new Array<number | null>(rank).fill(null);
  }
  return new Array<number | null>(rank).fill(positiveInt(value));
}

function paddingOf(config: Record<string, ConfigValue>): string | null {
  const padding = config.padding;
  if (padding === undefined) return 'valid';
  return typeof padding === 'string' ? padding.toLowerCase() : null;
}

function convLength(
  n: number | null,
  kernel: number | null,
  stride: number | null,
  dilation: number | null,
  padding: string | null,
): number | null {
  if (n === null || stride === null) return null;
  if (padding === 'same' || padding === 'causal') return Math.ceil(n / stride);
  if (padding !== 'valid' || kernel === null || dilation === null) return null;
  const length = Math.floor((n - dilation * (kernel - 1) - 1) / stride) + 1;
  return length > 0 ? length : null;
}

function transposedLength(n: number | null, kernel: number | null, stride: number | null, padding: string | null): number | null {
  if (n === null || stride === null) return null;
  if (padding === 'same') return n * stride;
  if (padding !== 'valid' || kernel === null) return null;
  return n * stride + Math.max(kernel - stride, 0);
}

function convRank(type: LayerType): number {
  return type === 'conv1d' ? 1 : type === 'conv3d' ? 3 : 2;
}

/** Splits a shape into spatial dims and the channel dim for a conv of `rank` spatial dims. */
function splitChannels(input: Shape | null, rank: number, channelsFirst: boolean): { spatial: (number | null)[]; channels: number | null } {
  const unknownSpatial = new Array<number | null>(rank).fill(null);
  if (input === null) return { spatial: unknownSpatial, channels: null };
  const dims = input.dims;
  if (input.exactRank && dims.length !== rank + 1) return { spatial: unknownSpatial, channels: null };
  if (channelsFirst) {
    if (!input.exactRank) return { spatial: unknownSpatial, channels: null };
    return { spatial: dims.slice(1), channels: dims[0] };
  }
  const spatial = input.exactRank ? dims.slice(0, rank) : unknownSpatial;
  return { spatial, channels: dims[dims.length - 1] ?? null };
}

function joinChannels(spatial: (number | null)[], channels: number | null, channelsFirst: boolean): Shape {
  return { dims: channelsFirst ? [channels, ...spatial] : [...spatial, channels], exactRank: true };
}

function convolution(type: LayerType, config: Record<string, ConfigValue>, input: Shape | null): ShapeResult {
  const rank = convRank(type);
  const channelsFirst = config.dataFormat === 'channels_first';
  const { spatial, channels } = splitChannels(input, rank, channelsFirst);
  const kernel = tupleOf(config.kernelSize, rank, null);
  const strides = tupleOf(config.strides, rank, 1);
  const dilation = tupleOf(config.dilationRate, rank, 1);
  const padding = paddingOf(config);
  const receptive = product(kernel);
  const filters = positiveInt(config.filters);
  const depthMultiplier = config.depthMultiplier === undefined ? 1 : positiveInt(config.depthMultiplier);

  let fanIn: number | null;
  let fanOut: number | null;
  let outChannels: number | null;
  let outSpatial: (number | null)[];
  if (type === 'conv2dTranspose') {
    // The kernel is stored as [...kernel, filters, inChannels], so the library's fans are swapped.
    fanIn = receptive !== null && filters !== null ? receptive * filters : null;
    fanOut = receptive !== null && channels !== null ? receptive * channels : null;
    outChannels = filters;
    const unsupportedPadding = config.outputPadding !== undefined && config.outputPadding !== null;
    outSpatial = spatial.map((n, i) => (unsupportedPadding ? null : transposedLength(n, kernel[i], strides[i], padding)));
  } else {
    outSpatial = spatial.map((n, i) => convLength(n, kernel[i], strides[i], dilation[i], padding));
    if (type === 'depthwiseConv2d' || type === 'separableConv2d') {
      // Fans of the depthwise kernel [...kernel, inChannels, depthMultiplier].
      fanIn = receptive !== null && channels !== null ? receptive * channels : null;
      fanOut = receptive !== null && depthMultiplier !== null ? receptive * depthMultiplier : null;
      outChannels =
        type === 'separableConv2d' ? filters : channels !== null && depthMultiplier !== null ? channels * depthMultiplier : null;
    } else {
      fanIn = receptive !== null && channels !== null ? receptive * channels : null;
      fanOut = receptive !== null && filters !== null ? receptive * filters : null;
      outChannels = filters;
    }
  }
  return { output: joinChannels(outSpatial, outChannels, channelsFirst), fanIn, fanOut, outputSize: outChannels };
}

function recurrent(type: LayerType, config: Record<string, ConfigValue>, input: Shape | null, context: ShapeContext): ShapeResult {
  const units = positiveInt(config.units);
  const gates = recurrentGateCount(type) ?? 1; // only reached for lstm, gru and simpleRNN
  // A recurrent layer reads [steps, features]; any other known rank is a model that would not build.
  const features = input !== null && (!input.exactRank || input.dims.length === 2) ? lastDim(input) : null;
  let outputSize = units;
  if (context.wrapper === 'Bidirectional' && units !== null) {
    const mergeMode = context.wrapperConfig?.mergeMode;
    outputSize =
      mergeMode === undefined || mergeMode === 'concat'
        ? 2 * units
        : mergeMode === 'sum' || mergeMode === 'mul' || mergeMode === 'ave'
          ? units
          : null;
  }
  const returnSequences = config.returnSequences;
  let output: Shape;
  if (returnSequences !== true && returnSequences !== false && returnSequences !== undefined && returnSequences !== null) {
    // Not statically known: the last dim is the output size either way, the rank is not known.
    output = { dims: [outputSize], exactRank: false };
  } else if (returnSequences === true) {
    const steps = input !== null && input.exactRank && input.dims.length === 2 ? input.dims[0] : null;
    output = { dims: [steps, outputSize], exactRank: input !== null && input.exactRank };
  } else {
    output = { dims: [outputSize], exactRank: true };
  }
  // The kernel is [features, gates * units]: the library's fan-out counts every gate.
  return { output, fanIn: features, fanOut: units !== null ? gates * units : null, outputSize };
}

function pooling(className: string, config: Record<string, ConfigValue>, input: Shape | null): ShapeResult {
  const channelsFirst = config.dataFormat === 'channels_first';
  const match = /(\d)D$/i.exec(className);
  const rank = match ? Number(match[1]) : 2;
  const { spatial, channels } = splitChannels(input, rank, channelsFirst);
  if (/^global/i.test(className)) {
    const output: Shape =
      config.keepdims === true
        ? joinChannels(new Array<number | null>(rank).fill(1), channels, channelsFirst)
        : { dims: [channels], exactRank: true };
    return { output, fanIn: null, fanOut: null, outputSize: channels };
  }
  const pool = tupleOf(config.poolSize, rank, 2);
  const strides = config.strides === undefined || config.strides === null ? pool : tupleOf(config.strides, rank, null);
  const padding = paddingOf(config);
  const outSpatial = spatial.map((n, i) => convLength(n, pool[i], strides[i], 1, padding));
  return { output: joinChannels(outSpatial, channels, channelsFirst), fanIn: null, fanOut: null, outputSize: channels };
}

function reshape(config: Record<string, ConfigValue>, input: Shape | null): Shape | null {
  const target = config.targetShape;
  if (!Array.isArray(target)) return null;
  const dims = target.map((v) => (v === -1 ? -1 : positiveInt(v)));
  const inferred = dims.indexOf(-1);
  if (inferred < 0) return { dims: dims as (number | null)[], exactRank: true };
  const total = input !== null && input.exactRank ? product(input.dims) : null;
  const known = product(dims.filter((d, i) => i !== inferred));
  const out = dims.slice();
  out[inferred] = total !== null && known !== null && known > 0 && total % known === 0 ? total / known : null;
  return { dims: out, exactRank: true };
}

function concatenate(config: Record<string, ConfigValue>, inputs: (Shape | null)[]): Shape | null {
  if (inputs.length === 0 || inputs.some((s) => s === null)) return null;
  const shapes = inputs as Shape[];
  const axisValue = config.axis === undefined ? -1 : knownNumber(config.axis);
  if (axisValue === null) return null;
  if (axisValue === -1) {
    const sizes = shapes.map((s) => lastDim(s));
    const exact = shapes.every((s) => s.exactRank && s.dims.length === shapes[0].dims.length);
    const dims = exact ? shapes[0].dims.slice(0, -1) : [];
    return { dims: [...dims, product(sizes) === null ? null : sizes.reduce<number>((a, b) => a + (b as number), 0)], exactRank: exact };
  }
  // A positive axis counts the batch dimension.
  const axis = axisValue > 0 ? axisValue - 1 : shapes[0].dims.length + axisValue;
  if (!shapes.every((s) => s.exactRank && s.dims.length === shapes[0].dims.length) || axis < 0 || axis >= shapes[0].dims.length)
    return null;
  const dims = shapes[0].dims.slice();
  const sizes = shapes.map((s) => s.dims[axis]);
  dims[axis] = product(sizes) === null ? null : sizes.reduce<number>((a, b) => a + (b as number), 0);
  return { dims, exactRank: true };
}

const MERGE_SAME_SHAPE = /^(add|subtract|multiply|average|maximum|minimum)$/i;
const PASS_THROUGH: LayerType[] = ['batchNormalization', 'layerNormalization', 'activation', 'dropout', 'alphaDropout'];
const PASS_THROUGH_CLASSES =
  /^(GaussianNoise|GaussianDropout|ActivityRegularization|Masking|UnitNormalization|GroupNormalization|Rescaling|Normalization)$/;

/** Output shape, fans and feature size of one layer given its input shapes (one per inbound tensor). */
export function layerShape(
  type: LayerType,
  className: string,
  config: Record<string, ConfigValue>,
  inputs: (Shape | null)[],
  context: ShapeContext = {},
): ShapeResult {
  const input = inputs.length > 0 ? inputs[0] : null;
  if (context.wrapper === 'TimeDistributed') {
    const steps = input !== null && input.exactRank ? input.dims[0] : null;
    const inner: Shape | null = input === null ? null : input.exactRank ? { dims: input.dims.slice(1), exactRank: true } : input;
    const result = layerShape(type, className, config, [inner], { innerOutput: context.innerOutput });
    const output =
      result.output === null
        ? null
        : { dims: [steps, ...result.output.dims], exactRank: input !== null && input.exactRank && result.output.exactRank };
    return { ...result, output };
  }
  switch (type) {
    case 'input': {
      const shape = declaredInputShape(type, config);
      return { output: shape, fanIn: null, fanOut: null, outputSize: lastDim(shape) };
    }
    case 'dense': {
      const units = positiveInt(config.units);
      const output: Shape =
        input === null ? { dims: [units], exactRank: false } : { dims: [...input.dims.slice(0, -1), units], exactRank: input.exactRank };
      return { output, fanIn: lastDim(input), fanOut: units, outputSize: units };
    }
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv2dTranspose':
    case 'separableConv2d':
    case 'depthwiseConv2d':
      return convolution(type, config, input);
    case 'lstm':
    case 'gru':
    case 'simpleRNN':
      return recurrent(type, config, input, context);
    case 'embedding': {
      const inputDim = positiveInt(config.inputDim);
      const outputDim = positiveInt(config.outputDim);
      const output: Shape =
        input === null ? { dims: [outputDim], exactRank: false } : { dims: [...input.dims, outputDim], exactRank: input.exactRank };
      return { output, fanIn: inputDim, fanOut: outputDim, outputSize: outputDim };
    }
    case 'flatten': {
      const size = input !== null && input.exactRank ? product(input.dims) : null;
      return { output: { dims: [size], exactRank: true }, fanIn: null, fanOut: null, outputSize: size };
    }
    case 'reshape': {
      const output = reshape(config, input);
      return { output, fanIn: null, fanOut: null, outputSize: lastDim(output) };
    }
    case 'pooling':
      return pooling(className, config, input);
    case 'add':
      return sameShape(inputs);
    case 'concatenate': {
      const output = concatenate(config, inputs);
      return { output, fanIn: null, fanOut: null, outputSize: lastDim(output) };
    }
    case 'model': {
      const output = context.innerOutput ?? null;
      return { output, fanIn: null, fanOut: null, outputSize: lastDim(output) };
    }
    default:
      if (PASS_THROUGH.includes(type) || PASS_THROUGH_CLASSES.test(className))
        return { output: input, fanIn: null, fanOut: null, outputSize: lastDim(input) };
      if (MERGE_SAME_SHAPE.test(className)) return sameShape(inputs);
      return NO_RESULT;
  }
}

function sameShape(inputs: (Shape | null)[]): ShapeResult {
  const output = inputs.find((s) => s !== null && s.exactRank) ?? inputs.find((s) => s !== null) ?? null;
  return { output, fanIn: null, fanOut: null, outputSize: lastDim(output) };
}
