// File-wide suppression comments (`# model-lint: disable RULE`, `// model-lint-disable RULE`) in every front end and in
// notebooks, beside the line forms they must not be mistaken for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/analyze';
import { analyzeNotebook } from '../../server/src/engine/notebook';
import { FILE_WIDE, scanSuppressions } from '../../server/src/engine/frontends/suppressions';

const ids = (suppressions: Map<number, Set<string>>, line: number): string[] => [...(suppressions.get(line) ?? [])].sort();

test('a file-wide directive on its own line is read under the FILE_WIDE key, with its rules and reason', () => {
  const slash = scanSuppressions(
    [
      "import * as tf from '@tensorflow/tfjs';",
      '// model-lint-disable glorot-with-relu, symmetric-init -- ported weights',
      '  /* model-lint-disable he-with-saturating */',
      '// model-lint-disable-next-line bias-init',
      'const x = 1; // model-lint-disable-line',
      '',
    ].join('\n'),
  );
  assert.deepEqual(ids(slash, FILE_WIDE), ['glorot-with-relu', 'he-with-saturating', 'symmetric-init']);
  assert.deepEqual(ids(slash, 4), ['*', 'bias-init']);
  assert.equal(slash.size, 2, [...slash.keys()].join(','));

  const hash = scanSuppressions(
    [
      '# model-lint: disable glorot-with-relu',
      '    #model-lint-disable symmetric-init',
      '# model-lint: disable-next-line bias-init',
      'x = 1',
    ].join('\n'),
    'hash',
  );
  assert.deepEqual(ids(hash, FILE_WIDE), ['glorot-with-relu', 'symmetric-init']);
  assert.deepEqual(ids(hash, 3), ['bias-init']);
  assert.deepEqual(ids(scanSuppressions('# model-lint: disable\nx = 1\n', 'hash'), FILE_WIDE), ['*']);
  assert.deepEqual(ids(scanSuppressions('# model-lint: disable -- generated file\n', 'hash'), FILE_WIDE), ['*']);
  assert.deepEqual(ids(scanSuppressions('/* model-lint-disable */\n'), FILE_WIDE), ['*']);
  assert.deepEqual(ids(scanSuppressions('\uFEFF# model-lint: disable glorot-with-relu\r\nx = 1\r\n', 'hash'), FILE_WIDE), [
    'glorot-with-relu',
  ]);
  assert.deepEqual(ids(scanSuppressions('x = 1\r# model-lint: disable glorot-with-relu\r', 'hash'), FILE_WIDE), ['glorot-with-relu']);
});

test('the line forms and a directive after code or inside other text are not file-wide', () => {
  const notFileWide = [
    ['x = 1  # model-lint: disable glorot-with-relu', 'hash'],
    ['# model-lint: disable-next-line glorot-with-relu', 'hash'],
    ['# model-lint: disable-line', 'hash'],
    ['# model-lint-disable-next-line', 'hash'],
    ['# model-lint: disabled glorot-with-relu', 'hash'],
    ['# model-lint: disable_all', 'hash'],
    ['# see model-lint: disable glorot-with-relu', 'hash'],
    ['const x = 1; // model-lint-disable glorot-with-relu', 'slash'],
    ['// model-lint-disable-next-line glorot-with-relu', 'slash'],
    ['/* model-lint-disable-line */', 'slash'],
    ['/* model-lint-disable glorot-with-relu */ const x = 1;', 'slash'],
    ['// model-lint-disabled', 'slash'],
  ] as const;
  for (const [line, comments] of notFileWide) {
    const suppressions = scanSuppressions(`${line}\nx = 1\n`, comments);
    assert.equal(suppressions.has(FILE_WIDE), false, line);
  }
});

const TS_MODEL = [
  "import * as tf from '@tensorflow/tfjs';",
  'const model = tf.sequential();',
  "model.add(tf.layers.dense({units: 32, inputShape: [32], activation: 'relu', kernelInitializer: 'glorotNormal'}));",
  "model.add(tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: 'glorotNormal'}));",
  "model.add(tf.layers.dense({units: 1, kernelInitializer: 'zeros'}));",
  '',
].join('\n');

const JSON_MODEL = [
  '{',
  '  "class_name": "Sequential",',
  '  "config": {',
  '    "name": "commented",',
  '    "layers": [',
  '      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8]}},',
  '      {"class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "relu", "kernel_initializer": "glorot_uniform"}},',
  '      {"class_name": "Dense", "config": {"name": "out", "units": 4, "kernel_initializer": "zeros"}}',
  '    ]',
  '  }',
  '}',
  '',
].join('\n');

