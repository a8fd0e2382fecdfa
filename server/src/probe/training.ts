// The probe's training run: trains a model built from the IR a few steps on seeded synthetic data and measures gradient health per layer.
import * as tf from '@tensorflow/tfjs';
import type { ProbeLayerResult, ProbeRun } from '../../../common/src/probe';
import { DEFAULT_PROBE_SETTINGS, type ProbeOptions } from '../../../common/src/probeOptions';
import type { Model } from '../engine/ir';
import { DYING_FAMILY, SATURATING } from '../engine/catalog/activationFamilies';
import { buildProbeModel, ProbeError, unknownInitializersOf, type BuiltLayer, type BuiltModel } from './buildModel';
import { computeFindings, DEFAULT_PROBE_THRESHOLDS, type FindingInput } from './findings';
import { factorsFromStds, lsuvFactors, lsuvFromFirstStep } from './lsuv';
import { withSeededMathRandom } from './random';
import { deadUnitFraction, duplicateUnitFraction, gradientAndWeightSums, moments, saturatedFraction, variationAcrossRows } from './stats';
import { lossFunction, syntheticData } from './syntheticData';

/** Hooks of a running probe: progress per step and cooperative cancellation. */
export interface ProbeHooks {
  onStep?: (step: number, steps: number) => void;
  /** Checked between steps; when it returns true the probe stops with a 'cancelled' error. */
  isCancelled?: () => boolean;
}

/** The defaults of ProbeOptions. */
export const DEFAULT_PROBE_OPTIONS = {
  steps: DEFAULT_PROBE_SETTINGS.steps,
  batchSize: DEFAULT_PROBE_SETTINGS.batchSize,
  seed: DEFAULT_PROBE_SETTINGS.seed,
  learningRate: 0.01,
  maxParams: DEFAULT_PROBE_SETTINGS.maxParams,
  timeoutMs: DEFAULT_PROBE_SETTINGS.timeoutMs,
  lsuv: true,
} as const;

/** Thrown when a probe is cancelled. */
export class ProbeCancelled extends Error {
  constructor() {
    super('The probe was cancelled.');
  }
}

const SATURATION_BOUND = 5;

/**
 * A tensor's values for a reduction in JS. On wasm, a view of its heap buffer: the per-step readback of every
 * gradient, kernel and activation then copies nothing. The view is only valid until the next tensor allocation
 * (a growing heap detaches it), so callers reduce it at once.
 */
