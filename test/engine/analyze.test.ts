// Smoke tests of the engine entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/analyze';

test('a file without TensorFlow.js costs nothing and reports nothing', () => {
  const result = analyze('const x = 1;\n', 'plain.ts');
  assert.equal(result.language, 'none');
  assert.deepEqual(result.diagnostics, []);
});

test('a file over the size limit is skipped with one note', () => {
  const result = analyze('import * as tf from "@tensorflow/tfjs";\n' + ' '.repeat(100), 'big.ts', { maxFileSize: 50 });
  assert.equal(result.notes.length, 1);
  assert.match(result.notes[0].message, /size limit/);
});

test('binary content is skipped', () => {
  const result = analyze('{"class_name": "Sequential"\u0000\u0001}', 'model.json');
  assert.match(result.notes[0].message, /binary/);
});

test('a truncated JSON model gives one note per problem position, not one per unclosed bracket', () => {
  const text =
    '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 4, "kernel_initializer": "zeros"\n';
  const result = analyze(text, 'truncated.json');
  const keys = result.notes.map((note) => String(note.span?.start));
  assert.ok(result.notes.length >= 1);
  assert.equal(new Set(keys).size, keys.length, `repeated notes: ${keys.join(' | ')}`);
});

test('Python suppression comments silence a rule on the next line or the same line (both spellings)', () => {
  const model = (comment: string, sameLine = ''): string =>
    `import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n` +
    `        self.fc1 = nn.Linear(784, 256)\n        self.fc2 = nn.Linear(256, 10)\n${comment ? `        ${comment}\n` : ''}` +
    `        nn.init.xavier_uniform_(self.fc1.weight)${sameLine}\n\n    def forward(self, x):\n        return self.fc2(self.fc1(x).relu())\n`;
  const flagged = (text: string) => analyze(text, 'net.py').diagnostics.filter((d) => d.ruleId === 'glorot-with-relu').length;
  assert.equal(flagged(model('')), 1);
  assert.equal(flagged(model('# model-lint: disable-next-line glorot-with-relu')), 0);
  assert.equal(flagged(model('# model-lint-disable-next-line')), 0);
  assert.equal(flagged(model('', '  # model-lint: disable-line glorot-with-relu -- deliberate')), 0);
  assert.equal(flagged(model('# model-lint: disable-next-line symmetric-init')), 1);
});
