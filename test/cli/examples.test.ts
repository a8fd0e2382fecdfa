// End-to-end CLI runs on the bundled examples: text, JSON and SARIF output, --summary, exit codes, severity flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { JsonFileReport } from '../../server/src/cli/report';
import { REPO_ROOT, runCli } from '../helpers/runCli';
import { sarifSchemaErrors } from '../helpers/sarifSchema';

/** What each example is there to show: the rules it triggers (sorted; repeated ids count). */
const EXPECTED_RULES: Record<string, string[]> = {
  'examples/deep-sigmoid.ts': ['input-signal-lost', 'vanishing-gradient-predicted'],
  'examples/functional-resnet.ts': [],
  'examples/keras-cnn.json': ['init-scale-mismatch'],
  'examples/keras-lstm.py': ['recurrent-init'],
  'examples/keras-mlp-bad.py': ['glorot-with-relu', 'he-with-saturating', 'symmetric-init'],
  'examples/keras-mlp-good.py': [],
  'examples/keras3-mlp.json': ['he-with-saturating', 'he-with-saturating'],
  'examples/lstm-text.ts': ['lstm-forget-bias', 'recurrent-init'],
  'examples/mnist-mlp-bad.ts': ['glorot-with-relu', 'init-scale-mismatch', 'symmetric-init'],
  'examples/mnist-mlp-good.ts': [],
  'examples/pytorch-deep-default.py': ['input-signal-lost'],
  'examples/pytorch-mlp-bad.py': ['glorot-with-relu', 'init-scale-mismatch', 'symmetric-init', 'vanishing-gradient-predicted'],
  'examples/pytorch-mlp-good.py': [],
  'examples/pytorch-notebook.ipynb': ['glorot-with-relu'],
  'examples/pytorch-tanh-selu.py': ['he-with-saturating', 'selu-without-lecun', 'selu-without-lecun', 'selu-without-lecun'],
  'examples/selu-dropout.js': ['selu-without-lecun', 'selu-without-lecun', 'selu-without-lecun', 'selu-without-lecun'],
  'examples/tfjs-model/model.json': ['glorot-with-relu', 'glorot-with-relu', 'glorot-with-relu'],
};
const EXAMPLE_COUNT = Object.keys(EXPECTED_RULES).length;

function lintJson(args: string[]): { code: number | null; reports: JsonFileReport[]; stderr: string } {
  const run = runCli(['lint', '--format', 'json', ...args]);
  return { code: run.code, reports: JSON.parse(run.stdout) as JsonFileReport[], stderr: run.stderr };
}

