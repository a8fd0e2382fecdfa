// LSUV-style factors of the probe report: by how much each kernel would have to be scaled for unit output variance on the probe data.
import * as tf from '@tensorflow/tfjs';
import type { BuiltModel } from './buildModel';
import { withSeededMathRandom } from './random';
import { moments } from './stats';

// Layers through which scaling an earlier kernel scales the signal by the same factor (zero biases assumed).
const HOMOGENEOUS_TYPES = new Set(['dense', 'conv1d', 'conv2d', 'conv3d', 'flatten', 'dropout', 'pooling', 'reshape', 'activation']);
const HOMOGENEOUS_ACTIVATIONS = new Set(['relu', 'linear', 'leakyRelu']);

function positivelyHomogeneous(built: BuiltModel): boolean {
  const last = built.layers.length - 1;
  // The last layer's activation comes after every measured pre-activation, so it cannot change a factor.
  return built.layers.every(
    (b, i) =>
      HOMOGENEOUS_TYPES.has(b.layer.type) &&
      (i === last || b.layer.activation.name === null || HOMOGENEOUS_ACTIVATIONS.has(b.layer.activation.name)) &&
      (!b.layer.biasInitializer || b.layer.biasInitializer.spec.kind === 'zeros') &&
      b.layer.inbound.length <= 1,
  );
}

/** Whether the step-0 forward pass can give the LSUV factors: a one-pass stack whose outputs draw no dropout masks. */
export function lsuvFromFirstStep(built: BuiltModel): boolean {
  return positivelyHomogeneous(built) && built.layers.every((b) => b.layer.type !== 'dropout');
}

/** One-pass LSUV factors from each kernel layer's output std at the initial weights (s_l = std_{l-1} / std_l). */
export function factorsFromStds(built: BuiltModel, stds: number[]): (number | null)[] {
  const factors: (number | null)[] = built.layers.map(() => null);
  let previous = 1;
  built.layers
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.kernel)
    .forEach(({ i }, k) => {
      factors[i] = stds[k] > 0 && Number.isFinite(stds[k]) && previous > 0 ? previous / stds[k] : null;
      previous = stds[k];
    });
  return factors;
}

/**
 * LSUV-style factors: each kernel layer in turn is scaled so its output variance on the probe data is 1.
 * For a positively homogeneous stack with zero biases, scaling earlier kernels scales later outputs by the same
 * product, so one forward pass gives every factor (s_l = std_{l-1} / std_l); otherwise one pass per layer,
 * with the weights restored after.
 */
export function lsuvFactors(
  built: BuiltModel,
  xs: tf.Tensor[],
  indices: { pre: number | null; out: number }[],
  seed: number,
): (number | null)[] {
  const factors: (number | null)[] = built.layers.map(() => null);
  const outputStd = (index: number[], salt: number): number[] =>
    withSeededMathRandom(seed + salt, () =>
      tf.tidy(() => {
        const outputs = built.probeModel.apply(xs, { training: true }) as tf.Tensor[];
        return index.map((i) => moments(outputs[i].dataSync()).std);
      }),
    );
  const kernelLayers = built.layers.map((b, i) => ({ b, i })).filter(({ b }) => b.kernel);
  if (positivelyHomogeneous(built)) {
    return factorsFromStds(
      built,
      outputStd(
        kernelLayers.map(({ i }) => indices[i].pre ?? indices[i].out),
        0,
      ),
    );
  }
  const saved: { kernel: tf.LayerVariable; value: tf.Tensor }[] = [];
  try {
    for (const { b, i } of kernelLayers) {
      const [std] = outputStd([indices[i].pre ?? indices[i].out], i);
      if (!(std > 0) || !Number.isFinite(std)) continue;
      factors[i] = 1 / std;
      saved.push({ kernel: b.kernel!, value: tf.clone(b.kernel!.read()) });
      tf.tidy(() => {
        b.kernel!.write(tf.mul(b.kernel!.read(), 1 / std));
      });
    }
  } finally {
    for (const { kernel, value } of saved.reverse()) {
      kernel.write(value);
      value.dispose();
    }
  }
  return factors;
}
