// Mean-field signal propagation: per-layer forward second moment and backward gradient scale at initialization,
// and the predicted ratio of the first trainable layer's kernel-gradient norm to the last one's.
//
// What is computed (Poole et al. 2016, Schoenholz et al. 2017), per element of each tensor:
// - Forward: a kernel layer with input second moment m and mean mu, kernel second moment v, mean mu_W, forward
//   fan-in n and bias second moment b2 has pre-activations of second moment q = n v m + n^2 mu_W^2 mu^2 + b2,
//   taken as centred Gaussian; its output has second moment E[phi(sqrt(q) z)^2] and mean E[phi(sqrt(q) z)]
//   (Gauss-Hermite quadrature, any activation). Second moments, not variances: sigmoid's mean counts.
// - Backward: the error at a layer's pre-activation is delta = phi'(h) * (W^T delta_next), so
//   E[delta^2] = E[phi'(sqrt(q) z)^2] * n_back v_next E[delta_next^2], n_back being the fan the error flows
//   through (dense: units; conv: kernel positions x filters / stride positions). Independence of phi'(h) and
//   the back-propagated error is assumed (the standard mean-field step).
// - Kernel gradient: dL/dW = Σ over positions of x delta^T, so ||dL/dW||_F^2 ≈ entries * positions * m_in * E[delta^2]
//   (the diagonal term: positions and batch samples are treated as uncorrelated).
// - The loss: the error at the output layers' pre-activations is set to 1. For softmax or sigmoid with a
//   cross-entropy loss the error there is p - y, for a linear output with MSE y_hat - y; any such common
//   factor cancels in the ratios reported, so the output activation's derivative is not applied.
// - Inputs are taken with second moment 1 and mean 0 (standardized data, the probe's Gaussian inputs).
// Approximations, said in the notes when they apply: normalization layers output second moment 1 (gamma 1,
// beta 0 at init) and divide the backward signal by the variance of their input; residual `add` sums second
// moments (branches taken as uncorrelated) and passes the error to every input; concatenate averages by
// feature count; dropout scales the forward second moment and the error by 1/(1-rate) (inverted dropout,
// training mode); max pooling passes second moments, average pooling divides the variance part by the pool
// area; recurrent layers are one step from zero state (the gates' second moments multiply the output), and a
// Bidirectional one has two kernels, each drawn with one direction's fans, both passing the error back;
// spatial positions come from the front end's output shapes. Unknown layers, fans, initializers or
// activations make the values they touch unknown (NaN here, null in the CLI output) — never guessed.
import { activationOfAttr, activationFunction, type ActivationFunction } from './catalog/activations';
import { kernelMean, kernelSecondMoment } from './catalog/initializers';
import { defaultInitializers, defaultRecurrentActivation, kernelKeyOf, recurrentGateCount } from './catalog/layerDefaults';
import { activationIdOf, initializerSpecOf } from './catalog/names';
import { gaussianRule } from './catalog/quadrature';
import type { ConfigValue, InitializerSpec, Layer, LayerType, Model } from './ir';
import type { LayerSignal, ModelSignal } from './types';

/** Layer types with a trainable kernel whose gradient the ratio compares. */
export const KERNEL_LAYER_TYPES: ReadonlySet<LayerType> = new Set<LayerType>([
  'dense', 'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose', 'separableConv2d', 'depthwiseConv2d',
  'lstm', 'gru', 'simpleRNN', 'embedding',
]);

/** Statistics of one tensor, per element; NaN = unknown. */
interface Flow {
  secondMoment: number;
  mean: number;
  /** Per-unit variance across samples (what batch normalization divides by); the rest of the second moment is per-unit offsets. */
  variance: number;
}

/** Everything the backward pass needs of one layer, recorded by the forward pass. */
interface LayerState {
  layer: Layer;
  inputs: number[];
  consumers: number[];
  input: Flow;
  output: Flow;
  /** Second moment of the pre-activation (q) for kernel layers; of the output otherwise. */
  preactivation: number;
  /** E[g_pre^2] = E[g_out^2] * derivativeFactor (E[phi'^2] and gate factors), unless the layer is an output. */
  derivativeFactor: number;
  /** E[g_in^2] contributed to each input = inputGradientFactor * E[g_pre^2]. */
  inputGradientFactor: number;
  /** For kernel layers: kernel entries * positions * m_in, so that ||dL/dW||^2 = gradientWeight * E[g_pre^2]. */
  gradientWeight: number | null;
  kernelVariance: number | null;
  gradientOut: number;
  gradientPre: number;
}