function hostValues(tensor: tf.Tensor): ArrayLike<number> {
  const backend = tf.backend() as tf.KernelBackend & { typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array };
  if (tensor.dtype === 'float32' && tf.getBackend() === 'wasm' && typeof backend.typedArrayFromHeap === 'function') {
    return backend.typedArrayFromHeap(tensor);
  }
  return tensor.dataSync();
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function mean(values: number[]): number | null {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? null : finite.reduce((a, b) => a + b, 0) / finite.length;
}

/**
 * The built layer whose output enters the last kernel layer (its one inbound layer, else the layer before it); null
 * when the last kernel layer reads the model's input directly or has several inputs.
 */
function representationEnteringLastKernel(built: BuiltModel): { index: number; name: string; consumer: string } | null {
  let last = -1;
  built.layers.forEach((b, i) => {
    if (b.kernel) last = i;
  });
  if (last < 0) return null;
  const consumer = built.layers[last].layer;
  if (consumer.inbound.length > 1) return null;
  const index = consumer.inbound.length === 1 ? built.layers.findIndex((b) => b.layer.id === consumer.inbound[0]) : last - 1;
  return index < 0 ? null : { index, name: built.layers[index].layer.name, consumer: consumer.name };
}

interface StepMeasures {
  gradNorm: number;
  meanAbsGrad: number;
  weightNorm: number;
}

/** Probes one IR model: build, a few SGD steps, per-layer measurements, findings. */
export async function probeModel(model: Model, options: ProbeOptions = {}, hooks: ProbeHooks = {}): Promise<ProbeRun> {
  const steps = options.steps ?? DEFAULT_PROBE_OPTIONS.steps;
  const batchSize = options.batchSize ?? DEFAULT_PROBE_OPTIONS.batchSize;
  const seed = options.seed ?? DEFAULT_PROBE_OPTIONS.seed;
  const learningRate = options.learningRate ?? DEFAULT_PROBE_OPTIONS.learningRate;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_OPTIONS.timeoutMs;
  const thresholds = { ...DEFAULT_PROBE_THRESHOLDS, ...options.thresholds };
  if (!(steps >= 1) || !(batchSize >= 1)) throw new ProbeError('steps and batch size must be at least 1.');

  const started = performance.now();
  let built: BuiltModel | null = null;
  const owned: tf.Tensor[] = [];
  const optimizer = tf.train.sgd(learningRate);
  try {
    built = withSeededMathRandom(seed, () =>
      buildProbeModel(model, {
        batchSize,
        inputShape: options.inputShape,
        maxParams: options.maxParams ?? DEFAULT_PROBE_OPTIONS.maxParams,
      }),
    );
    const b = built;
    const assumptions = [...b.assumptions];
    const losses = b.losses.map((name, i) =>
      lossFunction(name, b.layers.find((l) => l.output === b.probeModel.outputs[i])?.layer.activation.name ?? null, assumptions),
    );
    const { xs, ys } = syntheticData(b, batchSize, seed);
    owned.push(...xs, ...ys);
    const indices = b.monitorIndex;
    const buildMs = performance.now() - started;
    const lsuvWanted = options.lsuv ?? DEFAULT_PROBE_OPTIONS.lsuv;
    // Step 0's forward pass runs at the initial weights on the same data, so where one pass gives every factor
    // its pre-activations give them without a pass of their own.
    const lsuvAtStep0 = lsuvWanted && lsuvFromFirstStep(b);
    const step0Stds: number[] = [];
    let lsuv = lsuvWanted && !lsuvAtStep0 ? lsuvFactors(b, xs, indices, seed) : b.layers.map((): number | null => null);

    const trainable = b.probeModel.trainableWeights.map((w) => w.read() as tf.Variable);
    const perLayer = b.layers.map(() => ({
      grads: [] as StepMeasures[],
      mean: [] as number[],
      std: [] as number[],
      maxAbs: 0,
      dead: [] as number[],
      saturated: [] as number[],
    }));
    const loss: number[] = [];
    // Variation across the batch's inputs at the initial weights: of the first output (reported) and of the
    // representation entering the last kernel layer (the finding: a zero-initialized head makes the output constant
    // on purpose, Fixup-style, while its input still carries the data).
    let outputVariation: { acrossInputs: number; squaredMean: number } | null = null;
    let representationVariation: { acrossInputs: number; squaredMean: number } | null = null;
    const representation = representationEnteringLastKernel(b);
    let nonFinite: string | null = null;
    const stepsStarted = performance.now();
    let stepsRun = 0;
    for (let step = 0; step < steps; step++) {
      if (hooks.isCancelled?.()) throw new ProbeCancelled();
      if (performance.now() - started > timeoutMs) {
        throw new ProbeError(
          `The probe of '${model.name}' stopped after ${step} of ${steps} steps: it took more than ${timeoutMs} ms (setting modelLint.probe.timeoutMs, flag --timeout-ms).`,
        );
      }
      let measured: number[] = [];
      // Nothing is returned from the tidy: it would walk the returned container element by element.
      withSeededMathRandom(seed * 1000 + step, () =>
        tf.tidy(() => {
          let monitored: tf.Tensor[] = [];
          const { value, grads } = tf.variableGrads(() => {
            const outputs = b.probeModel.apply(xs, { training: true }) as tf.Tensor[];
            monitored = outputs.map((t) => tf.keep(t));
            let total: tf.Scalar = tf.scalar(0);
            for (let i = 0; i < b.outputCount; i++) total = tf.add(total, losses[i](ys[i], outputs[i]));
            return total;
          }, trainable);
          // Each monitored tensor is read once (a tensor can be one layer's output and the next one's input). No
          // tensor is allocated from here to the update, so heap views stay valid.
          measured = [value.dataSync()[0]];
          const readBack = new Map<number, ArrayLike<number>>();
          const valuesOf = (index: number): ArrayLike<number> => {
            let values = readBack.get(index);
            if (!values) readBack.set(index, (values = hostValues(monitored[index])));
            return values;
          };
          if (step === 0) {
            const variation = (index: number): { acrossInputs: number; squaredMean: number } | null => {
              if (monitored[index].dtype !== 'float32') return null;
              const { acrossRows, squaredMean } = variationAcrossRows(valuesOf(index), batchSize);
              return { acrossInputs: acrossRows, squaredMean };
            };
            outputVariation = variation(0);
            if (representation) representationVariation = variation(indices[representation.index].out);
          }
          b.layers.forEach((layer: BuiltLayer, i) => {
            if (layer.kernel && lsuvAtStep0 && step === 0) step0Stds.push(moments(valuesOf(indices[i].pre ?? indices[i].out)).std);
            if (layer.kernel) {
              const grad = grads[(layer.kernel.read() as tf.Variable).name];
              const gradValues = grad ? hostValues(grad) : Float32Array.of(NaN);
              const { sumSquares, sumAbs, weightSquares } = gradientAndWeightSums(gradValues, hostValues(layer.kernel.read()));
              measured.push(Math.sqrt(sumSquares), sumAbs / gradValues.length, Math.sqrt(weightSquares));
            }
            const out = moments(valuesOf(indices[i].out));
            measured.push(out.mean, out.std, out.maxAbs);
            const pre = indices[i].pre;
            if (pre !== null && layer.activation && DYING_FAMILY.has(layer.activation)) {
              const shape = monitored[pre].shape;
              measured.push(deadUnitFraction(valuesOf(pre), shape[shape.length - 1] ?? 1));
            }
            if (pre !== null && layer.activation && SATURATING.has(layer.activation)) {
              measured.push(saturatedFraction(valuesOf(pre), SATURATION_BOUND));
            }
          });
          optimizer.applyGradients(grads);
          for (const t of monitored) t.dispose();
        }),
      );
      let cursor = 0;
      const stepLoss = measured[cursor++];
      b.layers.forEach((layer, i) => {
        const record = perLayer[i];
        if (layer.kernel) {
          const [gradNorm, meanAbsGrad, weightNorm] = measured.slice(cursor, (cursor += 3));
          record.grads.push({ gradNorm, meanAbsGrad, weightNorm });
          if (!Number.isFinite(gradNorm) && !nonFinite) nonFinite = `the kernel gradient of '${layer.layer.name}' at step ${step + 1}`;
        }
        const [m, s, maxAbs] = measured.slice(cursor, (cursor += 3));
        record.mean.push(m);
        record.std.push(s);
        record.maxAbs = Math.max(record.maxAbs, Number.isFinite(maxAbs) ? maxAbs : Infinity);
        if (!Number.isFinite(maxAbs) && !nonFinite) nonFinite = `the activations of '${layer.layer.name}' at step ${step + 1}`;
        if (indices[i].pre !== null && layer.activation && DYING_FAMILY.has(layer.activation)) record.dead.push(measured[cursor++]);
        if (indices[i].pre !== null && layer.activation && SATURATING.has(layer.activation)) record.saturated.push(measured[cursor++]);
      });
      stepsRun = step + 1;
      if (!Number.isFinite(stepLoss)) {
        nonFinite = `the loss became ${stepLoss} at step ${step + 1}` + (nonFinite ? ` (first: ${nonFinite})` : '');
      } else {
        loss.push(stepLoss);
      }
      hooks.onStep?.(step + 1, steps);
      if (nonFinite) break; // further steps on NaN weights measure nothing
      if (hooks.isCancelled) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const stepMs = (performance.now() - stepsStarted) / Math.max(1, stepsRun);
    if (lsuvAtStep0) lsuv = factorsFromStds(b, step0Stds);
    if (nonFinite && stepsRun < steps) assumptions.push(`Stopped after ${stepsRun} of ${steps} steps: non-finite values.`);

    const kernelLayers = b.layers.map((layer, i) => ({ layer, i })).filter(({ layer }) => layer.kernel);
    const first = kernelLayers[0];
    const last = kernelLayers[kernelLayers.length - 1];
    const firstGradient = first ? finiteOrNull(perLayer[first.i].grads[0]?.gradNorm ?? NaN) : null;
    const lastGradient = last ? finiteOrNull(perLayer[last.i].grads[0]?.gradNorm ?? NaN) : null;

    const layers: ProbeLayerResult[] = b.layers.map((layer, i) => {
      const record = perLayer[i];
      const gradNorm = mean(record.grads.map((g) => g.gradNorm));
      const unknownInit = unknownInitializersOf(layer.layer, model);
      return {
        name: layer.layer.name,
        type: layer.layer.type,
        line: null,
        gradNorm: layer.kernel ? gradNorm : null,
        relativeGradNorm: layer.kernel ? mean(record.grads.map((g) => g.gradNorm / g.weightNorm)) : null,
        updateRatio: layer.kernel ? mean(record.grads.map((g) => (learningRate * g.gradNorm) / g.weightNorm)) : null,
        activationMean: mean(record.mean),
        activationStd: mean(record.std),
        deadFraction: record.dead.length ? mean(record.dead) : null,
        saturatedFraction: record.saturated.length ? mean(record.saturated) : null,
        lsuvScale: lsuv[i],
        ...(unknownInit === undefined ? {} : { initializerUnknown: unknownInit }),
      };
    });
    const findingInput: FindingInput = {
      firstGradient,
      lastGradient,
      firstLayer: first?.layer.layer.name ?? null,
      lastLayer: last?.layer.layer.name ?? null,
      layers: b.layers.map((layer, i) => ({
        name: layer.layer.name,
        maxMeanAbsGradient: perLayer[i].grads.length
          ? Math.max(...perLayer[i].grads.map((g) => g.meanAbsGrad).filter(Number.isFinite), 0)
          : null,
        maxAbsActivation: perLayer[i].maxAbs,
        deadFraction: layers[i].deadFraction,
        saturatedFraction: layers[i].saturatedFraction,
        symmetricFraction:
          layer.kernel && !nonFinite
            ? duplicateUnitFraction(layer.kernel.read().dataSync(), layer.kernel.shape[layer.kernel.shape.length - 1] ?? 1)
            : null,
      })),
      loss,
      nonFinite,
      representationVariation,
      representationLayer: representation?.name ?? null,
      representationConsumer: representation?.consumer ?? null,
    };
    return {
      findings: computeFindings(findingInput, thresholds),
      layers,
      loss,
      timing: { buildMs, stepMs },
      assumptions,
      gradientRatio: firstGradient !== null && lastGradient !== null && lastGradient > 0 ? firstGradient / lastGradient : null,
      outputVariation,
    };
  } finally {
    for (const t of owned) t.dispose();
    optimizer.dispose();
    built?.probeModel.dispose();
  }
}
