// Predicted first/last kernel-gradient ratios against ratios measured with TF.js at initialization (Spearman rank correlation).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { propagate } from '../../server/src/engine/propagation';
import { activationLayer, batchNorm, denseLayer, denseStack, sequential, type InitInput } from '../helpers/irBuilder';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');

before(async () => {
  await tf.setBackend('cpu');
});

interface Architecture {
  depth: number;
  width: number;
  activation: string;
  init: string | { name: string; config: { stddev: number } };
  batchNorm: boolean;
}

/** Mean over 2 seeded batches of ||dL/dW_first|| / ||dL/dW_last|| (softmax cross-entropy, Gaussian inputs, random labels). */
function measure(arch: Architecture, inputDim: number): number {
  const model = tf.sequential();
  // Seeded initializer objects, so that the measured numbers are the same on every run.
  const initializers = tf.initializers as unknown as Record<string, (config: object) => unknown>;
  const kernelInitializer = (seed: number) =>
    (typeof arch.init === 'string'
      ? initializers[arch.init]({ seed })
      : tf.initializers.randomNormal({ ...arch.init.config, seed })) as 'heNormal';
  for (let i = 0; i < arch.depth; i++) {
    model.add(
      tf.layers.dense({
        units: arch.width,
        activation: (arch.batchNorm ? 'linear' : arch.activation) as 'relu',
        kernelInitializer: kernelInitializer(100 + i),
        ...(i === 0 ? { inputShape: [inputDim] } : {}),
      }),
    );
    if (arch.batchNorm) {
      model.add(tf.layers.batchNormalization({}));
      model.add(tf.layers.activation({ activation: arch.activation as 'relu' }));
    }
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: 99 }) }));
  const kernels = model.trainableWeights
    .filter((w) => w.name.includes('kernel'))
    .map((w) => w.read() as import('@tensorflow/tfjs').Variable);
  let sum = 0;
  for (let step = 0; step < 2; step++) {
    sum += tf.tidy(() => {
      const x = tf.randomNormal([32, inputDim], 0, 1, 'float32', 11 + step);
      const y = tf.oneHot(tf.randomUniform([32], 0, 10, 'int32', 21 + step), 10).toFloat();
      const { grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            y,
            model.apply(x, { training: true }) as import('@tensorflow/tfjs').Tensor,
          ) as import('@tensorflow/tfjs').Scalar,
        kernels,
      );
      const first = grads[kernels[0].name].norm().dataSync()[0];
      const last = grads[kernels[kernels.length - 1].name].norm().dataSync()[0];
      return first / last;
    });
  }
  model.layers.forEach((l) => l.dispose());
  return sum / 2;
}

function predict(arch: Architecture, inputDim: number): number | null {
  const init = arch.init as InitInput;
  if (!arch.batchNorm) {
    const specs = Array.from({ length: arch.depth }, () => ({ units: arch.width, activation: arch.activation, init }));
    return propagate(denseStack([...specs, { units: 10, activation: 'softmax' }], { inputDim })).predictedGradientRatio;
  }
  const layers = [];
  let width = inputDim;
  for (let i = 0; i < arch.depth; i++) {
    layers.push(denseLayer(`d${i}`, { units: arch.width, activation: 'linear', init }, width, 'tfjs'));
    layers.push(batchNorm(`bn${i}`, [], arch.width));
    layers.push(activationLayer(`act${i}`, arch.activation));
    width = arch.width;
  }
  layers.push(denseLayer('out', { units: 10, activation: 'softmax' }, width, 'tfjs'));
  return propagate(sequential(layers, { inputDim })).predictedGradientRatio;
}

function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const result = new Array<number>(values.length);
  order.forEach(([, index], rank) => {
    result[index] = rank;
  });
  return result;
}

test('predicted gradient ratios rank like the ones TF.js measures (12 dense architectures, Spearman >= 0.8)', () => {
  const small = { name: 'randomNormal', config: { stddev: 0.05 } };
  const architectures: Architecture[] = [
    { depth: 6, width: 64, activation: 'sigmoid', init: 'glorotNormal', batchNorm: false },
    { depth: 3, width: 64, activation: 'sigmoid', init: 'leCunUniform', batchNorm: false },
    { depth: 6, width: 32, activation: 'sigmoid', init: small, batchNorm: false },
    { depth: 4, width: 64, activation: 'sigmoid', init: 'heNormal', batchNorm: true },
    { depth: 6, width: 64, activation: 'tanh', init: small, batchNorm: false },
    { depth: 6, width: 64, activation: 'tanh', init: 'heNormal', batchNorm: false },
    { depth: 4, width: 32, activation: 'relu', init: 'heNormal', batchNorm: false },
    { depth: 6, width: 64, activation: 'relu', init: small, batchNorm: false },
    { depth: 3, width: 64, activation: 'selu', init: 'leCunNormal', batchNorm: false },
    { depth: 4, width: 64, activation: 'elu', init: 'glorotNormal', batchNorm: true },
    { depth: 6, width: 32, activation: 'gelu', init: small, batchNorm: false },
    { depth: 3, width: 64, activation: 'softsign', init: 'glorotNormal', batchNorm: false },
  ];
  const measured: number[] = [];
  const predicted: number[] = [];
  for (const arch of architectures) {
    const m = measure(arch, 40);
    const p = predict(arch, 40);
    assert.ok(p !== null && Number.isFinite(m), `${JSON.stringify(arch)}: measured ${m}, predicted ${p}`);
    measured.push(Math.log(m));
    predicted.push(Math.log(p));
    console.log(
      `${arch.depth}x${arch.width} ${arch.activation} ${JSON.stringify(arch.init)}${arch.batchNorm ? ' +BN' : ''}: measured ${m.toExponential(2)}, predicted ${p.toExponential(2)}`,
    );
  }
  const rm = ranks(measured);
  const rp = ranks(predicted);
  const n = rm.length;
  const spearman = 1 - (6 * rm.reduce((sum, r, i) => sum + (r - rp[i]) ** 2, 0)) / (n * (n * n - 1));
  console.log(`Spearman(log predicted, log measured) over ${n} architectures: ${spearman.toFixed(3)}`);
  assert.ok(spearman >= 0.8, `Spearman ${spearman}`);
});
