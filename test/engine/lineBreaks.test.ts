// One line index for every face: a lone '\r' (classic Mac line breaks) ends a line for suppression comments, the CLI
// and the probe report, as it does for editors and the TypeScript parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../server/src/engine/analyze';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { runProbeRequest } from '../../server/src/probe/runner';
import { notebookProbeSource } from '../../server/src/cli/notebookLint';
import { codeCell, jupyterNotebook } from '../helpers/notebooks';

const lines = [
  "import * as tf from '@tensorflow/tfjs';",
  'const model = tf.sequential();',
  "model.add(tf.layers.dense({units: 32, inputShape: [32], activation: 'relu', kernelInitializer: 'glorotNormal'}));",
  '// model-lint-disable-next-line glorot-with-relu',
  "model.add(tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: 'glorotNormal'}));",
  "model.add(tf.layers.dense({units: 1, kernelInitializer: 'heNormal'})); // model-lint-disable-line",
  '',
];

const flaggedLines = (text: string): number[] => {
  const index = new LineIndex(text);
  return analyze(text, 'model.ts')
    .diagnostics.filter((d) => d.ruleId === 'glorot-with-relu')
    .map((d) => index.positionAt(d.span.start).line);
};

test('suppression comments count lines the same with \\n, \\r\\n and a lone \\r', () => {
  const expected = flaggedLines(lines.join('\n'));
  assert.deepEqual(expected, [3]);
  assert.deepEqual(flaggedLines(lines.join('\r\n')), expected);
  assert.deepEqual(flaggedLines(lines.join('\r')), expected);
});

test('the probe report gives model and layer lines by the same line index', async () => {
  const text = lines.join('\r');
  const report = await runProbeRequest({ text, fileName: 'model.ts', backend: 'cpu', options: { steps: 1, batchSize: 4 } as never });
  const [model] = report.models;
  assert.ok(model && !model.error, model?.error);
  assert.equal(model.line, 2);
  assert.deepEqual(
    model.layers.map((layer) => layer.line),
    [3, 5, 6],
  );
});

test('a notebook probe line is placed in its cell by the same line index', () => {
  const notebook = jupyterNotebook([codeCell('a = 1\rb = 2\n'), codeCell('c = 3\n')]);
  const source = notebookProbeSource(notebook);
  const lineOfC = new LineIndex(source.text).positionAt(source.text.indexOf('c = 3')).line;
  assert.deepEqual(source.place(lineOfC), { cell: 1, line: 1 });
  assert.deepEqual(source.place(2), { cell: 0, line: 2 });
});

test('LineIndex gives every offset the line and column of a plain split at \\r\\n, \\r and \\n', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('a', ' ', '\n', '\r', '\r\n', 'é', '\t'), { maxLength: 60 }).map((parts) => parts.join('')),
      (text) => {
        const starts = [0];
        const breaks = /\r\n|\r|\n/g;
        for (let found = breaks.exec(text); found !== null; found = breaks.exec(text)) starts.push(found.index + found[0].length);
        const index = new LineIndex(text);
        assert.equal(index.lineCount, starts.length);
        starts.forEach((start, line) => assert.equal(index.lineStart(line + 1), start));
        for (let offset = 0; offset <= text.length; offset++) {
          const line = starts.filter((start) => start <= offset).length;
          assert.deepEqual(index.positionAt(offset), { line, column: offset - starts[line - 1]! + 1 });
        }
      },
    ),
    { numRuns: 300, seed: 12 },
  );
});
