// The probe engine on hand-made IR models: expected findings, determinism, tensor hygiene and clear failures.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { ProbeRun } from '../../common/src/probe';
import { selectBackend } from '../../server/src/probe/backend';
import { ProbeError } from '../../server/src/probe/buildModel';
import { probeModel, ProbeCancelled } from '../../server/src/probe/training';
import { torchLinear, torchModel } from '../helpers/pytorchIr';
import { cnn, initAttr, irLayer, mlp } from './zoo';

const QUICK = { steps: 8, batchSize: 32, seed: 3 };

function ids(run: ProbeRun): string[] {
  return [...new Set(run.findings.map((f) => f.id))].sort();
}

describe('probe findings', () => {
  before(async () => {
    const choice = await selectBackend('wasm');
    assert.equal(choice.backend, 'wasm');
  });

  it('zeros kernel -> symmetric; its fix (heNormal) -> healthy', async () => {
    const zeros = await probeModel(
      mlp({ inputSize: 32, widths: [32, 32, 32], activation: 'relu', init: 'zeros', outputInit: 'glorotNormal' }),
      QUICK,
    );
    assert.ok(ids(zeros).includes('symmetric'), JSON.stringify(zeros.findings));
    const fixed = await probeModel(
      mlp({ inputSize: 32, widths: [32, 32, 32], activation: 'relu', init: 'heNormal', outputInit: 'glorotNormal' }),
      QUICK,
    );
    assert.deepEqual(ids(fixed), [], JSON.stringify(fixed.findings));
  });

  it('input-insensitive looks at what enters the last layer: a zero-initialized head (Fixup-style) is not flagged', async () => {
    const spec = { inputSize: 32, widths: [64, 64, 64], activation: 'relu', outputActivation: 'linear' };
    const zeroHead = await probeModel(mlp({ ...spec, init: 'heNormal', outputInit: 'zeros' }), QUICK);
    assert.equal(zeroHead.outputVariation?.acrossInputs, 0, 'the output is constant at the initial weights');
    assert.ok(!ids(zeroHead).includes('input-insensitive'), JSON.stringify(zeroHead.findings));
    // Zero weights under PyTorch's default (non-zero) biases: every hidden output is relu(bias), the same for all inputs.
    const zeros = { weight: { kind: 'zeros' } as const };
    const zeroHidden = await probeModel(
      torchModel(
        'm',
        [
          torchLinear('fc1', 32, 64, 'relu', zeros),
          torchLinear('fc2', 64, 64, 'relu', zeros),
          torchLinear('fc3', 64, 64, 'relu', zeros),
          torchLinear('head', 64, 10, 'linear'),
        ],
        [32],
      ),
      QUICK,
    );
    const finding = zeroHidden.findings.find((f) => f.id === 'input-insensitive');
    assert.ok(finding, JSON.stringify(zeroHidden.findings));
    assert.equal(finding.layer, 'fc3');
    assert.match(
      finding.message,
      /^What enters the last layer 'head' barely depends on the input: its variance across the batch's inputs \(0\)/,
    );
  });

  it('10 sigmoid layers -> vanishing', async () => {
    const run = await probeModel(
      mlp({ inputSize: 32, widths: Array(10).fill(32), activation: 'sigmoid', init: { kind: 'randomNormal', mean: 0, stddev: 0.05 } }),
      QUICK,
    );
    assert.ok(ids(run).includes('vanishing'), JSON.stringify(run.findings));
    assert.ok(run.gradientRatio !== null && run.gradientRatio! < 1e-3);
  });

  it('randomNormal std 1 on 512-wide ReLU layers -> exploding; heNormal -> healthy', async () => {
    const spec = { inputSize: 512, widths: [512, 512, 512, 512], activation: 'relu', outputActivation: 'linear', outputUnits: 8 };
    const run = await probeModel(mlp({ ...spec, init: { kind: 'randomNormal', mean: 0, stddev: 1 } }), {
      ...QUICK,
      steps: 3,
      batchSize: 16,
    });
    assert.ok(ids(run).includes('exploding'), JSON.stringify(run.findings));
    const fixed = await probeModel(mlp({ ...spec, init: 'heNormal', outputInit: 'glorotNormal' }), { ...QUICK, steps: 6, batchSize: 16 });
    assert.deepEqual(ids(fixed), [], JSON.stringify(fixed.findings));
  });

  it('He + ReLU -> healthy, with per-layer measurements and LSUV factors near 1', async () => {
    const run = await probeModel(mlp({ inputSize: 64, widths: [64, 64, 64, 64], activation: 'relu', init: 'heNormal' }), QUICK);
    assert.deepEqual(ids(run), [], JSON.stringify(run.findings));
    assert.equal(run.loss.length, QUICK.steps);
    assert.ok(run.loss[run.loss.length - 1] < run.loss[0]);
    const hidden = run.layers.filter((l) => l.name.startsWith('hidden'));
    assert.equal(hidden.length, 4);
    for (const layer of hidden) {
      assert.ok(
        layer.gradNorm! > 0 && layer.activationStd! > 0 && layer.deadFraction !== null && layer.saturatedFraction === null,
        JSON.stringify(layer),
      );
      assert.ok(layer.lsuvScale! > 0.5 && layer.lsuvScale! < 2, `LSUV factor of He init should be near 1: ${layer.lsuvScale}`);
      assert.ok(Math.abs(layer.updateRatio! - 0.01 * layer.relativeGradNorm!) < 1e-9);
    }
  });

  it('LSUV factors: the one-pass shortcut of homogeneous stacks equals layer-by-layer rescaling', async () => {
    const model = mlp({ inputSize: 32, widths: [32, 32, 32], activation: 'relu', init: { kind: 'randomNormal', mean: 0, stddev: 0.1 } });
    // A constant-0 bias is the same network but not recognised as zeros, so it takes the layer-by-layer path.
    const stepwise = structuredClone(model);
    for (const layer of stepwise.layers)
      if (layer.biasInitializer) layer.biasInitializer = initAttr({ kind: 'constant', value: 0 }, 'biasInitializer');
    const fast = (await probeModel(model, { steps: 1, batchSize: 64 })).layers.map((l) => l.lsuvScale!);
    const slow = (await probeModel(stepwise, { steps: 1, batchSize: 64 })).layers.map((l) => l.lsuvScale!);
    assert.equal(fast.length, slow.length);
    fast.forEach((f, i) => assert.ok(Math.abs(f - slow[i]) < 1e-4 * slow[i], `layer ${i}: ${f} vs ${slow[i]}`));
    assert.ok(fast[0] > 1.5, 'std 0.1 at fan-in 32 shrinks the signal: the factor must be > 1');
  });

  it('tanh with saturating init -> saturated', async () => {
    const run = await probeModel(
      mlp({ inputSize: 64, widths: [64, 64, 64], activation: 'tanh', init: { kind: 'randomNormal', mean: 0, stddev: 1 } }),
      QUICK,
    );
    assert.ok(ids(run).includes('saturated'), JSON.stringify(run.findings));
    assert.ok(run.layers[1].saturatedFraction! > 0.5);
  });

  it('a conv stack trains on wasm (the added Conv2DBackpropFilter kernel)', async () => {
    const run = await probeModel(cnn({ convLayers: 2, filters: 8, inputShape: [8, 8, 3], activation: 'relu', init: 'heNormal' }), {
      steps: 3,
      batchSize: 4,
      seed: 1,
    });
    assert.equal(run.loss.length, 3);
    assert.ok(run.layers[0].gradNorm! > 0);
  });

  it('the same seed gives identical numbers; another seed different ones', async () => {
    const model = mlp({ inputSize: 16, widths: [16, 16, 16], activation: 'relu', init: 'orthogonal' });
    const strip = (run: ProbeRun): unknown => ({ ...run, timing: null });
    const a = await probeModel(model, QUICK);
    const b = await probeModel(model, QUICK);
    assert.deepEqual(strip(a), strip(b));
    const c = await probeModel(model, { ...QUICK, seed: 4 });
    assert.notDeepEqual(c.loss, a.loss);
  });

  it('no tensor leak over 20 probes', async () => {
    const model = mlp({ inputSize: 16, widths: [16, 16], activation: 'relu', init: 'heNormal' });
    await probeModel(model, { steps: 2, batchSize: 8 }); // first run loads kernels and caches
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await probeModel(model, { steps: 2, batchSize: 8, seed: i });
    assert.equal(tf.memory().numTensors, baseline);
  });

  it('NaN during the steps -> exploding with a clear message, and the run stops', async () => {
    const run = await probeModel(
      mlp({ inputSize: 32, widths: [32, 32, 32], activation: 'relu', init: 'heNormal', outputActivation: 'linear' }),
      { ...QUICK, learningRate: 1e30 },
    );
    const exploding = run.findings.find((f) => f.id === 'exploding');
    assert.ok(exploding && /Non-finite/.test(exploding.message), JSON.stringify(run.findings));
    assert.ok(run.loss.length < QUICK.steps);
    assert.ok(run.assumptions.some((a) => /Stopped after/.test(a)));
  });

  it('a custom layer is refused with a reason', async () => {
    const model = mlp({ inputSize: 8, widths: [8], activation: 'relu', init: 'heNormal' });
    model.layers.splice(1, 0, irLayer({ type: 'unknown', className: 'MyAttention', name: 'attention', config: {} }, 9));
    await assert.rejects(
      probeModel(model, QUICK),
      (e: Error) => e instanceof ProbeError && /MyAttention.*not a TF\.js built-in layer/.test(e.message),
    );
  });

  it('a model over the parameter limit is refused before building', async () => {
    const model = mlp({ inputSize: 1000, widths: [1000, 1000], activation: 'relu', init: 'heNormal' });
    await assert.rejects(
      probeModel(model, { ...QUICK, maxParams: 100_000 }),
      (e: Error) => e instanceof ProbeError && /over the probe limit of 100,000/.test(e.message),
    );
  });

  it('an input shape that cannot be found fails clearly; a partly unknown one is assumed visibly', async () => {
    const model = cnn({ convLayers: 1, filters: 4, inputShape: [8, 8, 3], activation: 'relu', init: 'heNormal' });
    const noShape = {
      ...model,
      inputShape: null,
      layers: model.layers.map((l, i) => (i === 0 ? { ...l, config: { ...l.config, inputShape: undefined as never } } : l)),
    };
    delete (noShape.layers[0].config as Record<string, unknown>).inputShape;
    await assert.rejects(
      probeModel(noShape, QUICK),
      (e: Error) => e instanceof ProbeError && /input shape of model 'cnn' cannot be found/.test(e.message),
    );
    const partly = { ...model, inputShape: [null, null, 3] };
    const run = await probeModel(partly, { steps: 2, batchSize: 2 });
    assert.ok(
      run.assumptions.some((a) => /Input dimension 1 .* assumed 16/.test(a)),
      JSON.stringify(run.assumptions),
    );
  });

  it('an unknown required config value fails clearly', async () => {
    const model = mlp({ inputSize: 8, widths: [8], activation: 'relu', init: 'heNormal' });
    model.layers[0].config.units = { kind: 'unknown', reason: "identifier 'width' is not a const" };
    await assert.rejects(probeModel(model, QUICK), (e: Error) =>
      /units is not known statically \(identifier 'width' is not a const\)/.test(e.message),
    );
  });

  it('cooperative cancellation stops between steps', async () => {
    let steps = 0;
    const model = mlp({ inputSize: 16, widths: [16, 16], activation: 'relu', init: 'heNormal' });
    await assert.rejects(
      probeModel(
        model,
        { steps: 50 },
        {
          onStep: () => {
            steps++;
          },
          isCancelled: () => steps >= 2,
        },
      ),
      ProbeCancelled,
    );
    assert.equal(steps, 2);
  });
});
