// SARIF output: valid against the official SARIF 2.1.0 schema and shaped the way GitHub code scanning reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifactLocation, FINGERPRINT_KEY, sarifLevel, toSarifLog } from '../../server/src/cli/formatSarif';
import { LineIndex } from '../../server/src/engine/lineIndex';
import type { LintedFile } from '../../server/src/cli/report';
import { DEFAULT_THRESHOLDS } from '../../server/src/engine/analyze';
import type { RuleMeta } from '../../server/src/engine/rules/rule';
import type { EngineDiagnostic } from '../../server/src/engine/types';
import { sarifSchemaErrors } from '../helpers/sarifSchema';
import { lintNotebookText } from '../../server/src/cli/notebookLint';
import { codeCell, jupyterNotebook, markdownCell } from '../helpers/notebooks';
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests walk the SARIF log as untyped JSON, as its consumers do */

const RULE_METAS: RuleMeta[] = [
  {
    id: 'symmetric-init',
    defaultSeverity: 'error',
    description: 'Constant kernel initializers keep all units identical.',
    fixable: 'safe',
  },
  {
    id: 'glorot-with-relu',
    defaultSeverity: 'warning',
    description: 'Glorot initialization before ReLU halves the signal per layer.',
    fixable: 'safe',
  },
  { id: 'lstm-forget-bias', defaultSeverity: 'info', description: 'TF.js LSTM without unitForgetBias.', fixable: 'safe' },
];

const TEXT = [
  "import * as tf from '@tensorflow/tfjs';",
  'const model = tf.sequential();',
  "model.add(tf.layers.dense({ units: 8, inputShape: [4], kernelInitializer: 'zeros' }));",
  "model.add(tf.layers.dense({ units: 8, kernelInitializer: 'zeros' }));",
  '',
].join('\n');

function diagnostic(ruleId: string, severity: EngineDiagnostic['severity'], needle: string, nth = 0, withFix = true): EngineDiagnostic {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = TEXT.indexOf(needle, start + 1);
  const span = { start, end: start + needle.length };
  return {
    ruleId,
    severity,
    message: `${ruleId} at ${start}`,
    span,
    suggestions: [],
    fix: withFix ? { title: 'Use heNormal', edits: [{ span, text: "'heNormal'" }] } : null,
  };
}

function lintedFile(filePath: string, diagnostics: EngineDiagnostic[]): LintedFile {
  return {
    filePath,
    text: TEXT,
    thresholds: DEFAULT_THRESHOLDS,
    fixCount: 0,
    changed: false,
    lines: new LineIndex(TEXT),
    result: {
      language: 'typescript',
      models: [],
      diagnostics,
      notes: [{ message: 'loop bound unknown: treated as repeated', span: { start: 40, end: 45 } }],
    },
  };
}

const cwd = join(process.cwd(), 'test-output', 'sarif-root');

test('the SARIF log validates against the official 2.1.0 schema', () => {
  const file = lintedFile(join(cwd, 'src', 'model.ts'), [
    diagnostic('symmetric-init', 'error', "'zeros'", 0),
    diagnostic('symmetric-init', 'error', "'zeros'", 1),
    diagnostic('lstm-forget-bias', 'hint', 'tf.sequential()', 0, false),
  ]);
  const log = toSarifLog([file], { cwd, toolVersion: '1.2.3', rules: RULE_METAS, executionSuccessful: true });
  assert.deepEqual(sarifSchemaErrors(log), []);
});

test("a notebook's SARIF log validates too: cell index in properties, regions and fixes in the .ipynb text", () => {
  const text = jupyterNotebook([
    markdownCell('# Notebook'),
    codeCell('%matplotlib inline\nimport torch.nn as nn\nnet = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))\n'),
    codeCell('nn.init.zeros_(net[0].weight)\nfor _ in range(n):\n    pass\n'),
  ]);
  const filePath = join(cwd, 'nb.ipynb');
  const { notebook } = lintNotebookText(text, filePath, {}, false, 10);
  const result = { ...notebook.analysis.result, diagnostics: notebook.analysis.diagnostics.map((problem) => problem.diagnostic) };
  assert.ok(
    result.diagnostics.some((d) => d.fix !== null),
    'a fixable problem',
  );
  const file: LintedFile = {
    filePath,
    text,
    thresholds: DEFAULT_THRESHOLDS,
    fixCount: 0,
    changed: false,
    lines: new LineIndex(text),
    result,
    notebook,
  };
  const log = toSarifLog([file], { cwd, toolVersion: '1.2.3', rules: RULE_METAS, executionSuccessful: true }) as {
    runs: { results: { properties?: { cell?: number }; fixes?: unknown[] }[] }[];
  };
  assert.deepEqual(sarifSchemaErrors(log), []);
  const results = log.runs[0].results;
  assert.ok(results.length > 0);
  assert.ok(results.every((r) => r.properties?.cell === 2));
  assert.ok(results.some((r) => Array.isArray(r.fixes)));
});

