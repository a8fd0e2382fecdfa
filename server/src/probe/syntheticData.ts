// The probe's data recipe: seeded synthetic inputs and targets for a built model, and the loss it trains on.
import * as tf from '@tensorflow/tfjs';
import type { BuiltModel } from './buildModel';
import { gaussianArray, seededUniform } from './random';

/** A loss of one output: mean over the batch. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** The loss a model names (compile config), computed from logits where the output has no softmax / sigmoid; unknown names fall back to MSE with a note. */
export function lossFunction(name: string, activation: string | null, assumptions: string[]): LossFn {
  const clipped = (p: tf.Tensor): tf.Tensor => tf.clipByValue(p, 1e-7, 1 - 1e-7);
  switch (name.toLowerCase()) {
    case 'categoricalcrossentropy':
    case 'sparsecategoricalcrossentropy':
      if (activation !== 'softmax') {
        assumptions.push(`The output has no softmax; categorical crossentropy was computed from logits.`);
        return (y, p) => tf.losses.softmaxCrossEntropy(y, p) as tf.Scalar;
      }
      return (y, p) => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(clipped(p))), -1)));
    case 'binarycrossentropy':
      if (activation !== 'sigmoid') {
        assumptions.push(`The output has no sigmoid; binary crossentropy was computed from logits.`);
        return (y, p) => tf.losses.sigmoidCrossEntropy(y, p) as tf.Scalar;
      }
      return (y, p) => tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(clipped(p))), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped(p)))))));
    case 'meanabsoluteerror':
    case 'mae':
      return (y, p) => tf.mean(tf.abs(tf.sub(y, p)));
    case 'meansquarederror':
    case 'mse':
      return (y, p) => tf.mean(tf.square(tf.sub(y, p)));
    default:
      assumptions.push(`Loss '${name}' is not one the probe knows; mean squared error was used.`);
      return (y, p) => tf.mean(tf.square(tf.sub(y, p)));
  }
}

/** Seeded inputs (Gaussian, or integer ids for embeddings) and targets fitting each output. */
export function syntheticData(built: BuiltModel, batchSize: number, seed: number): { xs: tf.Tensor[]; ys: tf.Tensor[] } {
  const uniform = seededUniform(seed * 7919 + 17);
  const xs = built.inputs.map(({ shape, integerRange }) => {
    const size = batchSize * shape.reduce((a, b) => a * b, 1);
    if (integerRange !== null) {
      const ids = new Int32Array(size);
      for (let i = 0; i < size; i++) ids[i] = Math.floor(uniform() * integerRange);
      return tf.tensor(ids, [batchSize, ...shape], 'int32');
    }
    return tf.tensor(gaussianArray(uniform, size), [batchSize, ...shape]);
  });
  const ys = built.probeModel.outputs.slice(0, built.outputCount).map((output, i) => {
    const shape = [batchSize, ...output.shape.slice(1).map((d) => d ?? 1)];
    const size = shape.reduce((a, b) => a * b, 1);
    const loss = built.losses[i].toLowerCase();
    if (loss.includes('categorical')) {
      const classes = shape[shape.length - 1];
      const onehot = new Float32Array(size);
      for (let row = 0; row < size / classes; row++) onehot[row * classes + Math.floor(uniform() * classes)] = 1;
      return tf.tensor(onehot, shape);
    }
    if (loss.includes('binary')) {
      const labels = new Float32Array(size);
      for (let j = 0; j < size; j++) labels[j] = uniform() < 0.5 ? 0 : 1;
      return tf.tensor(labels, shape);
    }
    return tf.tensor(gaussianArray(uniform, size), shape);
  });
  return { xs, ys };
}
