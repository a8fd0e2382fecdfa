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
import type { Layer, Model } from './ir';
import type { LayerSignal, ModelSignal } from './types';
import { type LayerState, UNKNOWN } from './propagationFlow';
import { forward } from './propagationLayers';

// The layer types whose kernel gradients the ratio compares live with the flow statistics; re-exported for the faces.
export { KERNEL_LAYER_TYPES } from './propagationFlow';

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
      layer,
      inputs,
      consumers: [],
      input: UNKNOWN,
      output: UNKNOWN,
      preactivation: Number.NaN,
      derivativeFactor: Number.NaN,
      inputGradientFactor: Number.NaN,
      gradientWeight: null,
      kernelVariance: null,
      gradientOut: 0,
      gradientPre: 0,
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
    } else
      notes.add(
        'the gradient ratio is unknown: some layer between the first and the last trainable layer could not be propagated (see the other notes)',
      );
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
    const outerInbound =
      layer.inbound.length > 0
        ? layer.inbound.map(resolve)
        : model.kind === 'sequential' && index > 0 && layer.type !== 'input'
          ? [resolve(model.layers[index - 1].id)]
          : [];
    if (layer.type !== 'model' || !layer.inner) {
      result.push({ ...layer, inbound: outerInbound });
      return;
    }
    const inner = flattenNestedModels(layer.inner);
    const prefix = `${layer.id}/`;
    inner.layers.forEach((innerLayer, innerIndex) => {
      let inbound: string[];
      if (innerLayer.inbound.length > 0) inbound = innerLayer.inbound.map((id) => prefix + id);
      else if (layer.inner!.kind === 'sequential' && innerIndex > 0 && innerLayer.type !== 'input')
        inbound = [prefix + inner.layers[innerIndex - 1].id];
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
