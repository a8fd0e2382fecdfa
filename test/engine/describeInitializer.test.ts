// One description of an initializer for rule messages, hovers and the CLI: the same words, differing only by the
// explicit markup / default-marking options; a front end's label (PyTorch defaults, nn.init calls) wins over the spec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeInitializer } from '../../server/src/engine/describeInitializer';
import { describeInitializer as describeForRules } from '../../server/src/engine/rules/ruleSupport';
import { layerHoverMarkdown } from '../../server/src/lsp/hover';
import { toJsonModels, type LintedFile } from '../../server/src/cli/report';
import { formatSummary } from '../../server/src/cli/formatText';
import { analyze } from '../../server/src/engine/analyze';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { DEFAULT_THRESHOLDS } from '../../server/src/engine/analyze';
import type { InitializerAttr } from '../../server/src/engine/ir';

const attr = (overrides: Partial<InitializerAttr>): InitializerAttr => ({
  key: 'kernelInitializer',
  spec: { kind: 'zeros' },
  explicit: true,
  alias: null,
  form: 'call',
  ...overrides,
});

test('specs are described with the parameters that matter, numbers by the one number rule', () => {
  const cases: [InitializerAttr, string][] = [
    [attr({ spec: { kind: 'zeros' } }), 'zeros'],
    [attr({ spec: { kind: 'constant', value: 0.5 } }), 'constant(0.5)'],
    [attr({ spec: { kind: 'randomNormal', mean: 0, stddev: 1 }, alias: 'randomNormal' }), 'randomNormal(stddev 1)'],
    [attr({ spec: { kind: 'truncatedNormal', mean: 0.1, stddev: null } }), 'truncatedNormal(mean 0.1, stddev ?)'],
    [attr({ spec: { kind: 'randomUniform', minval: -0.05, maxval: 0.05 } }), 'randomUniform(-0.05, 0.05)'],
    [attr({ spec: { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'normal' }, alias: 'heNormal' }), 'heNormal'],
    [
      attr({ spec: { kind: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' }, alias: 'varianceScaling' }),
      'varianceScaling(scale 0.333, fanIn, uniform)',
    ],
    [attr({ spec: { kind: 'orthogonal', gain: 1 }, alias: 'orthogonal' }), 'orthogonal'],
    [attr({ spec: { kind: 'orthogonal', gain: 2 } }), 'orthogonal(gain 2)'],
    [attr({ spec: { kind: 'unknown', reason: 'not a const' } }), 'unknown (not a const)'],
  ];
  for (const [given, expected] of cases) assert.equal(describeInitializer(given), expected);
});

test('a library default is said in words unless the face marks it itself; markdown only adds code spans', () => {
  const glorot = attr({
    spec: { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'normal' },
    alias: 'glorotNormal',
    explicit: false,
    form: 'default',
  });
  assert.equal(describeInitializer(glorot), 'glorotNormal (the library default)');
  assert.equal(describeInitializer(glorot, { markup: 'markdown' }), '`glorotNormal` (the library default)');
  assert.equal(describeInitializer(glorot, { sayDefault: false }), 'glorotNormal');
  assert.equal(describeForRules(glorot), describeInitializer(glorot));
});

test('a label is the description: PyTorch defaults are not shown as varianceScaling', () => {
  const label = 'PyTorch default U(±1/√fan_in) (kaiming_uniform_ with a=√5)';
  const torchDefault = attr({
    spec: { kind: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' },
    alias: 'varianceScaling',
    explicit: false,
    form: 'default',
    label,
  });
  assert.equal(describeInitializer(torchDefault), label);
  assert.equal(describeInitializer(torchDefault, { markup: 'markdown' }), label);
  assert.equal(describeInitializer(torchDefault, { sayDefault: false }), label);
});

const torchText = `import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc2(self.fc1(x).relu())
`;

test('rules, hovers and the CLI (text summary and JSON) describe a PyTorch default by its label', () => {
  const result = analyze(torchText, 'net.py');
  const { model } = result.models[0]!;
  const fc1 = model.layers.find((layer) => layer.type === 'dense')!;
  const label = fc1.kernelInitializer!.label!;
  assert.match(label, /^PyTorch default U\(±1\/√fan_in\)/);
  const hover = layerHoverMarkdown(result, { model, layer: fc1, index: model.layers.indexOf(fc1), copies: [model.layers.indexOf(fc1)] });
  assert.ok(hover.includes(`| Kernel initializer | ${label} |`), hover);
  const file: LintedFile = {
    filePath: '/p/net.py',
    text: torchText,
    result,
    thresholds: DEFAULT_THRESHOLDS,
    fixCount: 0,
    changed: false,
    lines: new LineIndex(torchText),
  };
  assert.equal(toJsonModels(file)[0]!.layers[0]!.kernelInitializer, label);
  const summary = formatSummary([file], '/p');
  assert.ok(summary.includes(`${label}*`), summary);
  assert.ok(!summary.includes('varianceScaling(scale'), summary);
});
