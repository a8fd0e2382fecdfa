// Valid/invalid tables of input-signal-lost, and its prediction against what real PyTorch 1.13 measured.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyze } from '../../../server/src/engine/analyze';
import { inputShares, shareSteps } from '../../../server/src/engine/inputShare';
import { runRuleTests } from './ruleTester';

/** `depth` hidden nn.Linear(width, width) + ReLU layers and an output nn.Linear(width, 10), all PyTorch defaults. */
function torchMlp(depth: number, width = 512): string {
  return `import torch.nn as nn\n\nmodel = nn.Sequential(\n${Array.from({ length: depth }, () => `    nn.Linear(${width}, ${width}), nn.ReLU(),\n`).join('')}    nn.Linear(${width}, 10),\n)\n`;
}

const torchClass = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, depth=10):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(512, 512) for _ in range(depth)])
        self.out = nn.Linear(512, 10)

    def forward(self, x):
        for layer in self.hidden:
            x = F.relu(layer(x))
        return self.out(x)
`;

runRuleTests('input-signal-lost', {
  valid: [
    { name: 'a 3-layer PyTorch MLP with defaults keeps its input', fileName: 'three.py', code: torchMlp(3) },
    {
      name: 'He init keeps the signal over 10 layers',
      fileName: 'he.py',
      code: torchClass.replace(
        '        self.out = nn.Linear(512, 10)\n',
        '        self.out = nn.Linear(512, 10)\n        for layer in self.hidden:\n            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")\n',
      ),
    },
    {
      name: "a zero output layer is symmetric-init's case",
      fileName: 'zero.py',
      code: `${torchMlp(10)}nn.init.zeros_(model[20].weight)\n`,
    },
    {
      name: 'a TF.js model with zero biases',
      fileName: 'tfjs.ts',
      code: `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [${Array.from({ length: 10 }, (_, i) => `tf.layers.dense({units: 512, ${i === 0 ? 'inputShape: [512], ' : ''}activation: 'relu'})`).join(', ')}]});\n`,
    },
  ],
  invalid: [
    {
      name: '10 hidden layers with PyTorch defaults',
      fileName: 'deep.py',
      code: torchMlp(10),
      errors: [
        {
          text: 'nn.Sequential',
          line: 3,
          message: [
            /share of the last layer's pre-activation second moment is 2\.\de-6/,
            'kaiming_uniform_ with a=√5',
            "nn.init.kaiming_normal_(…, nonlinearity='relu')",
          ],
        },
      ],
      output: null,
    },
    {
      name: 'an nn.Module traced through forward',
      fileName: 'net.py',
      code: torchClass,
      errors: [{ text: 'Net', line: 6, message: [/is 2\.\de-6/, "from layer 'hidden.2' on"] }],
      output: null,
    },
  ],
});

test('the prediction matches real PyTorch 1.13 for the 10 × 512 ReLU MLP with defaults (and the 3-layer one)', () => {
  // Measured with python3-torch 1.13, 256 Gaussian inputs, seed 0 (docs/rules/input-signal-lost.md): pre-activation
  // second moments 0.335, 0.0556, 0.0104, 0.00254, 0.00101, then 8.0e-4; output share across inputs 2.74e-6;
  // with 3 hidden layers 0.224.
  const shares = (depth: number) => inputShares(analyze(torchMlp(depth), 'mlp.py').models[0]!.model)!;
  const deep = shares(10);
  const measured = [0.335, 0.0556, 0.0104, 0.00254, 0.00101, 0.000804];
  measured.forEach((q, i) => {
    const ratio = deep[i]!.secondMoment / q;
    assert.ok(ratio > 0.8 && ratio < 1.25, `layer ${i}: predicted q ${deep[i]!.secondMoment}, measured ${q}`);
  });
  const last = deep[deep.length - 1]!.share;
  assert.ok(last > 2.74e-6 / 2 && last < 2.74e-6 * 2, `predicted output share ${last}, measured 2.74e-6`);
  const shallow = shares(3);
  const shallowShare = shallow[shallow.length - 1]!.share;
  assert.ok(shallowShare > 0.224 / 2 && shallowShare < 0.224 * 2, `3 layers: predicted ${shallowShare}, measured 0.224`);
});

test('the suggestion inserts a kaiming_normal_ line after each default ReLU layer of an nn.Module', () => {
  const names = Array.from({ length: 10 }, (_, i) => `fc${i + 1}`);
  const code =
    `import torch.nn as nn\nimport torch.nn.functional as F\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n` +
    names.map((name) => `        self.${name} = nn.Linear(512, 512)\n`).join('') +
    '        self.out = nn.Linear(512, 10)\n\n    def forward(self, x):\n' +
    names.map((name) => `        x = F.relu(self.${name}(x))\n`).join('') +
    '        return self.out(x)\n';
  const diagnostic = analyze(code, 'net.py').diagnostics.find((d) => d.ruleId === 'input-signal-lost');
  assert.ok(diagnostic, 'flagged');
  assert.equal(diagnostic.fix, null, 'it changes training: a suggestion only');
  const edits = diagnostic.suggestions[0]!.edits;
  assert.deepEqual(
    edits.map((e) => e.text),
    names.map((name) => `\n        nn.init.kaiming_normal_(self.${name}.weight, nonlinearity="relu")`),
  );
  assert.equal(
    code.slice(edits[0]!.span.start - 'nn.Linear(512, 512)'.length, edits[0]!.span.start),
    'nn.Linear(512, 512)',
    'inserted after the assignment',
  );
});

test('the rule skips the quadrature only for chains it could never report (property)', () => {
  // The rule gives up before any quadrature on a chain the shares cannot follow or one with a zero kernel. That must
  // decide exactly as the full computation would: null shares, fewer than two, or a zero input-dependent part.
  const layer = fc.record({
    kind: fc.constantFrom('dense', 'dense', 'dense', 'dense', 'activation', 'batchNormalization', 'dropout'),
    units: fc.integer({ min: 1, max: 600 }),
    activation: fc.constantFrom('relu', 'tanh', 'sigmoid', 'elu', 'selu', 'linear', 'softplus', 'hardSigmoid', 'relu6'),
    kernel: fc.constantFrom('heNormal', 'glorotUniform', 'leCunNormal', 'zeros', 'ones', 'randomNormal', 'glorotNormal'),
    bias: fc.constantFrom('zeros', 'ones', 'randomNormal', 'randomUniform', undefined),
    useBias: fc.boolean(),
  });
  const cases = fc.sample(fc.array(layer, { minLength: 1, maxLength: 14 }), { numRuns: 600, seed: 12 });
  let reported = 0;
  let shortcut = 0;
  for (const layers of cases) {
    const calls = layers.map((l, i) => {
      const shape = i === 0 ? 'inputShape: [64], ' : '';
      if (l.kind === 'activation') return `tf.layers.activation({${shape}activation: '${l.activation}'})`;
      if (l.kind === 'batchNormalization') return `tf.layers.batchNormalization({${shape}})`;
      if (l.kind === 'dropout') return `tf.layers.dropout({${shape}rate: 0.1})`;
      const bias = l.bias === undefined ? '' : `, biasInitializer: '${l.bias}'`;
      return `tf.layers.dense({${shape}units: ${l.units}, activation: '${l.activation}', kernelInitializer: '${l.kernel}', useBias: ${l.useBias}${bias}})`;
    });
    const code = `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [\n  ${calls.join(',\n  ')},\n]});\n`;
    const result = analyze(code, 'chain.ts');
    const model = result.models[0]!.model;
    const shares = inputShares(model, true);
    const expected =
      shares !== null && shares.length >= 2 && !shares.some((s) => s.inputVariance === 0) && shares[shares.length - 1]!.share < 0.01;
    const actual = result.diagnostics.some((d) => d.ruleId === 'input-signal-lost');
    assert.equal(actual, expected, code);
    const chain = shareSteps(model);
    if (!chain.complete || chain.steps.length < 2 || chain.steps.some((step) => step.gain === 0)) {
      shortcut++;
      assert.ok(shares === null || shares.length < 2 || shares.some((s) => s.inputVariance === 0), code);
    }
    if (expected) reported++;
  }
  // The sample exercises both sides: models the rule reports and models it skips without a quadrature.
  assert.ok(reported >= 5, `reported ${reported}`);
  assert.ok(shortcut > 100, `skipped ${shortcut}`);
});
