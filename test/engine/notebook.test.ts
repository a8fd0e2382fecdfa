// Notebooks as one Python module: IPython lines neutralized with offsets kept, problems and fixes placed in their cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNotebook, editInCell, moduleOffset, neutralizeIPython, notebookModule, spanInCell } from '../../server/src/engine/notebook';
import { parsePython } from '../../server/src/engine/frontends/python';
import { applyEdits } from '../../server/src/engine/applyFixes';

const code = (text: string) => ({ text, isPythonCode: true });
const markdown = (text: string) => ({ text, isPythonCode: false });

test('IPython magics, shell escapes and help lines become Python of the same length', () => {
  const cell = [
    '%matplotlib inline',
    '!pip install torch',
    'files = !ls',
    'x = %who_ls',
    'for i in range(3):',
    '    !echo $i',
    'torch.nn?',
    '?torch',
    '%load_ext \\',
    '  autoreload',
    'y = 1 # really?',
  ].join('\n');
  const out = neutralizeIPython(cell);
  assert.equal(out.length, cell.length);
  assert.deepEqual(
    out.split('\n').map((l) => l.trimEnd()),
    ['...', '...', 'files = ...', 'x = ...', 'for i in range(3):', '    ...', '...', '...', '...', '', 'y = 1 # really?'],
  );
  assert.equal(parsePython(`import torch\n${out}\n`).notes.filter((n) => /syntax/i.test(n.message)).length, 0);
});

test('a cell magic with a Python body keeps the body; any other blanks the cell', () => {
  assert.equal(neutralizeIPython('%%time\nx = 1\n'), '      \nx = 1\n');
  assert.equal(neutralizeIPython('%%bash\nrm -rf x\n').trim(), '');
  assert.equal(neutralizeIPython('%%bash\nrm -rf x\n').length, '%%bash\nrm -rf x\n'.length);
});

test('code cells join in order; markdown cells are skipped but keep their index', () => {
  const module = notebookModule([markdown('# Title'), code('import torch'), code('x = 1\n'), markdown('text')]);
  assert.equal(module.text, 'import torch\nx = 1\n\n');
  assert.deepEqual(
    module.cells.map((c) => [c.index, c.start, c.end]),
    [
      [1, 0, 12],
      [2, 13, 19],
    ],
  );
  assert.deepEqual(spanInCell(module, { start: 13, end: 18 }), { cell: 2, start: 0, end: 5 });
  assert.deepEqual(spanInCell(module, { start: 2, end: 16 }), { cell: 1, start: 2, end: 12 });
  assert.equal(moduleOffset(module, 2, 3), 16);
  assert.equal(moduleOffset(module, 0, 3), null);
});

test('an inserted line after the last line of a cell goes to the end of that cell', () => {
  const withBreak = notebookModule([code('a = 1\n'), code('b = 2')]);
  assert.deepEqual(editInCell(withBreak, { span: { start: 7, end: 7 }, text: 'c = 3\n' }), {
    cell: 0,
    span: { start: 6, end: 6 },
    text: 'c = 3\n',
  });
  const withoutBreak = notebookModule([code('a = 1'), code('b = 2')]);
  assert.deepEqual(editInCell(withoutBreak, { span: { start: 6, end: 6 }, text: 'c = 3\n' }), {
    cell: 0,
    span: { start: 5, end: 5 },
    text: '\nc = 3',
  });
  assert.equal(editInCell(withoutBreak, { span: { start: 3, end: 8 }, text: '' }), null);
});

test('a model built in one cell, initialized in another and wrapped in a third is one model', () => {
  const cells = [
    markdown('# A deep default MLP'),
    code('%matplotlib inline\nimport torch\nfrom torch import nn\n'),
    code('layers = []\nfor _ in range(10):\n    layers += [nn.Linear(256, 256), nn.ReLU()]\n'),
    code('body = nn.Sequential(*layers)\nfor m in body:\n    if isinstance(m, nn.Linear):\n        nn.init.xavier_uniform_(m.weight)\n'),
    code('model = nn.Sequential(body, nn.Linear(256, 1))\n'),
  ];
  const { result, diagnostics } = analyzeNotebook(cells, 'nb.ipynb');
  assert.equal(result.language, 'python');
  assert.equal(result.models.length >= 1, true);
  const glorot = diagnostics.filter((d) => d.diagnostic.ruleId === 'glorot-with-relu');
  assert.ok(glorot.length > 0, JSON.stringify(diagnostics.map((d) => d.diagnostic.ruleId)));
  for (const problem of glorot) {
    assert.equal(problem.at.cell, 3);
    const text = cells[3]!.text;
    assert.match(text.slice(problem.at.start, problem.at.end), /xavier_uniform_|nn\.Linear|m\.weight/);
    assert.ok(problem.fix !== null);
    const fixed = applyEdits(
      text,
      problem.fix!.map((e) => ({ span: e.span, text: e.text })),
    );
    assert.match(fixed, /kaiming/);
  }
});
