// Output shapes and kernel fans of TF.js layers (channels last), from statically known configs.
import type { ConfigValue, LayerType } from '../../ir';

/** A shape without the batch dimension; null entries are unknown dimensions. */
export type Shape = (number | null)[];

/** Fans of a layer's kernel and its output shape (null when not derivable). */
export interface ShapeResult {
  fanIn: number | null;
  fanOut: number | null;
  outputShape: Shape | null;
}

function knownNumber(value: ConfigValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A shape from a config value: an array of numbers or nulls (anything else: null). */
export function shapeOf(value: ConfigValue | undefined): Shape | null {
  if (!Array.isArray(value)) return null;
  return value.map((dim) => knownNumber(dim));
}

/** The input shape written on a layer (inputShape, batchInputShape, inputDim / inputLength). */
export function declaredInputShape(type: LayerType, config: Record<string, ConfigValue>): Shape | null {
  const inputShape = shapeOf(config.inputShape);
  if (inputShape) return inputShape;
  const batchShape = shapeOf(config.batchInputShape);
  if (batchShape) return batchShape.slice(1);
  if (type === 'embedding') {
    // For embeddings inputDim is the vocabulary size; the input is a sequence of inputLength ids.
    const length = config.inputLength;
    if (length === undefined) return null;
    return Array.isArray(length) ? shapeOf(length) : [knownNumber(length)];
  }
  const inputDim = knownNumber(config.inputDim);
  if (inputDim !== null) return type === 'lstm' || type === 'gru' || type === 'simpleRNN' ? [null, inputDim] : [inputDim];
  return null;
}

function product(dims: (number | null)[]): number | null {
  let result = 1;
  for (const dim of dims) {
    if (dim === null) return null;
    result *= dim;
  }
  return result;
}

function tupleOf(value: ConfigValue | undefined, rank: number, fallback: number | null): (number | null)[] {
  if (value === undefined) return new Array<number | null>(rank).fill(fallback);
  if (typeof value === 'number') return new Array<number | null>(rank).fill(knownNumber(value));
  if (Array.isArray(value) && value.length === rank) return value.map((dim) => knownNumber(dim));
  return new Array<number | null>(rank).fill(null);
}

function lastDim(shape: Shape | null): number | null {
  return shape && shape.length > 0 ? shape[shape.length - 1] : null;
}

/** Spatial rank from the class name ('conv1d' → 1); the 2-D default covers conv2dTranspose, separable and depthwise. */
function rankOf(className: string): number {
  const match = /([123])d/i.exec(className);
  return match ? Number(match[1]) : 2;
}

/** Spatial output size of a windowed op along one axis. */
function windowed(size: number | null, kernel: number | null, stride: number | null, dilation: number | null, padding: string | null): number | null {
  if (size === null || stride === null || padding === null) return null;
  if (padding === 'same') return Math.ceil(size / stride);
  if (padding === 'valid') {
    if (kernel === null || dilation === null) return null;
    const effective = (kernel - 1) * dilation + 1;
    return Math.max(0, Math.ceil((size - effective + 1) / stride));
  }
  return null;
}

function paddingOf(config: Record<string, ConfigValue>): string | null {
  const padding = config.padding;
  if (padding === undefined) return 'valid';
  return padding === 'same' || padding === 'valid' ? padding : null; // 'causal' and unknowns: not tracked
}

function spatialOutput(input: Shape | null, rank: number, kernel: (number | null)[], strides: (number | null)[],
  dilation: (number | null)[], padding: string | null, channels: number | null): Shape | null {
  if (!input) return channels === null ? null : [...new Array<null>(rank).fill(null), channels];
  const spatial = input.slice(0, -1);
  if (spatial.length !== rank) return [...new Array<null>(rank).fill(null), channels];
  return [...spatial.map((size, axis) => windowed(size, kernel[axis], strides[axis], dilation[axis], padding)), channels];
}

function convolution(type: LayerType, className: string, config: Record<string, ConfigValue>, input: Shape | null): ShapeResult {
  const rank = rankOf(className);
  const kernel = tupleOf(config.kernelSize, rank, null);
  const receptive = product(kernel);
  const inChannels = lastDim(input);
  const strides = tupleOf(config.strides, rank, 1);
  const dilation = tupleOf(config.dilationRate, rank, 1);
  const padding = paddingOf(config);
  const filters = knownNumber(config.filters);
  const times = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a * b);
  if (type === 'depthwiseConv2d' || type === 'separableConv2d') {
    // Depthwise kernel [kh, kw, inChannels, depthMultiplier]: the library's fans are receptive * inChannels / * multiplier.
    const multiplier = knownNumber(config.depthMultiplier ?? 1);
    const channels = type === 'depthwiseConv2d' ? times(inChannels, multiplier) : filters;
    return {
      fanIn: times(receptive, inChannels),
      fanOut: times(receptive, multiplier),
      outputShape: spatialOutput(input, rank, kernel, strides, dilation, padding, channels),
    };
  }
  if (type === 'conv2dTranspose') {
    // Kernel [kh, kw, filters, inChannels]: TF.js computes fanIn from filters and fanOut from inChannels.
    let outputShape: Shape | null = null;
    if (input && input.length === rank + 1 && padding !== null) {
      const spatial = input.slice(0, -1).map((size, axis) => {
        const stride = strides[axis];
        const k = kernel[axis];
        if (size === null || stride === null) return null;
        if (padding === 'same') return size * stride;
        return k === null ? null : size * stride + Math.max(k - stride, 0);
      });
      outputShape = [...spatial, filters];
    } else if (filters !== null) outputShape = [...new Array<null>(rank).fill(null), filters];
    return { fanIn: times(receptive, filters), fanOut: times(receptive, inChannels), outputShape };
  }
  return {
    fanIn: times(receptive, inChannels),
    fanOut: times(receptive, filters),
    outputShape: spatialOutput(input, rank, kernel, strides, dilation, padding, filters),
  };
}

