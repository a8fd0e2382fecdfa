// The probe's TF.js rebuild of PyTorch models draws what PyTorch draws and computes what PyTorch computes.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Layer, Model } from '../../server/src/engine/ir';
import { selectBackend } from '../../server/src/probe/backend';
import { buildProbeModel, type BuiltModel } from '../../server/src/probe/buildModel';
import { withSeededMathRandom } from '../../server/src/probe/random';
import { activationAttr, layer } from '../helpers/irBuilder';
import { kaimingNormal, torchLinear, torchModel } from '../helpers/pytorchIr';

function build(model: Model): BuiltModel {
  return withSeededMathRandom(7, () => buildProbeModel(model, { batchSize: 8, maxParams: 5_000_000 }));
}

/** The values of the built model's weight whose name matches. */
function weightValues(built: BuiltModel, layerIndex: number, pattern: RegExp): Float32Array {
  const tfLayer = built.layers[layerIndex].output.sourceLayer;
  // A split activation's layer is the output's source: the weights sit on the layer that produced the pre-activation.
  const owner = built.layers[layerIndex].preActivation?.sourceLayer ?? tfLayer;
  const weight = owner.weights.find((w) => pattern.test(w.originalName));
  assert.ok(weight, `no weight ${pattern} on ${owner.name}: ${owner.weights.map((w) => w.originalName).join(', ')}`);
  return weight.read().dataSync() as Float32Array;
}

function stats(values: Float32Array): { variance: number; maxAbs: number } {
  let sum = 0;
  let squares = 0;
  let maxAbs = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / values.length;
  return { variance: squares / values.length - mean * mean, maxAbs };
}

function recurrent(type: 'lstm' | 'gru', units: number, features: number): Layer {
  const gates = type === 'lstm' ? 4 : 3;
  return layer({
    id: type,
    type,
    className: type === 'lstm' ? 'LSTM' : 'GRU',
    config: { units },
    activation: activationAttr('tanh', 'default'),
    fanIn: features,
    fanOut: gates * units,
    outputSize: units,
    outputShape: [units],
  });
}

describe('probe rebuild of PyTorch models', () => {
  before(async () => {
    await selectBackend('cpu');
  });

  it("draws Linear's default weight and bias from U(±1/√fan_in): Var(W) fan_in = 1/3", () => {
    const built = build(torchModel('m', [torchLinear('fc', 400, 300, 'relu')], [400]));
    const kernel = stats(weightValues(built, 0, /kernel/));
    const bias = stats(weightValues(built, 0, /bias/));
    assert.ok(Math.abs(kernel.variance * 400 - 1 / 3) < 0.01, `Var(W) fan_in ${kernel.variance * 400}`);
    assert.ok(kernel.maxAbs <= 1 / 20 && kernel.maxAbs > 0.049, `max |W| ${kernel.maxAbs}`);
    assert.ok(bias.maxAbs <= 1 / 20 && bias.variance > 0.0004, `bias max ${bias.maxAbs}, variance ${bias.variance}`);
    assert.match(built.assumptions.join('\n'), /PyTorch model rebuilt in TF\.js with PyTorch's initialization/);
    built.probeModel.dispose();
  });

  it("draws kaiming_normal_ untruncated with Var(W) fan_in = gain² (TF.js's normal would be cut at 2 std)", () => {
    const built = build(torchModel('m', [torchLinear('fc', 256, 512, 'relu', { weight: kaimingNormal(Math.SQRT2) })], [256]));
    const kernel = stats(weightValues(built, 0, /kernel/));
    const std = Math.sqrt(kernel.variance);
    assert.ok(Math.abs(kernel.variance * 256 - 2) < 0.05, `Var(W) fan_in ${kernel.variance * 256}`);
    assert.ok(kernel.maxAbs > 3.5 * std, `largest draw ${kernel.maxAbs / std} std: untruncated`);
    built.probeModel.dispose();
  });

  it("uses PyTorch's default where an attribute is absent, and says so where a spec is unknown", () => {
    const absent = { ...torchLinear('fc', 100, 50, 'linear'), biasInitializer: undefined };
    const unknown = torchLinear('fc2', 50, 20, 'linear', { weight: { kind: 'unknown', reason: "argument 'std' is a variable" } });
    const unreadNumber = torchLinear('fc3', 20, 10, 'linear', { weight: { kind: 'randomNormal', mean: 0, stddev: null } });
    const built = build(torchModel('m', [absent, unknown, unreadNumber], [100]));
    const bias = stats(weightValues(built, 0, /bias/));
    assert.ok(bias.maxAbs > 0 && bias.maxAbs <= 0.1, `absent bias drawn from U(±0.1): max ${bias.maxAbs}`);
    const kernel = stats(weightValues(built, 1, /kernel/));
    assert.ok(Math.abs(kernel.variance * 50 - 1 / 3) < 0.05, `unknown weight drawn as the default: ${kernel.variance * 50}`);
    const notes = built.assumptions.join('\n');
    assert.match(
      notes,
      /fc2\.kernelInitializer: initializer unknown \(argument 'std' is a variable\); PyTorch's default U\(±1\/√fan_in\), fan_in 50 was used\./,
    );
    assert.match(
      notes,
      /fc3\.kernelInitializer: initializer unknown \(stddev not known statically\); PyTorch's default U\(±1\/√fan_in\), fan_in 20 was used\./,
    );
    built.probeModel.dispose();
  });

  it("gives LSTM and GRU sigmoid gates, U(±1/√hidden) weights, and notes the second bias and the GRU's reset-gate order", () => {
    for (const type of ['lstm', 'gru'] as const) {
      const built = build(torchModel('m', [recurrent(type, 64, 16)], [10, 16]));
      const config = built.layers[0].output.sourceLayer.getConfig();
      assert.equal(config.recurrentActivation, 'sigmoid', type);
      if (type === 'gru') assert.match(built.assumptions.join('\n'), /applies the reset gate after the recurrent product/);
      for (const [pattern, bound] of [
        [/\/kernel$/, 1 / 8],
        [/recurrent_kernel$/, 1 / 8],
        [/bias$/, Math.SQRT2 / 8],
      ] as const) {
        const values = stats(weightValues(built, 0, pattern));
        assert.ok(values.maxAbs <= bound && values.maxAbs > 0.95 * bound, `${type} ${pattern}: max ${values.maxAbs}, bound ${bound}`);
      }
      assert.match(built.assumptions.join('\n'), /two bias vectors \(bias_ih \+ bias_hh\)/);
      built.probeModel.dispose();
    }
  });

  it("uses PyTorch's norm epsilon and nn.LeakyReLU's slope 0.01", () => {
    const norm = layer({ id: 'bn', type: 'batchNormalization', className: 'BatchNorm1d', outputSize: 32, outputShape: [32] });
    const leaky = { ...torchLinear('fc', 16, 32, 'linear'), activation: activationAttr('leakyRelu', 'own') };
    const built = build(torchModel('m', [leaky, norm], [16]));
    assert.equal(built.layers[1].output.sourceLayer.getConfig().epsilon, 1e-5);
    const activationLayer = built.layers[0].output.sourceLayer;
    assert.equal(activationLayer.getClassName(), 'LeakyReLU');
    assert.equal(activationLayer.getConfig().alpha, 0.01);
    const out = tf.tidy(() => (activationLayer.apply(tf.tensor([[-1, 2]])) as tf.Tensor).dataSync());
    assert.deepEqual(
      [...out].map((v) => Math.round(v * 1000) / 1000),
      [-0.01, 2],
    );
    built.probeModel.dispose();
  });
});
