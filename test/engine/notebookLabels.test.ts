// In a notebook, initializer labels (in messages and hovers) name the cell and the line in it, not a line of the joined module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook } from '../../server/src/engine/notebook';
import { analyze } from '../../server/src/engine/analyze';

const code = (text: string) => ({ text, isPythonCode: true });
const markdown = (text: string) => ({ text, isPythonCode: false });

test('an nn.init call and a self.apply are named by cell (counted from 1 over all cells) and line in the cell', () => {
  const cells = [
    markdown('# Net'),
    code('import torch.nn as nn\n\n\ndef init(m):\n    if isinstance(m, nn.Linear):\n        nn.init.xavier_uniform_(m.weight)\n'),
    markdown('Build:'),
    code(
      'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc1 = nn.Linear(64, 64)\n        self.fc2 = nn.Linear(64, 1)\n        self.apply(init)\n\n    def forward(self, x):\n        return self.fc2(nn.functional.relu(self.fc1(x)))\n',
    ),
    code('net = Net()\nnn.init.zeros_(net.fc2.bias)\n'),
  ];
  const { result, diagnostics } = analyzeNotebook(cells, 'nb.ipynb');
  const glorot = diagnostics.find((d) => d.diagnostic.ruleId === 'glorot-with-relu');
  assert.ok(glorot, JSON.stringify(diagnostics.map((d) => d.diagnostic.message)));
  assert.match(glorot.diagnostic.message, /`nn\.init\.xavier_uniform_` in cell 2, line 6, via `self\.apply\(init\)` in cell 4, line 6/);
  const labels = result.models.flatMap(({ model }) => model.layers.map((layer) => layer.kernelInitializer?.label ?? ''));
  assert.ok(
    labels.some((label) => /in cell 2, line 6/.test(label)),
    labels.join(' | '),
  );
  assert.ok(!labels.some((label) => /on line \d/.test(label)), labels.join(' | '));
});

test('a .py file still names lines', () => {
  const text =
    'import torch.nn as nn\nnet = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))\nnn.init.xavier_uniform_(net[0].weight)\n';
  const glorot = analyze(text, 'net.py').diagnostics.find((d) => d.ruleId === 'glorot-with-relu');
  assert.match(glorot?.message ?? '', /`nn\.init\.xavier_uniform_` on line 3/);
});
