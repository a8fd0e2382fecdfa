// Static prediction against measurement: Spearman correlation of propagate()'s gradient ratio with the probe's, over a zoo.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { InitializerSpec, Model } from '../../server/src/engine/ir';
import { propagate } from '../../server/src/engine/propagation';
import { selectBackend } from '../../server/src/probe/backend';
import { probeModel } from '../../server/src/probe/training';
import { ranks, spearman } from '../helpers/rankCorrelation';
import { mlp, type InitChoice } from './zoo';

const normal = (stddev: number): InitializerSpec => ({ kind: 'randomNormal', mean: 0, stddev });
const uniform = (limit: number): InitializerSpec => ({ kind: 'randomUniform', minval: -limit, maxval: limit });

interface ZooEntry {
  label: string;
  model: Model;
}

/**
 * 40 architectures across the ordered, critical and chaotic phases: depth (2-12), width (32-128), activation
 * (relu, tanh, sigmoid, selu, linear), initializer (He, Glorot, LeCun, fixed-std normal/uniform) and BatchNorm varied.
 * Homogeneous ReLU/linear stacks keep a first/last ratio near 1 whatever their scale (forward and backward
 * shrinking cancel in the kernel gradient), so the zoo spans the phases where the ratio really moves.
 */
export function correlationZoo(): ZooEntry[] {
  const entries: ZooEntry[] = [];
  const add = (label: string, depth: number, width: number, activation: string, init: InitChoice, batchNorm = false): void => {
    entries.push({
      label,
      model: mlp({
        name: label,
        inputSize: width,
        widths: Array(depth).fill(width),
        activation,
        init,
        batchNorm,
        outputUnits: 8,
        outputActivation: 'linear',
      }),
    });
  };
  for (const depth of [2, 4, 8, 12]) {
    add(`relu-he-d${depth}`, depth, 64, 'relu', 'heNormal');
    add(`relu-normal0.05-d${depth}`, depth, 64, 'relu', normal(0.05));
    add(`tanh-glorot-d${depth}`, depth, 64, 'tanh', 'glorotNormal');
    add(`tanh-normal0.4-d${depth}`, depth, 64, 'tanh', normal(0.4));
    add(`sigmoid-glorot-d${depth}`, depth, 64, 'sigmoid', 'glorotNormal');
    add(`sigmoid-normal1-d${depth}`, depth, 32, 'sigmoid', normal(1));
    add(`selu-lecun-d${depth}`, depth, 64, 'selu', 'leCunNormal');
    add(`tanh-normal0.4-bn-d${depth}`, depth, 64, 'tanh', normal(0.4), true);
  }
  add('relu-he-w128-d6', 6, 128, 'relu', 'heNormal');
  add('relu-glorot-w128-d8', 8, 128, 'relu', 'glorotUniform');
  add('linear-uniform0.1-d6', 6, 64, 'linear', uniform(0.1));
  add('tanh-he-d8', 8, 64, 'tanh', 'heNormal');
  add('tanh-normal1-w32-d6', 6, 32, 'tanh', normal(1));
  add('sigmoid-glorot-bn-d8', 8, 64, 'sigmoid', 'glorotNormal', true);
  add('relu-normal0.05-bn-d8', 8, 64, 'relu', normal(0.05), true);
  add('selu-normal0.3-d8', 8, 64, 'selu', normal(0.3));
  return entries;
}

describe('static prediction against measurement', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  it('Spearman(log predicted ratio, log measured ratio) >= 0.8 over >= 30 architectures', async () => {
    const rows: { label: string; predicted: number; measured: number }[] = [];
    const skipped: string[] = [];
    for (const { label, model } of correlationZoo()) {
      const predicted = propagate(model).predictedGradientRatio;
      const run = await probeModel(model, { steps: 1, batchSize: 64, seed: 7, lsuv: false });
      const measured = run.gradientRatio ?? null;
      if (
        predicted === null ||
        measured === null ||
        !(predicted > 0) ||
        !(measured > 0) ||
        !Number.isFinite(predicted) ||
        !Number.isFinite(measured)
      ) {
        skipped.push(`${label} (predicted ${predicted}, measured ${measured})`);
        continue;
      }
      rows.push({ label, predicted: Math.log10(predicted), measured: Math.log10(measured) });
    }
    const rho = spearman(
      rows.map((r) => r.predicted),
      rows.map((r) => r.measured),
    );
    const predictedRanks = ranks(rows.map((r) => r.predicted));
    const measuredRanks = ranks(rows.map((r) => r.measured));
    const table = rows.map(
      (r, i) =>
        `${r.label.padEnd(26)} log10 predicted ${r.predicted.toFixed(2).padStart(7)}  measured ${r.measured.toFixed(2).padStart(7)}  rank gap ${(predictedRanks[i] - measuredRanks[i]).toFixed(1).padStart(5)}`,
    );
    console.log(
      `static vs measured gradient ratio over ${rows.length} architectures (${skipped.length} skipped): Spearman ${rho.toFixed(3)}\n${table.join('\n')}${skipped.length ? `\nskipped: ${skipped.join('; ')}` : ''}`,
    );
    assert.ok(rows.length >= 30, `only ${rows.length} architectures had both numbers; skipped: ${skipped.join('; ')}`);
    assert.ok(rho >= 0.8, `Spearman ${rho.toFixed(3)} < 0.8`);
  });
});