test('the validator rejects a broken log, so the schema test can fail', () => {
  const file = lintedFile(join(cwd, 'a.ts'), [diagnostic('symmetric-init', 'error', "'zeros'")]);
  const log = toSarifLog([file], { cwd, toolVersion: '1.2.3', rules: RULE_METAS, executionSuccessful: true }) as {
    runs: { results: { level: string }[] }[];
  };
  log.runs[0].results[0].level = 'fatal';
  assert.notDeepEqual(sarifSchemaErrors(log), []);
});

test('results carry what GitHub code scanning needs: rule, index, level, message, relative location, 1-based region, fingerprint', () => {
  const file = lintedFile(join(cwd, 'src', 'my model.ts'), [
    diagnostic('symmetric-init', 'error', "'zeros'", 0),
    diagnostic('symmetric-init', 'error', "'zeros'", 1),
    diagnostic('glorot-with-relu', 'warning', 'tf.layers.dense', 0, false),
  ]);
  const log = toSarifLog([file], { cwd, toolVersion: '1.2.3', rules: RULE_METAS, executionSuccessful: true }) as any;
  const run = log.runs[0];
  assert.equal(log.version, '2.1.0');
  assert.equal(run.tool.driver.name, 'model-lint');
  const ruleIds = run.tool.driver.rules.map((rule: any) => rule.id);
  assert.deepEqual(ruleIds, ['glorot-with-relu', 'lstm-forget-bias', 'symmetric-init']);
  for (const rule of run.tool.driver.rules) {
    assert.ok(rule.shortDescription.text.length > 0);
    assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
  }
  assert.equal(run.tool.driver.rules[ruleIds.indexOf('lstm-forget-bias')].defaultConfiguration.level, 'note');
  assert.equal(run.results.length, 3);
  const [first, second, third] = run.results;
  assert.equal(first.ruleId, 'symmetric-init');
  assert.equal(run.tool.driver.rules[first.ruleIndex].id, first.ruleId);
  assert.equal(third.ruleIndex, ruleIds.indexOf('glorot-with-relu'));
  assert.equal(first.level, 'error');
  assert.equal(third.level, 'warning');
  const location = first.locations[0].physicalLocation;
  assert.deepEqual(location.artifactLocation, { uri: 'src/my%20model.ts', uriBaseId: '%SRCROOT%' });
  const zerosColumn = TEXT.split('\n')[2].indexOf("'zeros'") + 1;
  assert.deepEqual(location.region, { startLine: 3, startColumn: zerosColumn, endLine: 3, endColumn: zerosColumn + "'zeros'".length });
  assert.equal(second.locations[0].physicalLocation.region.startLine, 4);
  // Identical flagged text in one file still gets distinct fingerprints.
  assert.match(first.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{32}$/);
  assert.notEqual(first.partialFingerprints[FINGERPRINT_KEY], second.partialFingerprints[FINGERPRINT_KEY]);
  assert.equal(first.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, "'heNormal'");
  assert.deepEqual(first.fixes[0].artifactChanges[0].replacements[0].deletedRegion, location.region);
  assert.equal(third.fixes, undefined);
  assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);
  assert.equal(run.invocations[0].toolExecutionNotifications[0].message.text, 'loop bound unknown: treated as repeated');
});

test('fingerprints do not move when lines are added above the problem', () => {
  const rules = { cwd, toolVersion: '1', rules: RULE_METAS, executionSuccessful: true };
  const before = toSarifLog([lintedFile(join(cwd, 'a.ts'), [diagnostic('symmetric-init', 'error', "'zeros'")])], rules) as any;
  const shiftedText = '// a new comment line\n' + TEXT;
  const start = shiftedText.indexOf("'zeros'");
  const shifted: LintedFile = {
    ...lintedFile(join(cwd, 'a.ts'), []),
    text: shiftedText,
    lines: new LineIndex(shiftedText),
    result: {
      language: 'typescript',
      models: [],
      notes: [],
      diagnostics: [{ ...diagnostic('symmetric-init', 'error', "'zeros'"), span: { start, end: start + 7 } }],
    },
  };
  const after = toSarifLog([shifted], rules) as any;
  assert.equal(after.runs[0].results[0].locations[0].physicalLocation.region.startLine, 4);
  assert.equal(
    after.runs[0].results[0].partialFingerprints[FINGERPRINT_KEY],
    before.runs[0].results[0].partialFingerprints[FINGERPRINT_KEY],
  );
});

test('severity levels map onto SARIF levels and files outside the root get absolute URIs', () => {
  assert.equal(sarifLevel('error'), 'error');
  assert.equal(sarifLevel('warning'), 'warning');
  assert.equal(sarifLevel('info'), 'note');
  assert.equal(sarifLevel('hint'), 'note');
  const outside = artifactLocation(join(cwd, '..', 'elsewhere', 'b.ts'), cwd);
  assert.equal(outside.uriBaseId, undefined);
  assert.match(outside.uri, /^file:\/\/.*\/elsewhere\/b\.ts$/);
});
