// Unit tests of the server's pure parts (no process): diagnostic adapter, fix keys, minimal edits, verdicts, layer lookup.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { minimalEdit } from '../../server/src/lsp/codeActions';
import { fixKeyOf, toLspDiagnostic, toLspDiagnostics } from '../../server/src/lsp/diagnostics';
import { fileNameOf } from '../../server/src/lsp/documents';
import { formatNumber } from '../../server/src/lsp/format';
import { layerAt } from '../../server/src/lsp/hover';
import { userSettingsToOptions } from '../../server/src/lsp/settings';
import type { Layer, Model } from '../../server/src/engine/ir';
import type { EngineDiagnostic } from '../../server/src/engine/types';

const problem: EngineDiagnostic = {
  ruleId: 'symmetric-init',
  severity: 'error',
  message: 'zeros kernel',
  span: { start: 6, end: 13 },
  fix: { title: 'Use heNormal', edits: [{ span: { start: 6, end: 13 }, text: "'heNormal'" }] },
  suggestions: [],
};

it('turns an engine diagnostic into an LSP one with source, code, docs link, severity, range and fix key data', () => {
  const document = TextDocument.create('file:///m.ts', 'typescript', 7, "line0\n'zeros'\n");
  const diagnostic = toLspDiagnostic(document, problem);
  assert.deepEqual(diagnostic.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
  assert.equal(diagnostic.source, 'model-lint');
  assert.equal(diagnostic.code, 'symmetric-init');
  assert.equal(diagnostic.codeDescription?.href, 'https://github.com/model-lint/model-lint/blob/main/docs/rules/symmetric-init.md');
  assert.equal(diagnostic.severity, 1);
  assert.deepEqual(diagnostic.data, { fixKey: fixKeyOf(diagnostic), version: 7 });
  // The key changes with the message, so a stale diagnostic never matches another problem's fix.
  assert.notEqual(fixKeyOf({ ...diagnostic, message: 'other' }), fixKeyOf(diagnostic));
});

it('reports a skipped file as exactly one information diagnostic', () => {
  const document = TextDocument.create('file:///big.json', 'json', 1, '{}');
  const diagnostics = toLspDiagnostics(document, {
    language: 'none',
    models: [],
    diagnostics: [],
    notes: [{ message: 'model-lint skipped this file: too large' }],
  });
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.severity, 3);
});

it('computes the minimal single edit between two texts', () => {
  assert.deepEqual(minimalEdit("a 'zeros' b", "a 'heNormal' b"), { span: { start: 3, end: 8 }, text: 'heNormal' });
  assert.deepEqual(minimalEdit('abc', 'abc'), { span: { start: 3, end: 3 }, text: '' });
  assert.deepEqual(minimalEdit('aXa', 'aa'), { span: { start: 1, end: 2 }, text: '' });
});

it('formats numbers for lenses and hovers', () => {
  assert.equal(formatNumber(3.2e-5), '3.2e-5');
  assert.equal(formatNumber(0.5), '0.5');
  assert.equal(formatNumber(2 / 512), '0.00391');
  assert.equal(formatNumber(null), 'n/a');
});

it('finds the innermost layer at an offset', () => {
  const layer = (id: string, start: number, end: number, inner?: Model): Layer => ({
    id,
    name: id,
    type: inner ? 'model' : 'dense',
    className: 'dense',
    config: {},
    activation: { name: 'relu', explicit: true, source: 'own' },
    fanIn: null,
    fanOut: null,
    outputSize: null,
    span: { start, end },
    properties: {},
    inbound: [],
    inner,
  });
  const model = (name: string, layers: Layer[]): Model => ({
    name,
    kind: 'sequential',
    dialect: 'tfjs',
    span: { start: 0, end: 100 },
    layers,
    inputShape: null,
    notes: [],
  });
  const inner = model('inner', [layer('deep', 20, 30)]);
  const outer = model('outer', [layer('a', 0, 10), layer('wrapper', 15, 40, inner)]);
  assert.equal(layerAt([outer], 25)?.layer.id, 'deep');
  assert.equal(layerAt([outer], 35)?.layer.id, 'wrapper');
  assert.equal(layerAt([outer], 12), null);
  // A loop unrolls one source span into several layers: the first copy is shown, all copies are listed.
  const unrolled = model('loop', [layer('in', 0, 5), layer('l1', 10, 20), layer('l2', 10, 20), layer('l3', 10, 20)]);
  const found = layerAt([unrolled], 15);
  assert.equal(found?.layer.id, 'l1');
  assert.deepEqual(found?.copies, [1, 2, 3]);
});

it('reads settings defensively and names untitled buffers after their language', () => {
  const read = userSettingsToOptions({
    enable: false,
    rules: { 'symmetric-init': 'off', 'glorot-with-relu': 3, a: 'off' },
    thresholds: { vanishingRatio: 1e-4, explodingRatio: 'x' },
    maxFileSize: -1,
  });
  assert.deepEqual(
    { enable: read.enable, options: read.options },
    { enable: false, options: { rules: { 'symmetric-init': 'off' }, thresholds: { vanishingRatio: 1e-4 } } },
  );
  assert.deepEqual(
    read.problems.map((problem) => problem.split(' ')[0]),
    ['modelLint.rules.glorot-with-relu', 'modelLint.rules:', 'modelLint.thresholds.explodingRatio', 'modelLint.maxFileSize'],
  );
  assert.deepEqual(userSettingsToOptions(null), { enable: true, options: {}, problems: [] });
  assert.equal(fileNameOf(TextDocument.create('untitled:Untitled-1', 'typescript', 1, '')), 'Untitled-1.ts');
  assert.equal(fileNameOf(TextDocument.create('file:///p/model.json', 'json', 1, '')), '/p/model.json');
});