const PY_MODEL = [
  'import torch.nn as nn',
  '',
  '',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.fc1 = nn.Linear(784, 256)',
  '        self.fc2 = nn.Linear(256, 256)',
  '        self.fc3 = nn.Linear(256, 10)',
  '        nn.init.xavier_uniform_(self.fc1.weight)',
  '        nn.init.xavier_uniform_(self.fc2.weight)',
  '        nn.init.zeros_(self.fc3.weight)',
  '',
  '    def forward(self, x):',
  '        return self.fc3(self.fc2(self.fc1(x).relu()).relu())',
  '',
].join('\n');

const counts = (text: string, fileName: string): Record<string, number> => {
  const byRule: Record<string, number> = {};
  for (const d of analyze(text, fileName).diagnostics) byRule[d.ruleId] = (byRule[d.ruleId] ?? 0) + 1;
  return byRule;
};

test('TS/JS: a file-wide directive silences the named rule on every line, and every rule when none is named', () => {
  const before = counts(TS_MODEL, 'model.ts');
  assert.equal(before['glorot-with-relu'], 2);
  assert.ok(Object.keys(before).length >= 2, `another rule fires too: ${JSON.stringify(before)}`);
  const named = counts(`// model-lint-disable glorot-with-relu -- ported from Keras\n${TS_MODEL}`, 'model.ts');
  assert.deepEqual({ ...named, 'glorot-with-relu': 2 }, before);
  assert.equal(named['glorot-with-relu'], undefined);
  assert.deepEqual(counts(`${TS_MODEL}/* model-lint-disable */\n`, 'model.js'), {});
  assert.deepEqual(
    counts(`// model-lint-disable-next-line glorot-with-relu\n${TS_MODEL}`, 'model.ts'),
    before,
    'next-line is no file-wide',
  );
});

test('JSON (JSONC): a file-wide directive silences the named rule in the whole file', () => {
  const before = counts(JSON_MODEL, 'model.json');
  assert.equal(before['glorot-with-relu'], 1);
  const named = counts(JSON_MODEL.replace('{\n', '{\n  // model-lint-disable glorot-with-relu\n'), 'model.json');
  assert.deepEqual({ ...named, 'glorot-with-relu': 1 }, before);
  assert.deepEqual(counts(`/* model-lint-disable */\n${JSON_MODEL}`, 'model.json'), {});
});

test('Python: `# model-lint: disable RULE` (and `# model-lint-disable`) silences the rule in the whole file', () => {
  const before = counts(PY_MODEL, 'net.py');
  assert.equal(before['glorot-with-relu'], 2);
  assert.ok(Object.keys(before).length >= 2, `another rule fires too: ${JSON.stringify(before)}`);
  for (const directive of ['# model-lint: disable glorot-with-relu', '# model-lint-disable glorot-with-relu -- checked by hand']) {
    const named = counts(`${directive}\n${PY_MODEL}`, 'net.py');
    assert.deepEqual({ ...named, 'glorot-with-relu': 2 }, before, directive);
  }
  const indented = counts(
    PY_MODEL.replace(
      '        nn.init.zeros_',
      '        # model-lint: disable vanishing-gradient-predicted, glorot-with-relu\n        nn.init.zeros_',
    ),
    'net.py',
  );
  assert.equal(indented['glorot-with-relu'], undefined);
  assert.equal(indented['vanishing-gradient-predicted'], undefined);
  assert.deepEqual(counts(`${PY_MODEL}# model-lint: disable\n`, 'net.py'), {});
  assert.deepEqual(counts(PY_MODEL.replace('weight)\n', 'weight)  # model-lint: disable glorot-with-relu\n'), 'net.py'), before);
});

test('a notebook: a file-wide directive in any cell applies to every cell', () => {
  const cells = [
    {
      text: 'import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))\n',
      isPythonCode: true,
    },
    { text: 'nn.init.xavier_normal_(net[0].weight)\n', isPythonCode: true },
    { text: '# model-lint: disable glorot-with-relu\n', isPythonCode: false },
    { text: 'print(net)\n', isPythonCode: true },
  ];
  const rules = (input: typeof cells) => analyzeNotebook(input, 'nb.ipynb').diagnostics.map((d) => d.diagnostic.ruleId);
  assert.ok(rules(cells).includes('glorot-with-relu'), 'a directive in a markdown cell says nothing');
  const silenced = cells.map((cell, index) =>
    index === 3 ? { ...cell, text: `# model-lint: disable glorot-with-relu\n${cell.text}` } : cell,
  );
  assert.deepEqual(
    rules(silenced).filter((id) => id === 'glorot-with-relu'),
    [],
  );
});
