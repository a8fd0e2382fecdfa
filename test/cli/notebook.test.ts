// The CLI on Jupyter notebooks: cell locations in text, JSON and SARIF, --fix rewriting only changed cells, bad notebooks, big notebooks.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { JsonFileReport } from '../../server/src/cli/report';
import { parseNotebook } from '../../server/src/cli/notebookFile';
import { REPO_ROOT, runCli, temporaryFolder } from '../helpers/runCli';
import { sarifSchemaErrors } from '../helpers/sarifSchema';
import { codeCell, jupyterNotebook, markdownCell } from '../helpers/notebooks';

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const path = temporaryFolder('model-lint-nb-');
  folders.push(path);
  return path;
}

const EXAMPLE = 'examples/pytorch-notebook.ipynb';
const FLAGGED = 'nn.init.xavier_uniform_(module.weight)';

/** Where a text first occurs in a notebook: 0-based cell index, 1-based line and column in that cell. */
function placeOf(notebookText: string, needle: string): { cell: number; line: number; column: number } {
  const cell = parseNotebook(notebookText).cells.find((candidate) => candidate.text.includes(needle))!;
  const before = cell.text.slice(0, cell.text.indexOf(needle)).split('\n');
  return { cell: cell.index, line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** The notebook text with every cell's `source` value cut out: what must stay byte-identical when only sources change. */
function withoutSources(text: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const cell of parseNotebook(text).cells) {
    parts.push(text.slice(from, cell.source.offset));
    from = cell.source.offset + cell.source.length;
  }
  parts.push(text.slice(from));
  return parts;
}

type SarifLog = {
  runs: {
    results: {
      ruleId: string;
      properties?: { cell: number };
      locations: { physicalLocation: { region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
      fixes?: {
        artifactChanges: {
          replacements: {
            deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number };
            insertedContent: { text: string };
          }[];
        }[];
      }[];
    }[];
  }[];
};

test('text output names the cell as Ruff does: cell N (1-based, markdown counted), then line and column in the cell', () => {
  const text = readFileSync(join(REPO_ROOT, EXAMPLE), 'utf8');
  const place = placeOf(text, FLAGGED);
  assert.equal(place.cell, 4, 'the example initializes the model in its fifth cell, after a markdown cell');
  const run = runCli(['lint', EXAMPLE, '--summary']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    new RegExp(`^${EXAMPLE}:cell ${place.cell + 1}:${place.line}:${place.column} warning .* \\[glorot-with-relu\\]$`, 'm'),
  );
  assert.match(run.stdout, /^1 problem \(0 errors, 1 warning, 0 info, 0 hints\) in 1 file\.$/m);
  // The message names the init call's place the same way, not as a line of the joined cells.
  assert.match(run.stdout, new RegExp(`uses \`nn\\.init\\.xavier_uniform_\` in cell ${place.cell + 1}, line ${place.line} before relu`));
  const model = placeOf(text, 'model = nn.Sequential(');
  assert.match(run.stdout, new RegExp(`model 'model' \\(sequential, cell ${model.cell + 1}:${model.line}, 5 layers\\)`));
  // The summary names the initializer as the messages do: by the front end's label, in the framework's words.
  assert.match(
    run.stdout,
    new RegExp(
      `^ {4}cell ${model.cell + 1}:2 +dense +relu +\`nn\\.init\\.xavier_uniform_\` in cell ${place.cell + 1}, line ${place.line} +784 `,
      'm',
    ),
  );
});

test('JSON gives every result on a notebook its "cell" (0-based index into cells) with line and column in that cell', () => {
  const text = readFileSync(join(REPO_ROOT, EXAMPLE), 'utf8');
  const run = runCli(['lint', EXAMPLE, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const [report] = JSON.parse(run.stdout) as JsonFileReport[];
  const [diagnostic] = report!.diagnostics;
  assert.deepEqual(Object.keys(diagnostic!), ['ruleId', 'severity', 'message', 'cell', 'line', 'column', 'endLine', 'endColumn', 'fix']);
  const cells = parseNotebook(text).cells;
  const cellText = cells[diagnostic!.cell!]!.text;
  const line = cellText.split('\n')[diagnostic!.line - 1]!;
  assert.equal(diagnostic!.endLine, diagnostic!.line);
  assert.equal(line.slice(diagnostic!.column - 1, diagnostic!.endColumn - 1), FLAGGED);
  assert.equal(diagnostic!.fix?.cell, diagnostic!.cell);
  const [start, end] = diagnostic!.fix!.range;
  assert.equal(cellText.slice(start, end), FLAGGED);
  assert.match(diagnostic!.fix!.text, /^nn\.init\.kaiming_uniform_\(module\.weight, nonlinearity="relu"\)$/);
  const model = report!.models[0]!;
  assert.deepEqual(Object.keys(model), ['name', 'cell', 'line', 'layers', 'predictedGradientRatio']);
  assert.equal(cells[model.cell!]!.text.split('\n')[model.line - 1], 'model = nn.Sequential(');
  assert.deepEqual(
    model.layers.map((layer) => [layer.cell, layer.line, layer.type]),
    [
      [2, 2, 'dense'],
      [2, 2, 'activation'],
      [2, 3, 'dense'],
      [2, 3, 'activation'],
      [2, 4, 'dense'],
    ],
  );
});

test('SARIF: the cell index in properties, the region at the real place in the .ipynb text, a fix that rewrites the cell source; schema-valid', () => {
  const root = folder();
  const path = join(root, 'nb.ipynb');
  writeFileSync(path, readFileSync(join(REPO_ROOT, EXAMPLE)));
  const run = runCli(['lint', 'nb.ipynb', '--format', 'sarif'], root);
  assert.equal(run.code, 0, run.stderr);
  const log = JSON.parse(run.stdout) as SarifLog;
  assert.deepEqual(sarifSchemaErrors(log), []);
  const [result] = log.runs[0]!.results;
  assert.equal(result!.properties?.cell, 4);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const region = result!.locations[0]!.physicalLocation.region;
  assert.equal(region.endLine, region.startLine);
  assert.equal(lines[region.startLine - 1]!.slice(region.startColumn - 1, region.endColumn - 1), FLAGGED);
  // Applying the SARIF fix to the file gives what --fix writes.
  const [replacement] = result!.fixes![0]!.artifactChanges[0]!.replacements;
  const offsetOf = (line: number, column: number): number =>
    lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + column - 1;
  const { deletedRegion, insertedContent } = replacement!;
  const patched =
    text.slice(0, offsetOf(deletedRegion.startLine, deletedRegion.startColumn)) +
    insertedContent.text +
    text.slice(offsetOf(deletedRegion.endLine, deletedRegion.endColumn));
  assert.equal(runCli(['lint', 'nb.ipynb', '--fix'], root).code, 0);
  assert.equal(patched, readFileSync(path, 'utf8'));
});

test("--fix rewrites only the changed cells' source; outputs (a huge base64 image), metadata and the rest stay byte-identical", () => {
  const root = folder();
  const image = 'iVBORw0KGgo' + 'A'.repeat(2_000_000) + '=';
  const cells = [
    markdownCell('# Two models (café)\nThe *first* is built here:'),
    codeCell('%matplotlib inline\n!pip install torch\nimport torch\nfrom torch import nn\n'),
    codeCell('net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))', {
      execution_count: 2,
      outputs: [
        {
          data: { 'image/png': image, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] },
          metadata: { needs_background: 'light' },
          output_type: 'display_data',
        },
      ],
    }),
    markdownCell('Initialize it:'),
    codeCell('for m in net:\n    if isinstance(m, nn.Linear):\n        nn.init.xavier_uniform_(m.weight)\n', {
      metadata: { tags: ['init'] },
    }),
    codeCell('head = nn.Sequential(nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1))\nnn.init.kaiming_normal_(head[0].weight)\n', {
      source: 'head = nn.Sequential(nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1))\nnn.init.kaiming_normal_(head[0].weight)\n',
    }),
    codeCell('print("unchanged")'),
  ];
  const metadata = { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } };
  // Formatting no JSON writer of ours would produce, so a file written back whole would differ.
  const quirks = (text: string): string =>
    text.replace('é', '\\u00e9').replace('"needs_background": "light"', '"needs_background":"light"');
  const original = quirks(jupyterNotebook(cells, metadata));
  assert.match(original, /caf\\u00e9/);
  const path = join(root, 'nb.ipynb');
  writeFileSync(path, original);

  const dryRun = runCli(['lint', 'nb.ipynb', '--fix-dry-run', '--format', 'json'], root);
  assert.equal(dryRun.code, 0, dryRun.stderr);
  assert.equal(readFileSync(path, 'utf8'), original, '--fix-dry-run writes nothing');
  const run = runCli(['lint', 'nb.ipynb', '--fix'], root);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^Fixed 2 problems in 1 file\.$/m);
  const fixed = readFileSync(path, 'utf8');
  assert.equal((JSON.parse(dryRun.stdout) as JsonFileReport[])[0]!.output, fixed, '--fix-dry-run shows what --fix writes');

  assert.deepEqual(withoutSources(fixed), withoutSources(original), "every byte outside the cells' sources is kept");
  const before = parseNotebook(original).cells;
  const after = parseNotebook(fixed).cells;
  const changed = after.filter(
    (cell, index) =>
      original.slice(before[index]!.source.offset, before[index]!.source.offset + before[index]!.source.length) !==
      fixed.slice(cell.source.offset, cell.source.offset + cell.source.length),
  );
  assert.deepEqual(
    changed.map((cell) => cell.index),
    [4, 5],
  );
  assert.equal(
    after[4]!.text,
    before[4]!.text.replace('nn.init.xavier_uniform_(m.weight)', 'nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")'),
  );
  assert.equal(after[5]!.source.form, 'string', 'a source written as one string stays one string');
  assert.doesNotMatch(after[5]!.text, /kaiming_normal_\(head\[0\]\.weight\)\n/);
  // The changed list-form cell is laid out as Jupyter saves it.
  assert.equal(
    fixed,
    quirks(
      jupyterNotebook(
        cells.map((cell, index) =>
          index === 4
            ? codeCell(after[4]!.text, { metadata: { tags: ['init'] } })
            : index === 5
              ? { ...cell, source: after[5]!.text }
              : cell,
        ),
        metadata,
      ),
    ),
  );
});

test('an invalid notebook is a clear error and exit 2; the other files of the run are still checked and reported', () => {
  const root = folder();
  writeFileSync(join(root, 'broken.ipynb'), '{"cells": [{"cell_type": "code", "source": ["x = 1"]}');
  writeFileSync(join(root, 'no-cells.ipynb'), '{"metadata": {}, "nbformat": 4}');
  writeFileSync(join(root, 'good.ipynb'), readFileSync(join(REPO_ROOT, EXAMPLE)));
  writeFileSync(
    join(root, 'model.py'),
    'import torch.nn as nn\nnet = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))\nnn.init.zeros_(net[0].weight)\n',
  );
  const text = runCli(['lint', '.'], root);
  assert.equal(text.code, 2, text.stdout + text.stderr);
  assert.match(text.stderr, /^model-lint: cannot read the notebook broken\.ipynb: not valid JSON: .* at line 1, column \d+$/m);
  assert.match(text.stderr, /^model-lint: cannot read the notebook no-cells\.ipynb: not a notebook: no "cells" array$/m);
  assert.match(text.stdout, /^good\.ipynb:cell 5:3:9 warning .*\[glorot-with-relu\]$/m);
  assert.match(text.stdout, /^model\.py:3:\d+ error .*\[symmetric-init\]$/m);
  assert.match(text.stdout, /in 2 files\.$/m);
  const json = runCli(['lint', '.', '--format', 'json'], root);
  assert.equal(json.code, 2);
  assert.deepEqual(
    (JSON.parse(json.stdout) as JsonFileReport[]).map((report) => report.filePath.slice(root.length + 1)),
    ['good.ipynb', 'model.py'],
  );
  const sarif = JSON.parse(runCli(['lint', '.', '--format', 'sarif'], root).stdout) as {
    runs: { invocations: { executionSuccessful: boolean }[] }[];
  };
  assert.deepEqual(sarifSchemaErrors(sarif), []);
  assert.equal(sarif.runs[0]!.invocations[0]!.executionSuccessful, false);
});

test('walking a folder finds notebooks and skips .ipynb_checkpoints', () => {
  const root = folder();
  mkdirSync(join(root, '.ipynb_checkpoints'));
  writeFileSync(join(root, 'nb.ipynb'), readFileSync(join(REPO_ROOT, EXAMPLE)));
  writeFileSync(join(root, '.ipynb_checkpoints', 'nb-checkpoint.ipynb'), readFileSync(join(REPO_ROOT, EXAMPLE)));
  const run = runCli(['lint', '.', '--format', 'json'], root);
  assert.deepEqual(
    (JSON.parse(run.stdout) as JsonFileReport[]).map((report) => report.filePath.slice(root.length + 1)),
    ['nb.ipynb'],
  );
});

test('magics, shell lines, cell magics and markdown between code cells do not break the reading; problems land in their cells', () => {
  const root = folder();
  writeFileSync(
    join(root, 'magic.ipynb'),
    jupyterNotebook([
      codeCell('%load_ext autoreload\n%autoreload 2\n!pip install torch\nimport torch\nfrom torch import nn\nfiles = !ls\n'),
      markdownCell('## Model\n%this is markdown, not a magic'),
      codeCell('%%bash\necho "not python: nn.init.zeros_(x)"\n'),
      codeCell('%%time\nnet = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))\nnet?\n'),
      markdownCell('Zero the first layer (a bug):'),
      codeCell('with torch.no_grad():\n    nn.init.zeros_(net[2].weight)\n'),
    ]),
  );
  const run = runCli(['lint', 'magic.ipynb', '--format', 'json'], root);
  const [report] = JSON.parse(run.stdout) as JsonFileReport[];
  const zeros = report!.diagnostics.find((d) => d.ruleId === 'symmetric-init');
  assert.ok(zeros, run.stdout);
  assert.deepEqual([zeros.cell, zeros.line, zeros.column], [5, 2, 5]);
  assert.equal(report!.models[0]?.cell, 3);
});

test('a file-wide `# model-lint: disable RULE` in one cell silences the rule in every cell, as in a .py file', () => {
  const root = folder();
  const build = 'import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))\n';
  const init = 'nn.init.xavier_uniform_(net[0].weight)\n';
  const directive = '# model-lint: disable glorot-with-relu -- weights ported from Keras\n';
  writeFileSync(join(root, 'plain.ipynb'), jupyterNotebook([codeCell(build), codeCell(init), codeCell('print(net)\n')]));
  writeFileSync(join(root, 'quiet.ipynb'), jupyterNotebook([codeCell(build), codeCell(init), codeCell(directive + 'print(net)\n')]));
  writeFileSync(join(root, 'quiet.py'), directive + build + init);
  const run = runCli(['lint', 'plain.ipynb', 'quiet.ipynb', 'quiet.py', '--format', 'json'], root);
  const rules = new Map(
    (JSON.parse(run.stdout) as JsonFileReport[]).map((r) => [basename(r.filePath), r.diagnostics.map((d) => d.ruleId)]),
  );
  assert.deepEqual(rules.get('plain.ipynb'), ['glorot-with-relu'], run.stdout);
  assert.deepEqual(rules.get('quiet.ipynb'), [], run.stdout);
  assert.deepEqual(rules.get('quiet.py'), [], run.stdout);
});

test('a 500-cell notebook is read and reported in its last cells, in reasonable time', () => {
  const root = folder();
  const cells: object[] = [codeCell('import torch\nfrom torch import nn\n')];
  for (let i = 1; i < 498; i++)
    cells.push(
      i % 2 === 1
        ? markdownCell(`Step ${i}`)
        : codeCell(`x${i} = ${i}\n`, { outputs: [{ name: 'stdout', output_type: 'stream', text: [`${i}\n`] }] }),
    );
  cells.push(
    codeCell('net = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))\n'),
    codeCell('nn.init.xavier_normal_(net[0].weight)\n'),
  );
  assert.equal(cells.length, 500);
  writeFileSync(join(root, 'big.ipynb'), jupyterNotebook(cells));
  const started = Date.now();
  const run = runCli(['lint', 'big.ipynb'], root);
  const elapsed = Date.now() - started;
  assert.match(run.stdout, /^big\.ipynb:cell 500:1:1 warning .*\[glorot-with-relu\]$/m, run.stdout + run.stderr);
  assert.ok(elapsed < 20_000, `${elapsed} ms`);
});

test('probe reads the models of a notebook and shows their lines in cells; an invalid notebook exits 2', () => {
  const run = runCli(['probe', EXAMPLE, '--steps', '2', '--format', 'json', '--exit-zero']);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as {
    models: { name: string; cell?: number; line: number; layers: { cell?: number; line: number | null; type: string }[] }[];
  };
  assert.deepEqual(
    report.models.map((model) => [model.name, model.cell, model.line]),
    [['model', 2, 1]],
  );
  assert.deepEqual(
    report.models[0]!.layers.map((layer) => [layer.type, layer.cell, layer.line]),
    [
      ['dense', 2, 2],
      ['activation', 2, 2],
      ['dense', 2, 3],
      ['activation', 2, 3],
      ['dense', 2, 4],
    ],
  );
  const text = runCli(['probe', EXAMPLE, '--steps', '2', '--exit-zero']);
  assert.match(text.stdout, /^examples\/pytorch-notebook\.ipynb:cell 3:1 {2}model 'model'$/m);
  const root = folder();
  writeFileSync(join(root, 'bad.ipynb'), 'not json');
  const bad = runCli(['probe', 'bad.ipynb'], root);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^model-lint probe: cannot read the notebook bad\.ipynb: not valid JSON/m);
});