test('text output: one compiler-style line per problem, a count line, exit 1 because of the error', () => {
  const run = runCli(['lint', 'examples']);
  assert.equal(run.code, 1, run.stderr);
  const problemLines = run.stdout.split('\n').filter((line) => /^examples\//.test(line));
  // A notebook's places name the cell first: `nb.ipynb:cell 3:12:5`.
  for (const line of problemLines) assert.match(line, /^examples\/\S+:(cell \d+:)?\d+:\d+ (error|warning|info|hint|note) .+/);
  const diagnosticLines = problemLines.filter((line) => / (error|warning|info|hint) /.test(line) && / \[[a-z-]+\]$/.test(line));
  const expectedCount = Object.values(EXPECTED_RULES).reduce((sum, ids) => sum + ids.length, 0);
  assert.equal(diagnosticLines.length, expectedCount);
  const zeros = diagnosticLines.find((line) => line.startsWith('examples/mnist-mlp-bad.ts') && line.endsWith('[symmetric-init]'));
  assert.match(zeros ?? '', /^examples\/mnist-mlp-bad\.ts:16:\d+ error /);
  const column = Number(/:16:(\d+) /.exec(zeros ?? '')?.[1]);
  const sourceLine = readFileSync(join(REPO_ROOT, 'examples/mnist-mlp-bad.ts'), 'utf8').split('\n')[15];
  assert.ok(sourceLine.slice(column - 1).length > 0 && column <= sourceLine.length, 'column points into line 16');
  assert.match(
    run.stdout,
    new RegExp(`^${expectedCount} problems \\(3 errors, \\d+ warnings, \\d+ info, 0 hints\\) in ${EXAMPLE_COUNT} files\\.$`, 'm'),
  );
});

test('JSON output has exactly the documented shape, 1-based positions and fixes as offset ranges', () => {
  const { code, reports } = lintJson(['examples']);
  assert.equal(code, 1);
  assert.equal(reports.length, EXAMPLE_COUNT);
  const byPath = new Map(reports.map((report) => [relative(REPO_ROOT, report.filePath).split('\\').join('/'), report]));
  assert.deepEqual([...byPath.keys()].sort(), Object.keys(EXPECTED_RULES).sort());
  for (const [path, report] of byPath) {
    assert.ok(isAbsolute(report.filePath));
    assert.deepEqual(Object.keys(report), ['filePath', 'diagnostics', 'models'], path);
    assert.deepEqual(report.diagnostics.map((d) => d.ruleId).sort(), EXPECTED_RULES[path], path);
    const notebook = path.endsWith('.ipynb');
    const source = readFileSync(report.filePath, 'utf8');
    const lines = source.split('\n');
    for (const diagnostic of report.diagnostics) {
      // In a notebook, `cell` comes before line and column, which are in that cell (test/cli/notebook.test.ts).
      assert.deepEqual(Object.keys(diagnostic), [
        'ruleId',
        'severity',
        'message',
        ...(notebook ? ['cell'] : []),
        'line',
        'column',
        'endLine',
        'endColumn',
        'fix',
      ]);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(diagnostic.severity));
      assert.ok(diagnostic.line >= 1 && diagnostic.line <= lines.length && diagnostic.column >= 1);
      assert.ok(
        diagnostic.endLine > diagnostic.line || (diagnostic.endLine === diagnostic.line && diagnostic.endColumn >= diagnostic.column),
      );
      if (diagnostic.fix && !notebook) {
        const [start, end] = diagnostic.fix.range;
        assert.ok(start >= 0 && start <= end && end <= source.length);
        assert.equal(typeof diagnostic.fix.text, 'string');
      }
    }
    assert.ok(report.models.length >= 1, `${path} holds a model`);
    for (const model of report.models) {
      assert.deepEqual(Object.keys(model), ['name', ...(notebook ? ['cell'] : []), 'line', 'layers', 'predictedGradientRatio']);
      assert.ok(model.layers.length > 0);
      for (const layer of model.layers) {
        assert.deepEqual(Object.keys(layer), [
          ...(notebook ? ['cell'] : []),
          'line',
          'type',
          'activation',
          'kernelInitializer',
          'fanIn',
          'forwardGain',
          'backwardGain',
        ]);
        assert.ok(layer.line >= 1 && layer.line <= lines.length);
      }
    }
  }
  const bad = byPath.get('examples/mnist-mlp-bad.ts');
  const zeros = bad?.diagnostics.find((d) => d.ruleId === 'symmetric-init');
  assert.equal(zeros?.severity, 'error');
  assert.equal(zeros?.line, 16);
  const source = readFileSync(join(REPO_ROOT, 'examples/mnist-mlp-bad.ts'), 'utf8');
  assert.equal(source.slice(zeros?.fix?.range[0], zeros?.fix?.range[1]), "'zeros'");
  assert.match(zeros?.fix?.text ?? '', /^'he(Normal|Uniform)'$/);
  const layers = bad?.models[0].layers ?? [];
  assert.deepEqual(
    layers.map((layer) => [layer.line, layer.type, layer.activation, layer.fanIn]),
    [
      [10, 'dense', 'relu', 784],
      [16, 'dense', 'relu', 512],
      [17, 'dense', 'relu', 256],
      [22, 'dense', 'softmax', 128],
    ],
  );
  assert.equal(layers[1].kernelInitializer, 'zeros');
  const deep = byPath.get('examples/deep-sigmoid.ts')?.models[0];
  assert.ok(deep && deep.predictedGradientRatio !== null && deep.predictedGradientRatio < 1e-3, 'deep sigmoid stack vanishes');
  const good = byPath.get('examples/mnist-mlp-good.ts')?.models[0];
  assert.ok(good && good.predictedGradientRatio !== null && good.predictedGradientRatio > 1e-3 && good.predictedGradientRatio < 1e3);
});

