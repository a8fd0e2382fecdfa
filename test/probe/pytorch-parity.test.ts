// The probe on PyTorch models against real PyTorch: per-layer weight-gradient norms and activation std at the first step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import type { Model } from '../../server/src/engine/ir';
import * as tf from '@tensorflow/tfjs';
import type { ProbeRun } from '../../common/src/probe';
import { selectBackend } from '../../server/src/probe/backend';
import { buildProbeModel } from '../../server/src/probe/buildModel';
import { probeModel } from '../../server/src/probe/training';
import { DEFAULT_PROBE_THRESHOLDS } from '../../server/src/probe/findings';
import { gaussianArray, seededUniform, withSeededMathRandom } from '../../server/src/probe/random';
import { requireTool } from '../helpers/externalTools';
import { spearman } from '../helpers/rankCorrelation';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'python', 'parity');
const SCRIPT = join(ROOT, 'test', 'probe', 'pytorch_probe.py');
const TORCH = { name: 'PyTorch (python3-torch)', install: 'apt-get install -y python3-torch' };
const BATCH = 32;
const SEEDS = [1, 2, 3, 4, 5, 6];
/** Per layer, the probe's seed mean must be within this factor of PyTorch's. */
const FACTOR = 2;
/** Layers whose PyTorch values are within this factor of each other are ties for the rank correlation. */
const TIE_FACTOR = 1.25;

/**
 * The fixtures, read by the Python front end (analyze), and what the probe is told beyond the file: the CNN's spatial
 * size is a run-time value of the Python code (its build() returns it), so it is passed as the probe's input shape.
 */
const MODELS: Record<string, { inputShape?: number[] }> = {
  default_mlp_deep: {},
  default_mlp_shallow: {},
  xavier_relu_mlp: {},
  zeros_mlp: {},
  selu_mlp: {},
  tanh_deep_mlp: {},
  small_cnn: { inputShape: [8, 8, 3] },
};

/** The one PyTorch model of a fixture, as the engine reads it. */
function readFixture(name: string): Model {
  const file = join(FIXTURES, `${name}.py`);
  const models = analyze(readFileSync(file, 'utf8'), file).models.map((m) => m.model);
  assert.equal(models.length, 1, `${name}.py: one model`);
  assert.equal(models[0].dialect, 'pytorch');
  return models[0];
}

interface TorchLayer {
  module: string;
  gradNorm: number | null;
  outputStd: number;
  preSecondMoment: number | null;
}
interface TorchRun {
  loss: number;
  layers: TorchLayer[];
  output: { acrossInputVariance: number; squaredMean: number };
}
interface TorchReport {
  torch: string;
  models: Record<string, TorchRun[]>;
}

/** The first Python that imports torch: `python3`, then Debian's. */
function findTorchPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const run = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
    if (run.status === 0) return python;
  }
  return null;
}