function pooling(className: string, config: Record<string, ConfigValue>, input: Shape | null): Shape | null {
  if (/global/i.test(className)) return [lastDim(input)];
  const rank = rankOf(className);
  const pool = tupleOf(config.poolSize, rank, 2);
  const strides = config.strides === undefined || config.strides === null ? pool : tupleOf(config.strides, rank, null);
  const ones = new Array<number>(rank).fill(1);
  return spatialOutput(input, rank, pool, strides, ones, paddingOf(config), lastDim(input));
}

function withLast(shape: Shape | null, size: number | null): Shape | null {
  if (!shape || shape.length === 0) return size === null ? null : [size];
  return [...shape.slice(0, -1), size];
}

/**
 * Fans and output shape of a layer given its inputs' shapes (first input first).
 * Recurrent layers: fanIn = input features, fanOut = units. The library itself computes fans on the
 * concatenated per-gate kernel [features, gates * units] (4 blocks for LSTM, 3 for GRU), whose fanOut is gates * units.
 */
export function shapeThrough(type: LayerType, className: string, config: Record<string, ConfigValue>, inputs: (Shape | null)[]): ShapeResult {
  const input = inputs[0] ?? null;
  const none: ShapeResult = { fanIn: null, fanOut: null, outputShape: null };
  switch (type) {
    case 'dense': {
      const units = knownNumber(config.units);
      return { fanIn: lastDim(input), fanOut: units, outputShape: withLast(input, units) };
    }
    case 'conv1d': case 'conv2d': case 'conv3d': case 'conv2dTranspose': case 'separableConv2d': case 'depthwiseConv2d':
      return convolution(type, className, config, input);
    case 'lstm': case 'gru': case 'simpleRNN': {
      const units = knownNumber(config.units);
      const returnSequences = config.returnSequences === true;
      const timesteps = input && input.length >= 2 ? input[0] : null;
      return { fanIn: lastDim(input), fanOut: units, outputShape: returnSequences ? [timesteps, units] : [units] };
    }
    case 'embedding': {
      const outputDim = knownNumber(config.outputDim);
      const sequence = input ?? [null];
      return { fanIn: knownNumber(config.inputDim), fanOut: outputDim, outputShape: [...sequence, outputDim] };
    }
    case 'flatten': return { ...none, outputShape: input ? [product(input)] : [null] };
    case 'reshape': return { ...none, outputShape: shapeOf(config.targetShape) };
    case 'pooling': return { ...none, outputShape: pooling(className, config, input) };
    case 'add': return { ...none, outputShape: inputs.find((shape) => shape !== null && lastDim(shape) !== null) ?? input };
    case 'concatenate': {
      const axis = config.axis === undefined ? -1 : knownNumber(config.axis);
      if (axis !== -1 || inputs.length === 0) return none;
      let total: number | null = 0;
      for (const shape of inputs) {
        const size = lastDim(shape);
        total = total === null || size === null ? null : total + size;
      }
      return { ...none, outputShape: withLast(input, total) };
    }
    case 'batchNormalization': case 'layerNormalization': case 'dropout': case 'alphaDropout': case 'activation': case 'input':
      return { ...none, outputShape: input };
    default: return none;
  }
}