test('SARIF output validates against the official schema and lists the same problems as JSON', () => {
  const run = runCli(['lint', '--format', 'sarif', 'examples']);
  assert.equal(run.code, 1);
  const log = JSON.parse(run.stdout) as {
    runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[] }[];
  };
  assert.deepEqual(sarifSchemaErrors(log), []);
  const results = log.runs[0].results;
  const expected = Object.entries(EXPECTED_RULES)
    .flatMap(([path, ids]) => ids.map((id) => `${path} ${id}`))
    .sort();
  assert.deepEqual(results.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uri} ${r.ruleId}`).sort(), expected);
  assert.ok(results.every((r) => r.locations[0].physicalLocation.artifactLocation.uriBaseId === '%SRCROOT%'));
});

test('--summary prints each model with its gradient ratio, verdict and layer table', () => {
  const run = runCli(['lint', 'examples', '--summary']);
  assert.equal(run.code, 1);
  const summary = run.stdout.slice(run.stdout.indexOf('Predicted gradient health'));
  assert.ok(summary.length > 0);
  assert.match(
    summary,
    /examples\/deep-sigmoid\.ts\n {2}model 'model' \(sequential, line 10, 14 layers\): first\/last kernel-gradient ratio \d\.\de-\d -> vanishing \(below 0\.001\)/,
  );
  assert.match(
    summary,
    /examples\/mnist-mlp-good\.ts\n {2}model 'model' \(sequential, line 9, 6 layers\): first\/last kernel-gradient ratio \S+ -> healthy/,
  );
  assert.match(summary, /model 'cifar_resnet'|model 'resnet'/);
  assert.match(summary, /^ {4}line +type +activation +kernel init +fanIn +fwd gain +bwd gain$/m);
  assert.match(summary, /^ {4}16 +dense +relu +zeros +512 /m);
  // Machine formats keep stdout parseable: the summary goes to stderr.
  const json = runCli(['lint', 'examples/mnist-mlp-good.ts', '--format', 'json', '--summary']);
  assert.equal(JSON.parse(json.stdout).length, 1);
  assert.match(json.stderr, /Predicted gradient health/);
});

test('--rule changes severities and turns rules off; the exit code follows', () => {
  const off = lintJson(['examples/mnist-mlp-bad.ts', '--rule', 'symmetric-init=off']);
  assert.equal(off.code, 0);
  assert.ok(!off.reports[0].diagnostics.some((d) => d.ruleId === 'symmetric-init'));
  const raised = lintJson(['examples/keras3-mlp.json', '--rule', 'he-with-saturating=error']);
  assert.equal(raised.code, 1);
  assert.ok(raised.reports[0].diagnostics.every((d) => d.severity === 'error'));
  const lowered = lintJson(['examples/mnist-mlp-bad.ts', '--rule', 'symmetric-init=hint']);
  assert.equal(lowered.code, 0);
  assert.equal(lowered.reports[0].diagnostics.find((d) => d.ruleId === 'symmetric-init')?.severity, 'hint');
});

test('--max-warnings: more warnings than allowed exits 1, otherwise 0; -1 means no limit', () => {
  assert.equal(runCli(['lint', 'examples/keras3-mlp.json', '--max-warnings', '1']).code, 1);
  assert.match(runCli(['lint', 'examples/keras3-mlp.json', '--max-warnings', '1']).stderr, /2 warnings, more than --max-warnings 1/);
  assert.equal(runCli(['lint', 'examples/keras3-mlp.json', '--max-warnings', '2']).code, 0);
  assert.equal(runCli(['lint', 'examples/keras3-mlp.json', '--max-warnings', '-1']).code, 0);
  assert.equal(runCli(['lint', 'examples/keras3-mlp.json']).code, 0);
});

test('a clean model exits 0; --exit-zero turns exit 1 into 0 and says so', () => {
  const clean = runCli(['lint', 'examples/mnist-mlp-good.ts']);
  assert.equal(clean.code, 0);
  assert.match(clean.stdout, /^No problems found in 1 file\.$/m);
  const forgiven = runCli(['lint', 'examples/mnist-mlp-bad.ts', '--exit-zero']);
  assert.equal(forgiven.code, 0);
  assert.match(forgiven.stdout, /\[symmetric-init\]/);
  assert.match(forgiven.stderr, /exit code 0 because of --exit-zero \(it would be 1/);
});