function measureInTorch(python: string, names: string[], batch: number, seeds: number[]): TorchReport {
  const files = names.map((name) => join(FIXTURES, `${name}.py`));
  const run = spawnSync(python, [SCRIPT, '--batch', String(batch), '--seeds', seeds.join(','), ...files], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 << 20,
  });
  assert.equal(run.status, 0, `${SCRIPT} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as TorchReport;
}

const meanOf = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Both zero, or within `factor` of each other. */
function withinFactor(probe: number, torch: number, factor: number): boolean {
  if (probe === 0 || torch === 0) return probe === torch;
  return probe / torch <= factor && torch / probe <= factor;
}

/**
 * Spearman across layers after merging layers PyTorch cannot tell apart: sorted by PyTorch's value, a layer within
 * TIE_FACTOR of its group's smallest joins the group, and both series take their group's mean. Ranks inside a plateau
 * (the bias floor of the deep ReLU MLP, SELU's fixed point) are seed noise in both frameworks, so they are not
 * compared; a fully flat profile gives null (the per-layer factor check is then the whole comparison).
 */
export function groupedSpearman(probe: number[], torch: number[]): number | null {
  const order = torch.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const group = new Array<number>(torch.length);
  let groups = 0;
  let floor = Number.NaN;
  for (const { value, index } of order) {
    const tied = groups > 0 && (value === floor || (floor > 0 && value <= floor * TIE_FACTOR));
    if (!tied) {
      groups++;
      floor = value;
    }
    group[index] = groups - 1;
  }
  if (groups < 2) return null;
  const average = (series: number[]): number[] => series.map((_, i) => meanOf(series.filter((__, j) => group[j] === group[i])));
  return spearman(average(probe), average(torch));
}

interface LayerRow {
  name: string;
  probeGrad: number | null;
  torchGrad: number | null;
  probeStd: number;
  torchStd: number;
}

async function probeRows(
  model: Model,
  seeds: number[],
  batchSize: number,
  inputShape?: number[],
): Promise<{ rows: { name: string; grad: number | null; std: number }[]; runs: ProbeRun[] }> {
  const runs: ProbeRun[] = [];
  for (const seed of seeds) runs.push(await probeModel(model, { steps: 1, batchSize, seed, lsuv: false, inputShape }));
  const rows = runs[0].layers.map((layer, i) => ({
    name: layer.name,
    grad: layer.gradNorm === null ? null : meanOf(runs.map((r) => r.layers[i].gradNorm ?? Number.NaN)),
    std: meanOf(runs.map((r) => r.layers[i].activationStd ?? Number.NaN)),
  }));
  return { rows, runs };
}

function table(title: string, rows: LayerRow[], gradRho: number | null, stdRho: number | null): string {
  const cell = (v: number | null): string => (v === null ? '-' : v.toExponential(2)).padStart(9);
  const lines = [
    `${title}  (mean of ${SEEDS.length} seeds, batch ${BATCH})`,
    `  ${'layer'.padEnd(18)} ${'grad probe'.padStart(10)} ${'grad torch'.padStart(10)} ${'std probe'.padStart(10)} ${'std torch'.padStart(10)}`,
  ];
  for (const r of rows)
    lines.push(`  ${r.name.padEnd(18)} ${cell(r.probeGrad)}  ${cell(r.torchGrad)}  ${cell(r.probeStd)}  ${cell(r.torchStd)}`);
  const rho = (v: number | null): string => (v === null ? 'flat profile' : v.toFixed(3));
  lines.push(`  Spearman (ties within ${TIE_FACTOR}x merged): grad ${rho(gradRho)}, std ${rho(stdRho)}`);
  return lines.join('\n');
}

describe('probe of PyTorch models vs real PyTorch (first step, per layer)', () => {
  const python = findTorchPython();
  let torch: TorchReport | null = null;
  before(async () => {
    await selectBackend('wasm');
    if (python) torch = measureInTorch(python, Object.keys(MODELS), BATCH, SEEDS);
  });

  for (const name of Object.keys(MODELS)) {
    it(`${name}: gradient norms and activation std within ${FACTOR}x per layer, same ranking across layers`, async (t: TestContext) => {
      if (!requireTool(t, TORCH, python !== null)) return;
      const runs = torch!.models[name];
      const model = readFixture(name);
      const { rows: probe, runs: probeRuns } = await probeRows(model, SEEDS, BATCH, MODELS[name].inputShape);
      assert.deepEqual(
        model.layers.map((l) => l.className),
        runs[0].layers.map((l) => l.module),
        'the probe and PyTorch see the same layers',
      );
      const rows: LayerRow[] = probe.map((p, i) => ({
        name: `${p.name} ${model.layers[i].className}`,
        probeGrad: p.grad,
        probeStd: p.std,
        torchGrad: runs[0].layers[i].gradNorm === null ? null : meanOf(runs.map((r) => r.layers[i].gradNorm!)),
        torchStd: meanOf(runs.map((r) => r.layers[i].outputStd)),
      }));
      const kernels = rows.filter((r) => r.probeGrad !== null && r.torchGrad !== null);
      const gradRho = groupedSpearman(
        kernels.map((r) => r.probeGrad!),
        kernels.map((r) => r.torchGrad!),
      );
      const stdRho = groupedSpearman(
        rows.map((r) => r.probeStd),
        rows.map((r) => r.torchStd),
      );
      console.log(table(`${name} (torch ${torch!.torch})`, rows, gradRho, stdRho));
      for (const r of rows) {
        assert.equal(r.probeGrad === null, r.torchGrad === null, `${r.name}: a kernel in one framework only`);
        if (r.probeGrad !== null)
          assert.ok(withinFactor(r.probeGrad, r.torchGrad!, FACTOR), `${r.name}: gradient norm ${r.probeGrad} vs PyTorch ${r.torchGrad}`);
        assert.ok(withinFactor(r.probeStd, r.torchStd, FACTOR), `${r.name}: activation std ${r.probeStd} vs PyTorch ${r.torchStd}`);
      }
      if (gradRho !== null) assert.ok(gradRho >= 0.9, `gradient-norm ranking across layers: Spearman ${gradRho}`);
      if (stdRho !== null) assert.ok(stdRho >= 0.9, `activation-std ranking across layers: Spearman ${stdRho}`);
      // The input-insensitive finding on every seed exactly when PyTorch's output barely varies across inputs.
      const torchShare = meanOf(runs.map((r) => r.output.acrossInputVariance / (r.output.acrossInputVariance + r.output.squaredMean)));
      const flagged = probeRuns.map((r) => r.findings.some((f) => f.id === 'input-insensitive'));
      console.log(
        `  PyTorch output share varying across inputs ${torchShare.toPrecision(2)}; probe input-insensitive on ${flagged.filter(Boolean).length}/${flagged.length} seeds`,
      );
      assert.ok(
        flagged.every((f) => f === torchShare < DEFAULT_PROBE_THRESHOLDS.inputSensitivity),
        `input-insensitive ${flagged.join(', ')} vs PyTorch share ${torchShare}`,
      );
    });
  }
});

/** Second moment of every kernel layer's pre-activation in the probe's rebuilt TF.js model, on N(0, 1) inputs. */
function probePreActivationMoments(model: Model, batchSize: number, seed: number): number[] {
  const built = withSeededMathRandom(seed, () => buildProbeModel(model, { batchSize, maxParams: 5_000_000 }));
  try {
    return tf.tidy(() => {
      const shape = built.inputs[0].shape;
      const x = tf.tensor(gaussianArray(seededUniform(seed), batchSize * shape.reduce((a, b) => a * b, 1)), [batchSize, ...shape]);
      const outputs = built.probeModel.predict(x) as tf.Tensor[];
      return built.monitorIndex.filter((m) => m.pre !== null).map((m) => tf.mean(tf.square(outputs[m.pre!])).dataSync()[0]);
    });
  } finally {
    built.probeModel.dispose();
  }
}

/*
 * Issue 9's numbers for 10 hidden nn.Linear(512, 512) + ReLU with PyTorch's defaults and a Linear(512, 10) head, 256
 * Gaussian inputs, means of seeds 1-3, as this test printed them (real PyTorch 1.13 and the probe on the wasm backend):
 *   pre-activation second moment per hidden layer, PyTorch: 0.33 0.057 0.010 0.0024 0.0011 7.9e-4 7.5e-4 7.7e-4 8.2e-4
 *     7.9e-4 (it falls ~6x per layer, 1/3 x 1/2, to the bias floor (1/(3*512)) / (1 - 1/6) = 7.8e-4 by layer 6);
 *     the probe's TF.js model: 0.34 0.057 0.0098 0.0022 9.9e-4 8.1e-4 7.6e-4 7.7e-4 8.0e-4 8.1e-4.
 *   output variance across inputs: PyTorch 1.6e-9 against a squared mean of 5.4e-4 (share 2.9e-6); the probe 1.6e-9
 *     against 9.0e-4 (share 1.8e-6): the output no longer depends on the input.
 *   first/last weight-gradient ratio: PyTorch 0.0072, the probe 0.0067 (above the 1e-3 vanishing threshold: a
 *     ratio-only check stays silent).
 *   3 hidden layers: ratio PyTorch 0.80 / probe 0.86, share across inputs 0.20 / 0.21: the signal survives.
 */
describe('the 10-layer 512-wide ReLU MLP with PyTorch defaults: real PyTorch and the probe agree that the output stops depending on the input', () => {
  const python = findTorchPython();
  const seeds = [1, 2, 3];
  const batch = 256;
  let torch: TorchReport | null = null;
  before(async () => {
    await selectBackend('wasm');
    if (python) torch = measureInTorch(python, ['default_mlp_deep', 'default_mlp_shallow'], batch, seeds);
  });

  it('pre-activation second moments, output variation across inputs, first/last gradient ratio, the input-insensitive finding', async (t: TestContext) => {
    if (!requireTool(t, TORCH, python !== null)) return;
    const summary = (
      name: string,
      runs: TorchRun[],
    ): { q: number[]; share: number; across: number; squaredMean: number; ratio: number } => {
      const kernels = runs[0].layers
        .map((l, i) => ({ l, i }))
        .filter(({ l }) => l.gradNorm !== null)
        .map(({ i }) => i);
      const q = kernels.map((i) => meanOf(runs.map((r) => r.layers[i].preSecondMoment!)));
      const across = meanOf(runs.map((r) => r.output.acrossInputVariance));
      const squaredMean = meanOf(runs.map((r) => r.output.squaredMean));
      const ratio = meanOf(runs.map((r) => r.layers[kernels[0]].gradNorm! / r.layers[kernels[kernels.length - 1]].gradNorm!));
      const result = { q, share: across / (across + squaredMean), across, squaredMean, ratio };
      console.log(
        `PyTorch ${name}: q ${q.map((v) => v.toPrecision(2)).join(' ')}; across inputs ${across.toPrecision(2)}, squared mean ${squaredMean.toPrecision(2)}, share ${result.share.toPrecision(2)}; first/last gradient ${ratio.toPrecision(2)}`,
      );
      return result;
    };
    const deep = summary('10 layers', torch!.models.default_mlp_deep);
    const shallow = summary('3 layers', torch!.models.default_mlp_shallow);
    assert.ok(deep.q[0] > 0.25 && deep.q[0] < 0.45, 'the first pre-activation moment is ~1/3');
    for (let l = 0; l < 3; l++) assert.ok(deep.q[l + 1] < deep.q[l] / 4, `q falls ~6x from layer ${l + 1} to ${l + 2}`);
    for (let l = 5; l < 10; l++) assert.ok(deep.q[l] > 4e-4 && deep.q[l] < 2e-3, `layer ${l + 1} sits on the bias floor ~8e-4`);
    assert.ok(deep.share < 1e-4 && shallow.share > 1e-2, 'the deep output stops depending on the input, the shallow one does not');
    assert.ok(deep.ratio > 1e-3 && deep.ratio < 0.05 && shallow.ratio > 0.3, 'the gradient ratio alone does not reveal it');

    for (const [name, expected, model] of [
      ['10 layers', deep, readFixture('default_mlp_deep')],
      ['3 layers', shallow, readFixture('default_mlp_shallow')],
    ] as const) {
      const runs: ProbeRun[] = [];
      for (const seed of seeds) runs.push(await probeModel(model, { steps: 1, batchSize: batch, seed, lsuv: false }));
      const q = seeds.map((seed) => probePreActivationMoments(model, batch, seed));
      const probeQ = q[0].map((_, l) => meanOf(q.map((run) => run[l])));
      const across = meanOf(runs.map((r) => r.outputVariation!.acrossInputs));
      const squaredMean = meanOf(runs.map((r) => r.outputVariation!.squaredMean));
      const ratio = meanOf(runs.map((r) => r.gradientRatio!));
      console.log(
        `PROBE_NUMBERS ${name}: q ${probeQ.map((v) => v.toPrecision(2)).join(' ')}; across inputs ${across.toPrecision(2)}, squared mean ${squaredMean.toPrecision(2)}, share ${(across / (across + squaredMean)).toPrecision(2)}; first/last gradient ${ratio.toPrecision(2)}`,
      );
      probeQ.forEach((v, l) =>
        assert.ok(withinFactor(v, expected.q[l], FACTOR), `${name} layer ${l + 1}: q ${v} vs PyTorch ${expected.q[l]}`),
      );
      assert.ok(withinFactor(ratio, expected.ratio, FACTOR), `${name}: gradient ratio ${ratio} vs PyTorch ${expected.ratio}`);
      const share = across / (across + squaredMean);
      assert.ok(
        expected.share < 1e-4 ? share < 1e-4 : share > 1e-2,
        `${name}: share of the output varying across inputs ${share} vs PyTorch ${expected.share}`,
      );
      // With the probe's default options (20 steps, batch 32): the finding for the deep stack only, and no vanishing.
      const ids = (await probeModel(model)).findings.map((f) => f.id);
      assert.equal(ids.includes('input-insensitive'), expected === deep, `${name}: ${ids.join(', ')}`);
      assert.ok(!ids.includes('vanishing'), `${name}: ${ids.join(', ')}`);
    }
  });
});
