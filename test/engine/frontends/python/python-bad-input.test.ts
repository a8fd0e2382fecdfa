// Bad input for the Python front end (issue 9, "Bad input"): Python 2, every prefix of every fixture, tabs mixed with
// spaces, CRLF / CR / BOM, a 5 MB generated file, brackets nested 10,000 deep, files where nothing can be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { parser } from '@lezer/python';
import { analyze, DEFAULT_MAX_FILE_SIZE } from '../../../../server/src/engine/analyze';
import type { Model } from '../../../../server/src/engine/ir';
import { goldenProjection, modelNamed, PYTHON_FIXTURE_NAMES, pythonFixture } from './pythonGolden';

const models = (text: string): Model[] => analyze(text, 'model.py').models.map((m) => m.model);
const fanPairs = (model: Model): [number | null, number | null][] =>
  model.layers.filter((l) => l.kernelInitializer).map((l) => [l.fanIn, l.fanOut]);
const GOOD = 'import torch.nn as nn\n\ngood = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 2))\n';

for (const name of PYTHON_FIXTURE_NAMES) {
  test(`every prefix of ${name} is analysed without an exception or a hang`, (t) => {
    const text = pythonFixture(name);
    let slowest = 0;
    const start = performance.now();
    for (let end = 0; end <= text.length; end++) {
      const before = performance.now();
      assert.doesNotThrow(() => analyze(text.slice(0, end), name), `prefix of ${end} characters`);
      slowest = Math.max(slowest, performance.now() - before);
    }
    t.diagnostic(`${text.length + 1} prefixes in ${(performance.now() - start).toFixed(0)} ms, slowest ${slowest.toFixed(1)} ms`);
    assert.ok(slowest < 5000, `a prefix took ${slowest.toFixed(0)} ms`);
  });
}

test('Python 2 syntax: syntax notes, and the models are still read', () => {
  const text = `import torch.nn as nn
print 'building'
exec 'x = 1'
try:
    import cPickle as pickle
except ImportError, e:
    print e


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc = nn.Linear(10, 20L)
        self.out = nn.Linear(20, 0x2)

    def forward(self, x):
        print >>sys.stderr, 'forward'
        return self.out(self.fc(x))


model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 2))
if 1 <> 2:
    pass
`;
  const result = analyze(text, 'py2.py');
  assert.ok(
    result.notes.some((n) => n.message.startsWith('Syntax error')),
    'the Python 2 statements are named',
  );
  const read = result.models.map((m) => m.model);
  assert.deepEqual(fanPairs(modelNamed(read, 'Net')), [
    [10, 20],
    [20, 2],
  ]);
  assert.deepEqual(fanPairs(modelNamed(read, 'model')), [
    [10, 20],
    [20, 2],
  ]);
});

test('tabs mixed with spaces: the class is read as Python reads it', () => {
  const text =
    'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n\tsuper().__init__()\n        self.fc = nn.Linear(4, 8)\n\tself.out = nn.Linear(8, 1)\n\n    def forward(self, x):\n\treturn self.out(self.fc(x))\n\nnet = Net()\n';
  const [net] = models(text);
  assert.deepEqual(
    net.layers.map((l) => l.name),
    ['fc', 'out'],
  );
  assert.deepEqual(fanPairs(net), [
    [4, 8],
    [8, 1],
  ]);
});

test('CRLF, lone CR and a BOM give the same IR as LF, without syntax notes', () => {
  for (const name of ['torch_init.py', 'keras_sequential.py']) {
    const text = pythonFixture(name);
    const expected = goldenProjection(text, models(text));
    const variants: [string, string][] = [
      ['CRLF', text.replace(/\n/g, '\r\n')],
      ['CR', text.replace(/\n/g, '\r')],
      ['BOM', `\uFEFF${text}`],
      ['BOM + CRLF', `\uFEFF${text.replace(/\n/g, '\r\n')}`],
    ];
    for (const [label, variant] of variants) {
      const result = analyze(variant, name);
      assert.deepEqual(result.notes, [], `${name} with ${label}: no note`);
      // Source excerpts keep their line breaks; compare them in LF.
      const projection = JSON.parse(
        JSON.stringify(
          goldenProjection(
            variant,
            result.models.map((m) => m.model),
          ),
        ).replace(/\\r\\n|\\r/g, '\\n'),
      );
      assert.deepEqual(projection, expected, `${name} with ${label}`);
    }
  }
});

