// The notebook fix loop: safe fixes applied in the cells they change, IPython lines and other cells kept, suggestions never applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixNotebookUntilStable } from '../../server/src/engine/notebookFixes';
import { analyzeNotebook } from '../../server/src/engine/notebook';

const code = (text: string) => ({ text, isPythonCode: true });
const markdown = (text: string) => ({ text, isPythonCode: false });

test('a fix lands in the cell that initializes the model; magics, markdown and other cells are untouched', () => {
  const cells = [
    markdown('# Model\n%not a magic in markdown'),
    code('%matplotlib inline\n!pip install torch\nimport torch\nfrom torch import nn\n'),
    code('model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))'),
    markdown('Init:'),
    code('%%time\nfor m in model:\n    if isinstance(m, nn.Linear):\n        nn.init.xavier_uniform_(m.weight)\n'),
  ];
  const before = analyzeNotebook(cells, 'nb.ipynb');
  assert.ok(before.diagnostics.some((d) => d.diagnostic.ruleId === 'glorot-with-relu' && d.at.cell === 4));
  const fixed = fixNotebookUntilStable(cells, 'nb.ipynb');
  assert.ok(fixed.fixCount >= 1);
  assert.equal(fixed.passes >= 1, true);
  assert.deepEqual(
    fixed.texts.slice(0, 4),
    cells.slice(0, 4).map((cell) => cell.text),
  );
  assert.equal(
    fixed.texts[4],
    cells[4]!.text.replace('nn.init.xavier_uniform_(m.weight)', 'nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")'),
  );
  assert.deepEqual(
    fixed.analysis.diagnostics.filter((d) => d.fix !== null),
    [],
  );
});

test('a notebook with nothing to fix comes back unchanged, and suggestions are not applied', () => {
  const cells = [
    code('import torch.nn as nn\n'),
    code(
      'class DeepMlp(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.hidden = nn.ModuleList([nn.Linear(512, 512) for _ in range(10)])\n        self.head = nn.Linear(512, 10)\n\n' +
        '    def forward(self, x):\n        for layer in self.hidden:\n            x = nn.functional.relu(layer(x))\n        return self.head(x)\n',
    ),
  ];
  const analysis = analyzeNotebook(cells, 'nb.ipynb');
  assert.ok(
    analysis.diagnostics.some((d) => d.fix === null && d.suggestions.length > 0),
    'a problem with only a suggestion',
  );
  const fixed = fixNotebookUntilStable(cells, 'nb.ipynb');
  assert.equal(fixed.fixCount, 0);
  assert.equal(fixed.passes, 0);
  assert.deepEqual(
    fixed.texts,
    cells.map((cell) => cell.text),
  );
  assert.equal(fixed.analysis.diagnostics.length, analysis.diagnostics.length);
});

test('with onlyCell, only the fixes that change that cell alone are applied (fix on save of one cell)', () => {
  const cells = [
    code(
      'import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))\n',
    ),
    code('nn.init.xavier_normal_(net[0].weight)\n'),
    code('nn.init.zeros_(net[2].weight)\n'),
  ];
  const everywhere = fixNotebookUntilStable(cells, 'nb.ipynb');
  assert.notEqual(everywhere.texts[1], cells[1]!.text);
  assert.notEqual(everywhere.texts[2], cells[2]!.text);
  for (const onlyCell of [1, 2]) {
    const fixed = fixNotebookUntilStable(cells, 'nb.ipynb', {}, 10, onlyCell);
    assert.deepEqual(
      fixed.texts.map((text, index) => (index === onlyCell ? everywhere.texts[index] : cells[index]!.text)),
      fixed.texts,
      `cell ${onlyCell}`,
    );
    assert.ok(fixed.fixCount >= 1);
  }
  assert.deepEqual(
    fixNotebookUntilStable(cells, 'nb.ipynb', {}, 10, 0).texts,
    cells.map((cell) => cell.text),
  );
});
