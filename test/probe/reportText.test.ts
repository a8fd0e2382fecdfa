// How the probe shows numbers to a person: finding messages, the terminal table and the HTML table, all by the one rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProbeLayerResult, ProbeReport } from '../../common/src/probe';
import { computeFindings, DEFAULT_PROBE_THRESHOLDS, type FindingInput } from '../../server/src/probe/findings';
import { reportJson, reportText } from '../../server/src/probe/format';
import { reportHtml } from '../../server/src/probe/html';

const quiet = { maxMeanAbsGradient: 0.01, maxAbsActivation: 1, deadFraction: null, saturatedFraction: null, symmetricFraction: null };

function messageOf(input: Partial<FindingInput>, id: string): string {
  const base: FindingInput = {
    firstGradient: null,
    lastGradient: null,
    firstLayer: 'first',
    lastLayer: 'last',
    layers: [],
    loss: [],
    nonFinite: null,
  };
  const finding = computeFindings({ ...base, ...input }, DEFAULT_PROBE_THRESHOLDS).find((f) => f.id === id);
  assert.ok(finding, `no ${id} finding`);
  return finding.message;
}

test('finding messages: exponent form for tiny ratios, plain thresholds, percentages, 4-digit losses', () => {
  assert.equal(
    messageOf({ firstGradient: 3.9e-8, lastGradient: 0.01 }, 'vanishing'),
    "The first layer's kernel gradient (3.9e-8) is 3.9e-6 of the last layer's (0.01): below 0.001 and under 1e-4.",
  );
  assert.equal(
    messageOf({ layers: [{ name: 'd', ...quiet, deadFraction: 0.75 }] }, 'dying-relu'),
    "75% of the ReLU units of 'd' were never active in the batch (threshold 70%).",
  );
  assert.equal(
    messageOf({ loss: [2.30258, 2.30191, 2.30224] }, 'stalled'),
    'The loss did not decrease over 3 steps (2.303 at the start, best 2.302).',
  );
  assert.equal(
    messageOf(
      {
        representationVariation: { acrossInputs: 1.8e-9, squaredMean: 5e-4 },
        representationLayer: 'relu_10',
        representationConsumer: 'head',
      },
      'input-insensitive',
    ),
    "What enters the last layer 'head' barely depends on the input: its variance across the batch's inputs (1.8e-9) is 3.6e-6 of its second moment (squared mean 5e-4), below 0.01; the layers before it pass on their biases rather than the input, so the output no longer depends on it.",
  );
});

test('input-insensitive: only below the threshold share, never for an all-zero or non-finite output', () => {
  const base: FindingInput = {
    firstGradient: null,
    lastGradient: null,
    firstLayer: 'first',
    lastLayer: 'last',
    layers: [],
    loss: [],
    nonFinite: null,
  };
  const fires = (acrossInputs: number, squaredMean: number, nonFinite: string | null = null): boolean =>
    computeFindings({ ...base, nonFinite, representationVariation: { acrossInputs, squaredMean } }, DEFAULT_PROBE_THRESHOLDS).some(
      (f) => f.id === 'input-insensitive',
    );
  assert.equal(fires(6e-4, 2e-3), false, 'a 3-layer default PyTorch MLP keeps ~0.2 of its output moment across inputs');
  assert.equal(fires(1e-8, 1e-3), true);
  assert.equal(fires(0, 0), false, 'a zero output says nothing about input sensitivity');
  assert.equal(fires(Number.NaN, 1), false);
  assert.equal(fires(1e-9, 1, 'the loss became NaN'), false);
});

const layer = (name: string, values: Partial<ProbeLayerResult>): ProbeLayerResult => ({
  name,
  type: 'dense',
  line: 3,
  gradNorm: null,
  relativeGradNorm: null,
  updateRatio: null,
  activationMean: null,
  activationStd: null,
  deadFraction: null,
  saturatedFraction: null,
  lsuvScale: null,
  ...values,
});

const report: ProbeReport = {
  backend: 'wasm',
  models: [
    {
      name: 'm',
      line: 1,
      findings: [],
      assumptions: [],
      loss: [2.30258, 0.5],
      timing: { buildMs: 104.2, stepMs: 79.34 },
      layers: [
        layer('dense#0', { gradNorm: 8.7e-5, relativeGradNorm: 0, activationStd: 0.6423, deadFraction: 0.004, lsuvScale: 12345 }),
        layer('dense#1', { gradNorm: 2.1, relativeGradNorm: Number.NaN, activationStd: 1, saturatedFraction: 1 }),
      ],
    },
  ],
};

test('terminal table: one rule for measurements, percentages for fractions, "-" for missing', () => {
  const lines = reportText(report, 'model.ts').split('\n');
  assert.match(
    lines.find((l) => l.includes('dense#0'))!,
    /^ {2}dense#0 +dense +3 +8\.7e-5 +0 +0\.642 +0\.4% +- +1\.2e4$/,
  );
  assert.match(
    lines.find((l) => l.includes('dense#1'))!,
    /^ {2}dense#1 +dense +3 +2\.1 +- +1 +- +100% +-$/,
  );
  assert.ok(lines.includes('  loss 2.303 -> 0.5 over 2 steps; build 104 ms, 79.3 ms/step'), lines.join('\n'));
});

test('a loss that blew up reads NaN, not the missing-value marker', () => {
  const blownUp: ProbeReport = { ...report, models: [{ ...report.models[0], loss: [2.30258, Number.NaN] }] };
  assert.ok(reportText(blownUp, 'model.ts').split('\n').includes('  loss 2.303 -> NaN over 2 steps; build 104 ms, 79.3 ms/step'));
});

test('HTML table uses the same rule; the embedded data stays raw', () => {
  const html = reportHtml(report, 'model.ts');
  assert.ok(html.includes('<td>8.7e-5</td><td>0.642</td><td>0.4%</td><td>-</td><td>1.2e4</td>'), 'formatted cells');
  assert.ok(html.includes('"gradNorm":0.000087'), 'raw numbers in the embedded report');
  assert.equal(reportJson(report).models[0].layers[0].gradNorm, 8.7e-5);
});