const UNKNOWN: Flow = { secondMoment: Number.NaN, mean: Number.NaN, variance: Number.NaN };
const MODEL_INPUT: Flow = { secondMoment: 1, mean: 0, variance: 1 };
const NORMALIZED: Flow = { secondMoment: 1, mean: 0, variance: 1 };

/**
 * An activation applied to a tensor taken as centred Gaussian of its second moment. The per-unit variance of
 * the result is the activation's variance scaled by the share of the input's second moment that varies per
 * sample (exact for linear, and for inputs without per-unit offsets such as right after batch normalization).
 */
function applyActivation(activation: ActivationFunction, input: Flow): { output: Flow; derivative: number } {
  const m = moments(activation, input.secondMoment);
  const varyingShare = input.secondMoment > 0 ? Math.min(1, Math.max(0, input.variance / input.secondMoment)) : 0;
  return { output: { secondMoment: m.second, mean: m.mean, variance: (m.second - m.mean * m.mean) * varyingShare }, derivative: m.derivative };
}

function numberConfig(layer: Layer, key: string, fallback: number | null): number | null {
  const value: ConfigValue | undefined = layer.config[key];
  if (value === undefined) return fallback;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function booleanConfig(layer: Layer, key: string, fallback: boolean): boolean | null {
  const value = layer.config[key];
  if (value === undefined) return fallback;
  return typeof value === 'boolean' ? value : null;
}

function tupleProduct(layer: Layer, key: string, rank: number, fallback: number | null): number | null {
  const value = layer.config[key];
  if (value === undefined) return fallback === null ? null : Math.pow(fallback, rank);
  if (typeof value === 'number' && Number.isFinite(value)) return Math.pow(value, rank);
  if (Array.isArray(value)) {
    let product = 1;
    for (const entry of value) {
      if (typeof entry !== 'number' || !Number.isFinite(entry)) return null;
      product *= entry;
    }
    return product;
  }
  return null;
}

function spatialRank(type: LayerType): number {
  if (type === 'conv1d') return 1;
  if (type === 'conv3d') return 3;
  return 2;
}

/** Number of positions a kernel is applied at: product of the output shape's non-channel dims (1 for a flat output). */
function positionsOf(layer: Layer): number | null {
  const shape = layer.outputShape;
  if (shape === undefined || shape === null) return null;
  let product = 1;
  for (let i = 0; i < shape.length - 1; i++) {
    const dim = shape[i];
    if (dim === null) return null;
    product *= dim;
  }
  return product;
}

function initializerOf(layer: Layer, attr: 'kernelInitializer' | 'biasInitializer', dialect: Model['dialect']): InitializerSpec | null {
  const written = layer[attr];
  if (written) return written.spec;
  const key = attr === 'kernelInitializer' ? kernelKeyOf(layer.type) : 'biasInitializer';
  if (key === null) return null;
  const alias = defaultInitializers(layer.type, dialect)[key];
  return alias ? initializerSpecOf(alias, {}, dialect).spec : null;
}

/** Gaussian moments of an activation at one input scale. */
interface ActivationMoments {
  readonly second: number;
  readonly mean: number;
  readonly derivative: number;
}

/**
 * Moments already computed, per activation (the catalog hands out one object per activation and parameters)
 * and input second moment. Re-analysing a file on each keystroke meets the same layers with the same scales
 * again; the quadrature (48 to 448 nodes) is then skipped, with bit-identical results.
 */
const momentsSeen = new WeakMap<ActivationFunction, Map<number, ActivationMoments>>();
/** Entries kept per activation before its table starts over (bounds a long-running server's memory). */
const MOMENTS_PER_ACTIVATION = 4096;

/** E[phi^2], E[phi] and E[phi'^2] over N(0, q), remembered (see momentsSeen). */
function moments(activation: ActivationFunction, q: number): ActivationMoments {
  // A Map key does not tell -0 from 0, and the nodes are scaled by sqrt(q): -0 is computed each time.
  if (Object.is(q, -0)) return computeMoments(activation, q);
  let seen = momentsSeen.get(activation);
  if (seen === undefined) {
    seen = new Map();
    momentsSeen.set(activation, seen);
  }
  let found = seen.get(q);
  if (found === undefined) {
    found = computeMoments(activation, q);
    if (seen.size >= MOMENTS_PER_ACTIVATION) seen.clear();
    seen.set(q, found);
  }
  return found;
}

/** E[phi^2], E[phi] and E[phi'^2] over N(0, q) in one pass over the nodes; NaN for an unknown or infinite q (NaN must not reach phi: relu(NaN) would read 0). */
function computeMoments(activation: ActivationFunction, q: number): ActivationMoments {
  if (!(q >= 0) || !Number.isFinite(q)) return { second: Number.NaN, mean: Number.NaN, derivative: Number.NaN };
  const { nodes, weights } = gaussianRule(q);
  let second = 0;
  let mean = 0;
  let derivative = 0;
  for (let i = 0; i < nodes.length; i++) {
    const x = nodes[i];
    const value = activation.phi(x);
    const slope = activation.derivative(x);
    mean += weights[i] * value;
    second += weights[i] * value * value;
    derivative += weights[i] * slope * slope;
  }
  return { second, mean, derivative };
}

/** Predicts per-layer forward/backward scales and the first/last kernel-gradient ratio of a model at initialization. */
export function propagate(model: Model): ModelSignal {
  const notes = new Set<string>();
  const { layers: flatLayers, nested } = flattenNestedModels(model);
  const indexById = new Map<string, number>();
  flatLayers.forEach((layer, index) => indexById.set(layer.id, index));

  const states: LayerState[] = flatLayers.map((layer, index) => {
    let inputs: number[];
    if (layer.inbound.length > 0) {
      inputs = [];
      for (const id of layer.inbound) {
        const found = indexById.get(id);
        if (found === undefined || found >= index) {
          notes.add(`layer '${layer.name}': input '${id}' is not an earlier layer of the model; its signal is unknown`);
          inputs.push(-1);
        } else inputs.push(found);
      }
    } else inputs = model.kind === 'sequential' && index > 0 && layer.type !== 'input' ? [index - 1] : [];
    return {
      layer, inputs, consumers: [], input: UNKNOWN, output: UNKNOWN, preactivation: Number.NaN,
      derivativeFactor: Number.NaN, inputGradientFactor: Number.NaN, gradientWeight: null, kernelVariance: null,
      gradientOut: 0, gradientPre: 0,
    };
  });
  states.forEach((state, index) => {
    for (const input of state.inputs) if (input >= 0) states[input].consumers.push(index);
  });

  for (const state of states) forward(state, states, model, notes);
  backward(states);

  const trainable = states.filter((s) => s.gradientWeight !== null);
  const normSquared = (s: LayerState): number => (s.gradientWeight ?? Number.NaN) * s.gradientPre;
  const last = trainable.length > 0 ? normSquared(trainable[trainable.length - 1]) : Number.NaN;
  const layers: LayerSignal[] = states.map((s) => {
    const inputMoment = s.input.secondMoment;
    const relative = s.gradientWeight === null ? null : Math.sqrt(normSquared(s) / last);
    return {
      layerId: s.layer.id,
      forwardVariance: s.preactivation,
      forwardGain: s.output.secondMoment / inputMoment,
      backwardGain: s.derivativeFactor * s.inputGradientFactor,
      relativeGradientNorm: relative === null || Number.isFinite(relative) ? relative : Number.NaN,
      kernelVariance: s.kernelVariance,
    };
  });
  // A nested model's own entry carries its output layer's forward values (its layers are listed under 'outer/inner' ids).
  for (const [outerId, outputId] of nested) {
    const inner = layers.find((l) => l.layerId === outputId);
    if (inner) layers.push({ ...inner, layerId: outerId, relativeGradientNorm: null, kernelVariance: null });
  }

  let predictedGradientRatio: number | null = null;
  let gradientBlocked = false;
  if (trainable.length === 0) notes.add('no layer with a trainable kernel: no gradient ratio');
  else if (trainable.length === 1) predictedGradientRatio = 1;
  else {
    const first = normSquared(trainable[0]);
    const ratio = Math.sqrt(first / last);
    if (Number.isFinite(ratio)) predictedGradientRatio = ratio;
    else if (last === 0) {
      gradientBlocked = true;
      notes.add('the last trainable layer receives a zero kernel gradient at initialization (a zero signal reaches it): no gradient ratio');
    } else notes.add('the gradient ratio is unknown: some layer between the first and the last trainable layer could not be propagated (see the other notes)');
  }
  notes.add('assumes inputs with second moment 1 (standardized data) and the loss error at the output taken as 1');
  return { layers, predictedGradientRatio, ...(gradientBlocked ? { gradientBlocked } : {}), notes: [...notes] };
}

/**
 * Inlines nested models (layers of type 'model' with an inner model) so that the signal flows through their
 * layers: inner ids become 'outer/inner', the inner first layers take the outer layer's inputs, and later
 * references to the outer layer point at the inner model's last layer. Sequential chains are made explicit.
 */
function flattenNestedModels(model: Model): { layers: Layer[]; nested: [string, string][] } {
  const nested: [string, string][] = [];
  const alias = new Map<string, string>();
  const result: Layer[] = [];
  const resolve = (id: string): string => alias.get(id) ?? id;
  if (!model.layers.some((l) => l.type === 'model' && l.inner)) return { layers: model.layers, nested };
  model.layers.forEach((layer, index) => {
    const outerInbound = layer.inbound.length > 0
      ? layer.inbound.map(resolve)
      : model.kind === 'sequential' && index > 0 && layer.type !== 'input' ? [resolve(model.layers[index - 1].id)] : [];
    if (layer.type !== 'model' || !layer.inner) {
      result.push({ ...layer, inbound: outerInbound });
      return;
    }
    const inner = flattenNestedModels(layer.inner);
    const prefix = `${layer.id}/`;
    inner.layers.forEach((innerLayer, innerIndex) => {
      let inbound: string[];
      if (innerLayer.inbound.length > 0) inbound = innerLayer.inbound.map((id) => prefix + id);
      else if (layer.inner!.kind === 'sequential' && innerIndex > 0 && innerLayer.type !== 'input') inbound = [prefix + inner.layers[innerIndex - 1].id];
      else inbound = outerInbound;
      result.push({ ...innerLayer, id: prefix + innerLayer.id, inbound });
    });
    for (const [outerId, outputId] of inner.nested) nested.push([prefix + outerId, prefix + outputId]);
    const last = inner.layers[inner.layers.length - 1];
    if (last) {
      alias.set(layer.id, prefix + last.id);
      nested.push([layer.id, prefix + last.id]);
    }
  });
  return { layers: result, nested };
}

function combinedInput(state: LayerState, states: LayerState[]): Flow {
  if (state.inputs.length === 0) return MODEL_INPUT;
  if (state.inputs.length === 1) return state.inputs[0] < 0 ? UNKNOWN : states[state.inputs[0]].output;
  // Several inputs to a non-merge layer: not a shape the IR produces for single-input layers; unknown.
  return UNKNOWN;
}

function forward(state: LayerState, states: LayerState[], model: Model, notes: Set<string>): void {
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
        output = { secondMoment: input.secondMoment / (1 - rate), mean: input.mean, variance: input.secondMoment / (1 - rate) - input.mean * input.mean };
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
      state.input = output = total > 0 ? { secondMoment: weightedSecond / total, mean: weightedMean / total, variance: weightedVariance / total } : UNKNOWN;
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
  if (spec === null || spec.kind === 'unknown') return fail(spec?.kind === 'unknown' ? `kernel initializer unknown (${spec.reason})` : 'kernel initializer unknown');
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
  if (gates !== null && directions === 2 && units !== (2 * columns) / gates) notes.add(`${name}: Bidirectional merge mode other than concat; taken as concat for the output scale`);

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
    const gateName = typeof written === 'string' ? activationIdOf(written)
      : written === undefined ? defaultRecurrentActivation(model.dialect) : written === null ? 'linear' : null;
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
  const backwardFan = layer.type === 'embedding' ? 0 : layer.type === 'conv2dTranspose' ? fanIn : isConv ? fanOut / strideArea : columns * directions;
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

function backward(states: LayerState[]): void {
  for (let index = states.length - 1; index >= 0; index--) {
    const state = states[index];
    const isOutput = state.consumers.length === 0;
    if (isOutput) {
      state.gradientOut = 1;
      state.gradientPre = 1; // the output activation's derivative is folded into the loss error
    } else {
      state.gradientPre = state.gradientOut * state.derivativeFactor;
    }
    const toInput = state.gradientPre * state.inputGradientFactor;
    for (const input of state.inputs) if (input >= 0) states[input].gradientOut += toInput;
  }
}