test('a 5 MB generated file finishes, keeps what it read and says where it stopped', (t) => {
  const unit = (i: number): string => `

class Net${i}(nn.Module):
    def __init__(self, width=${64 + (i % 8)}):
        super().__init__()
        self.fc1 = nn.Linear(784, width)
        self.fc2 = nn.Linear(width, width)
        self.out = nn.Linear(width, 10)
        nn.init.kaiming_normal_(self.fc1.weight, nonlinearity='relu')

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = torch.tanh(self.fc2(x))
        return self.out(x)


model_${i} = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, ${(i % 10) + 1}))
`;
  const parts = ['import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n'];
  let length = parts[0].length;
  for (let i = 0; length < DEFAULT_MAX_FILE_SIZE - 10_000; i++) {
    parts.push(unit(i));
    length += parts[parts.length - 1].length;
  }
  const text = parts.join('');
  let start = performance.now();
  parser.parse(text);
  const parseMs = performance.now() - start;
  start = performance.now();
  const result = analyze(text, 'generated.py');
  const analyzeMs = performance.now() - start;
  t.diagnostic(
    `${text.length} characters, ${parts.length - 1} classes and Sequentials: lezer parse ${parseMs.toFixed(0)} ms, analyze ${analyzeMs.toFixed(0)} ms, ${result.models.length} models`,
  );
  assert.equal(result.language, 'python');
  assert.ok(result.models.length > 1000, `${result.models.length} models read`);
  const first = modelNamed(
    result.models.map((m) => m.model),
    'model_0',
  );
  assert.deepEqual(fanPairs(first), [
    [32, 64],
    [64, 1],
  ]);
  assert.ok(
    result.notes.some((n) => /stopped reading this file after \d+ steps/.test(n.message)),
    'says the budget stopped it',
  );
  assert.ok(result.notes.length <= 5, `a few notes, not one per model: ${result.notes.length}`);
  assert.ok(analyzeMs < 120_000, `analyze took ${analyzeMs.toFixed(0)} ms`);
});

for (const [label, nested] of [
  ['parentheses', `${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
  ['lists', `${'['.repeat(10_000)}1${']'.repeat(10_000)}`],
  ['calls', `${'f('.repeat(10_000)}1${')'.repeat(10_000)}`],
  ['nn.Sequential', `${'nn.Sequential('.repeat(10_000)}nn.Linear(2, 2)${')'.repeat(10_000)}`],
  ['unclosed parentheses', '('.repeat(10_000)],
] as const) {
  test(`${label} nested 10,000 deep: no exception, a note on that statement, the other model analysed`, () => {
    const text = `${GOOD}deep = ${nested}\n\nafter = nn.Sequential(nn.Linear(3, 4))\n`;
    const result = analyze(text, 'deep.py');
    const note = result.notes.find((n) => /nested deeper than 200/.test(n.message));
    assert.ok(note?.span, JSON.stringify(result.notes));
    assert.ok(text.slice(note.span.start, note.span.end).startsWith('deep = '), 'the note spans the deep statement');
    const read = result.models.map((m) => m.model);
    assert.deepEqual(fanPairs(modelNamed(read, 'good')), [
      [10, 20],
      [20, 2],
    ]);
    if (label !== 'unclosed parentheses') assert.deepEqual(fanPairs(modelNamed(read, 'after')), [[3, 4]]);
  });
}

test('binary operators chained 10,000 times: no exception, the other model analysed', () => {
  const result = analyze(`${GOOD}x = ${'1 + '.repeat(10_000)}1\n`, 'chain.py');
  assert.deepEqual(
    fanPairs(
      modelNamed(
        result.models.map((m) => m.model),
        'good',
      ),
    ),
    [
      [10, 20],
      [20, 2],
    ],
  );
});

test('nothing readable: a clear note, and the other models of the file are still analysed', () => {
  const halfTyped = analyze('import torch.nn as nn\nmodel = nn.Sequential(\n', 'half.py');
  assert.equal(halfTyped.models.length, 1);
  assert.deepEqual(halfTyped.models[0].model.notes, ['no layers could be read from this model']);
  assert.ok(halfTyped.notes.some((n) => n.message.startsWith('Syntax error')));

  const garbage = analyze('import torch\n@@@@ $$$ ???\n', 'garbage.py');
  assert.equal(garbage.models.length, 0);
  assert.match(garbage.notes[0]?.message ?? '', /^Syntax error: Python could not read '@+ \$\$\$ \?\?\?'/);

  const imported = analyze(
    'import torch.nn as nn\nfrom mylib import Block\n\nmodel = nn.Sequential(Block(8), nn.Linear(8, 2))\n',
    'imported.py',
  );
  const [model] = imported.models.map((m) => m.model);
  assert.deepEqual(fanPairs(model), [[8, 2]]);
  assert.ok(
    model.notes.some((n) => /item 0 of nn\.Sequential\(…\) is not read: 'mylib\.Block\(…\)'/.test(n)),
    JSON.stringify(model.notes),
  );

  const mixed = analyze(
    `${GOOD}\nclass Broken(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4,\n\n\nother = nn.Sequential(nn.Linear(5, 6), nn.Tanh())\n`,
    'mixed.py',
  );
  const read = mixed.models.map((m) => m.model);
  assert.deepEqual(fanPairs(modelNamed(read, 'good')), [
    [10, 20],
    [20, 2],
  ]);
  assert.ok(mixed.notes.length > 0);
});
