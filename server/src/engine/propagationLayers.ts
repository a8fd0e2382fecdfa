// The mean-field forward pass of one layer (see propagation.ts for what is computed): merges, normalization,
// dropout, pooling, activations, and the kernel layers (dense, convolutions, embeddings, recurrent layers).
import { activationFunction, activationOfAttr } from './catalog/activations';
import { kernelMean, kernelSecondMoment } from './catalog/initializers';
import { defaultRecurrentActivation, recurrentGateCount } from './catalog/layerDefaults';
import { activationIdOf } from './catalog/names';
import type { Model } from './ir';
import {
  applyActivation,
  booleanConfig,
  type Flow,
  initializerOf,
  KERNEL_LAYER_TYPES,
  type LayerState,
  MODEL_INPUT,
  moments,
  NORMALIZED,
  numberConfig,
  positionsOf,
  spatialRank,
  tupleProduct,
  UNKNOWN,
} from './propagationFlow';

function combinedInput(state: LayerState, states: LayerState[]): Flow {
  if (state.inputs.length === 0) return MODEL_INPUT;
  if (state.inputs.length === 1) return state.inputs[0] < 0 ? UNKNOWN : states[state.inputs[0]].output;
  // Several inputs to a non-merge layer: not a shape the IR produces for single-input layers; unknown.
  return UNKNOWN;
}

/** Computes one layer's input, output and the factors its backward step needs, recording them on its state. */
export function forward(state: LayerState, states: LayerState[], model: Model, notes: Set<string>): void {
  const { layer } = state;
  const name = `layer '${layer.name}'`;
  state.input = layer.type === 'add' || layer.type === 'concatenate' ? UNKNOWN : combinedInput(state, states);
  const input = state.input;
  let output: Flow = input;
  state.preactivation = input.secondMoment;
  state.derivativeFactor = 1;
  state.inputGradientFactor = 1;

  // An activation written as a following layer is folded onto this one by the front end; apply it here once.
  const foldedActivation = layer.activation.source === 'layer' && layer.type !== 'activation';

  switch (layer.type) {
    case 'input':
      // A nested model's input layer passes on what the outer model feeds it.
      output = state.inputs.length > 0 ? input : MODEL_INPUT;
      break;
    case 'flatten':
    case 'reshape':
    case 'alphaDropout':
      break;
    case 'dropout': {
      const rate = numberConfig(layer, 'rate', null);
      if (rate === null || rate < 0 || rate >= 1) {
        notes.add(`${name}: dropout rate unknown; the signal after it is unknown`);
        output = UNKNOWN;
        state.inputGradientFactor = Number.NaN;
      } else {
        output = {
          secondMoment: input.secondMoment / (1 - rate),
          mean: input.mean,
          variance: input.secondMoment / (1 - rate) - input.mean * input.mean,
        };
        state.inputGradientFactor = 1 / (1 - rate);
      }
      break;
    }
    case 'pooling': {
      const average = /average|avg/i.test(layer.className);
      const global = /global/i.test(layer.className);
      // Share of positions kept: from the shapes when known, else from poolSize (strides default to it).
      const upstream = state.inputs.length === 1 && state.inputs[0] >= 0 ? states[state.inputs[0]].layer : null;
      const positionsIn = upstream ? positionsOf(upstream) : null;
      const positionsOut = positionsOf(layer);
      let area: number | null = positionsIn !== null && positionsOut !== null && positionsOut > 0 ? positionsIn / positionsOut : null;
      if (area === null && !global) {
        const rank = /3d/i.test(layer.className) ? 3 : /1d/i.test(layer.className) ? 1 : 2;
        area = tupleProduct(layer, 'poolSize', rank, 2);
      }
      if (area === null || !(area >= 1)) {
        notes.add(`${name}: pooled positions unknown (input or output shape not known); the error through it is unknown`);
        state.inputGradientFactor = Number.NaN;
        break;
      }
      if (average) {
        // Positions taken as uncorrelated: the variance part shrinks by the area, the mean part stays;
        // each input receives 1/area of an output's error.
        const variance = input.secondMoment - input.mean * input.mean;
        output = { secondMoment: input.mean * input.mean + variance / area, mean: input.mean, variance: input.variance / area };
        state.inputGradientFactor = 1 / (area * area);
        notes.add(`${name}: average pooling with positions taken as uncorrelated`);
      } else {
        // The error of each output goes to the one input that was the maximum.
        state.inputGradientFactor = 1 / area;
        notes.add(`${name}: max pooling taken as passing the second moment (it raises it somewhat)`);
      }
      break;
    }
    case 'batchNormalization':
    case 'layerNormalization': {
      // Batch norm divides each unit by its variance over the batch; layer norm by the variance over the features of a sample.
      const variance = layer.type === 'batchNormalization' ? input.variance : input.secondMoment - input.mean * input.mean;
      output = NORMALIZED;
      state.inputGradientFactor = variance > 0 ? 1 / variance : Number.NaN;
      if (!(variance > 0) && Number.isFinite(variance)) notes.add(`${name}: its input has zero variance at initialization`);
      break;
    }
    case 'add': {
      let secondMoment = 0;
      let mean = 0;
      let variance = 0;
      for (const index of state.inputs) {
        const flow = index < 0 ? UNKNOWN : states[index].output;
        secondMoment += flow.secondMoment;
        mean += flow.mean;
        variance += flow.variance;
      }
      if (state.inputs.length === 0) secondMoment = mean = variance = Number.NaN;
      // The gain of an add is reported against its first input (a residual's skip path): 2 for two equal branches.
      const first = state.inputs.length > 0 && state.inputs[0] >= 0 ? states[state.inputs[0]].output : UNKNOWN;
      state.input = first;
      output = { secondMoment, mean, variance };
      state.preactivation = secondMoment;
      break;
    }
    case 'concatenate': {
      let weightedSecond = 0;
      let weightedMean = 0;
      let weightedVariance = 0;
      let total = 0;
      for (const index of state.inputs) {
        const source = index < 0 ? null : states[index];
        const weight = source?.layer.outputSize ?? 1;
        if (source?.layer.outputSize == null) notes.add(`${name}: an input's feature count is unknown; inputs weighted equally`);
        const flow = source ? source.output : UNKNOWN;
        weightedSecond += weight * flow.secondMoment;
        weightedMean += weight * flow.mean;
        weightedVariance += weight * flow.variance;
        total += weight;
      }
      state.input = output =
        total > 0 ? { secondMoment: weightedSecond / total, mean: weightedMean / total, variance: weightedVariance / total } : UNKNOWN;
      state.preactivation = output.secondMoment;
      break;
    }
    case 'activation': {
      const upstream = state.inputs.length === 1 && state.inputs[0] >= 0 ? states[state.inputs[0]].layer : null;
      if (upstream && upstream.activation.source === 'layer') break; // already applied on the layer it was folded onto
      const activation = activationOfAttr(layer.activation, model.dialect);
      if (activation === null) {
        notes.add(`${name}: activation unknown; the signal after it is unknown`);
        output = UNKNOWN;
        state.derivativeFactor = Number.NaN;
        break;
      }
      const applied = applyActivation(activation, input);
      output = applied.output;
      state.derivativeFactor = applied.derivative;
      break;
    }
    default:
      if (KERNEL_LAYER_TYPES.has(layer.type)) {
        output = kernelForward(state, model, notes);
      } else {
        notes.add(`${name}: layer type '${layer.className}' is not modelled; the signal after it is unknown`);
        output = UNKNOWN;
        state.inputGradientFactor = Number.NaN;
      }
  }

  if (foldedActivation && !KERNEL_LAYER_TYPES.has(layer.type)) {
    const activation = activationOfAttr(layer.activation, model.dialect);
    if (activation === null) {
      output = UNKNOWN;
      state.derivativeFactor = Number.NaN;
    } else {
      const applied = applyActivation(activation, output);
      state.preactivation = output.secondMoment;
      output = applied.output;
      state.derivativeFactor = applied.derivative;
    }
  }
  state.output = output;
}

function kernelForward(state: LayerState, model: Model, notes: Set<string>): Flow {
  const { layer } = state;
  const name = `layer '${layer.name}'`;
  const input = state.input;
  const fail = (why: string): Flow => {
    notes.add(`${name}: ${why}; its signal and gradient are unknown`);
    state.derivativeFactor = state.inputGradientFactor = Number.NaN;
    state.gradientWeight = Number.NaN;
    state.preactivation = Number.NaN;
    return UNKNOWN;
  };
  state.gradientWeight = Number.NaN; // a kernel layer always counts as trainable, even when unknown

  const spec = initializerOf(layer, 'kernelInitializer', model.dialect);
  if (spec === null || spec.kind === 'unknown')
    return fail(spec?.kind === 'unknown' ? `kernel initializer unknown (${spec.reason})` : 'kernel initializer unknown');
  const gates = recurrentGateCount(layer.type);
  const recurrent = gates !== null;
  // Bidirectional holds two copies of the recurrent layer, each with its own [features, gates * units] kernel; its
  // outputSize counts both directions (mergeMode concat), so one kernel is sized from the fans, never from the output.
  const directions = recurrent && layer.wrapper === 'Bidirectional' ? 2 : 1;
  const units = layer.outputSize;
  const fanIn = layer.fanIn;
  let fanOut = layer.fanOut;
  if (fanIn === null) return fail('fan-in unknown (input shape not known statically)');
  if (units === null) return fail('output size unknown');
  const rank = spatialRank(layer.type);
  const isConv = layer.type.startsWith('conv') || layer.type === 'separableConv2d' || layer.type === 'depthwiseConv2d';
  // Columns of one kernel matrix (its last dim): gates x units of one direction for recurrent layers (the library's
  // fan-out), filters for convolutions, units for dense, the output dim for an embedding.
  let columns = units;
  if (recurrent) {
    if (fanOut === null && directions === 1) fanOut = gates * units;
    if (fanOut === null) return fail('units of each direction unknown');
    columns = fanOut;
  } else if (fanOut === null && !isConv) fanOut = columns;
  if (fanOut === null) return fail('fan-out unknown');
  const secondMoment = kernelSecondMoment(spec, fanIn, fanOut, model.dialect, columns);
  const mean = kernelMean(spec, fanIn, fanOut, columns);
  if (secondMoment === null || mean === null) return fail('kernel initializer parameters unknown');
  state.kernelVariance = secondMoment - mean * mean;

  const useBias = booleanConfig(layer, 'useBias', true);
  let biasSecondMoment = 0;
  if (useBias === null) return fail('useBias unknown');
  if (useBias && layer.type !== 'embedding') {
    const biasSpec = initializerOf(layer, 'biasInitializer', model.dialect);
    const value = biasSpec === null ? 0 : kernelSecondMoment(biasSpec, columns, columns, model.dialect);
    if (value === null) return fail('bias initializer unknown');
    biasSecondMoment = value;
  }

  let strideArea = 1;
  if (isConv) {
    const strides = tupleProduct(layer, 'strides', rank, 1);
    if (strides === null) return fail('strides unknown');
    strideArea = strides;
  }
  if (layer.type === 'separableConv2d' || layer.type === 'depthwiseConv2d' || layer.type === 'conv2dTranspose') {
    notes.add(`${name}: ${layer.className} is approximated as a plain convolution with the kernel's fans`);
  }
  if (recurrent) notes.add(`${name}: recurrent layer approximated as one step from zero state`);
  if (gates !== null && directions === 2 && units !== (2 * columns) / gates)
    notes.add(`${name}: Bidirectional merge mode other than concat; taken as concat for the output scale`);

  // Forward fan-in: an embedding row is selected by a one-hot id; a transposed conv spreads the kernel over stride^2 outputs.
  const forwardFan = layer.type === 'embedding' ? 1 : layer.type === 'conv2dTranspose' ? fanOut / strideArea : fanIn;
  const inputMoment = layer.type === 'embedding' ? 1 : input.secondMoment;
  const inputMean = layer.type === 'embedding' ? 0 : input.mean;
  const q = forwardFan * secondMoment * inputMoment + forwardFan * forwardFan * mean * mean * inputMean * inputMean + biasSecondMoment;
  state.preactivation = q;
  // Per sample only the input's variance moves h (weights and bias are fixed); an embedding row varies with the id.
  const preVariance = layer.type === 'embedding' ? secondMoment - mean * mean : forwardFan * secondMoment * input.variance;
  const preactivation: Flow = { secondMoment: q, mean: 0, variance: preVariance };

  const activation = activationOfAttr(layer.activation, model.dialect);
  if (activation === null) {
    notes.add(`${name}: activation '${layer.activation.name ?? '?'}' unknown; the signal after it is unknown`);
    state.derivativeFactor = Number.NaN;
    return UNKNOWN;
  }
  const applied = applyActivation(activation, preactivation);
  let outputSecond = applied.output.secondMoment;
  let outputMean = applied.output.mean;
  let outputVariance = applied.output.variance;
  let derivative = applied.derivative;
  if (gates !== null && gates > 1) {
    // One step from zero state: LSTM h = o * tanh(i * g), GRU h = (1 - z) * g; gates independent of g.
    const written = layer.config.recurrentActivation;
    // Written names are read like any activation name (Keras writes 'hard_sigmoid'); None is linear, anything else unknown.
    const gateName =
      typeof written === 'string'
        ? activationIdOf(written)
        : written === undefined
          ? defaultRecurrentActivation(model.dialect)
          : written === null
            ? 'linear'
            : null;
    const gate = gateName === null ? null : activationFunction(gateName, { dialect: model.dialect });
    if (gate === null) return fail('recurrent activation unknown');
    const g = moments(gate, q);
    const gateFactor = layer.type === 'lstm' ? g.second * g.second : 1 - 2 * g.mean + g.second;
    outputSecond *= gateFactor;
    outputVariance *= gateFactor;
    outputMean *= layer.type === 'lstm' ? g.mean * g.mean : 1 - g.mean;
    derivative *= gateFactor;
  }
  state.derivativeFactor = derivative;
  // The error reaches each input element through the fan the kernel is applied with, backwards (through both directions' kernels).
  const backwardFan =
    layer.type === 'embedding' ? 0 : layer.type === 'conv2dTranspose' ? fanIn : isConv ? fanOut / strideArea : columns * directions;
  state.inputGradientFactor = backwardFan * secondMoment;

  let positions = positionsOf(layer);
  if (positions === null) {
    if (isConv) notes.add(`${name}: output positions unknown; taken as 1 in the kernel-gradient norm`);
    positions = 1;
  }
  if (recurrent) positions = 1;
  // A Bidirectional layer's kernel gradient is that of both directions' kernels.
  const entries = (layer.type === 'embedding' ? 1 : fanIn) * columns * directions;
  state.gradientWeight = entries * positions * inputMoment;
  return { secondMoment: outputSecond, mean: outputMean, variance: outputVariance };
}
