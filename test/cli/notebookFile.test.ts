// Reading .ipynb files: cells and languages, clear errors for what is not a notebook, offsets into the JSON strings, in-place source rewrites.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeSource, fileOffset, NotebookError, parseNotebook, rewriteSources } from '../../server/src/cli/notebookFile';

import { codeCell as code, jupyterNotebook, markdownCell } from '../helpers/notebooks';

const jupyter = (cells: object[], metadata: object = { kernelspec: { language: 'python', name: 'python3' } }): string =>
  jupyterNotebook(cells, metadata);
const markdown = (text: string) => ({ ...markdownCell(text), source: text });

test('cells keep their index; code cells are Python unless the notebook or the cell says otherwise', () => {
  const text = jupyter([
    markdown('# Title'),
    code('import torch\nx = 1\n'),
    code('%%R\nx <- 1', { metadata: { vscode: { languageId: 'r' } } }),
    { cell_type: 'raw', metadata: {}, source: 'raw' },
  ]);
  const notebook = parseNotebook(text);
  assert.equal(notebook.language, 'python');
  assert.deepEqual(
    notebook.cells.map((cell) => [cell.index, cell.cellType, cell.isPythonCode, cell.text]),
    [
      [0, 'markdown', false, '# Title'],
      [1, 'code', true, 'import torch\nx = 1\n'],
      [2, 'code', false, '%%R\nx <- 1'],
      [3, 'raw', false, 'raw'],
    ],
  );
  assert.deepEqual(
    notebook.cells.map((cell) => cell.source.form),
    ['string', 'list', 'list', 'string'],
  );
  const julia = parseNotebook(jupyter([code('x = 1')], { language_info: { name: 'julia' } }));
  assert.equal(julia.cells[0]!.isPythonCode, false);
  assert.equal(parseNotebook(jupyter([code('x = 1')], {})).cells[0]!.isPythonCode, true, 'Python when the language is not given');
  const pythonCellInR = parseNotebook(
    jupyter([code('x = 1', { metadata: { vscode: { languageId: 'python' } } })], { kernelspec: { language: 'R' } }),
  );
  assert.equal(pythonCellInR.cells[0]!.isPythonCode, true);
});

test('what is not a notebook is one clear error', () => {
  const cases: [string, RegExp][] = [
    ['{"cells": [', /^not valid JSON: .* at line 1, column \d+$/],
    ['', /empty file|not valid JSON/],
    ['[1, 2]', /the JSON is not an object/],
    ['{"metadata": {}}', /no "cells" array$/],
    ['{"worksheets": [{"cells": []}], "nbformat": 3}', /no "cells" array \(nbformat 3/],
    ['{"cells": [{"cell_type": "code", "source": 42}]}', /cell 1: "source" is a number, not a string or a list of strings/],
    ['{"cells": [{"cell_type": "code"}]}', /cell 1: "source" is missing/],
    ['{"cells": [{"cell_type": "code", "source": ["a", 1]}]}', /cell 1: an element of "source" is not a string/],
    ['{"cells": ["x"]}', /cell 1 is not an object/],
    ['{"cells": [], // a comment\n}', /not valid JSON/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseNotebook(text),
      (error: unknown) => error instanceof NotebookError && message.test(error.message),
      text,
    );
  }
});

test('a cell offset maps into its JSON string in the file, escapes included', () => {
  const cellText = 'x = "é"\\\nprint(x)\t# \u2028done\n';
  const text = jupyter([markdown('# T'), code(cellText)]).replace('é', '\\u00e9');
  const cell = parseNotebook(text).cells[1]!;
  assert.equal(cell.text, cellText);
  for (let start = 0; start < cellText.length; start++) {
    for (const end of [start, start + 1, Math.min(cellText.length, start + 5)]) {
      const fileStart = fileOffset(text, cell, start, 'start');
      const fileEnd = fileOffset(text, cell, end, 'end');
      const raw = text.slice(fileStart, fileEnd);
      // The raw text between the two offsets decodes (list quotes and commas aside) to the cell's text.
      const decoded = raw
        .split(/",\s*"/)
        .map((part) => JSON.parse(`"${part}"`) as string)
        .join('');
      assert.equal(decoded, cellText.slice(start, end), `${start}-${end}`);
    }
  }
});

test('a changed source is re-encoded in its own form and layout; every other byte is kept', () => {
  const original = jupyter([
    markdown('# T'),
    code('import torch\nx = 1\n'),
    code('y = 2', { outputs: [{ output_type: 'stream', name: 'stdout', text: ['2\n'] }] }),
    code(''),
  ]);
  const notebook = parseNotebook(original);
  const rewritten = rewriteSources(
    original,
    notebook,
    new Map([
      [1, 'import torch\nx = "2"\nz = 3'],
      [3, 'w = 4\n'],
    ]),
  );
  const again = parseNotebook(rewritten);
  assert.deepEqual(
    again.cells.map((cell) => cell.text),
    ['# T', 'import torch\nx = "2"\nz = 3', 'y = 2', 'w = 4\n'],
  );
  // Jupyter's own layout for the changed cells, so the result is what Jupyter would save.
  const jupyterSaved = jupyter([
    markdown('# T'),
    code('import torch\nx = "2"\nz = 3'),
    code('y = 2', { outputs: [{ output_type: 'stream', name: 'stdout', text: ['2\n'] }] }),
    code('w = 4\n'),
  ]);
  assert.equal(rewritten, jupyterSaved);
  // Unchanged texts leave the file as it was.
  assert.equal(rewriteSources(original, notebook, new Map([[1, 'import torch\nx = 1\n']])), original);
});

test('string sources, one-line lists and CRLF files keep their form', () => {
  const minified =
    '{"cells":[{"cell_type":"code","metadata":{},"outputs":[],"source":["a = 1\\n","b = 2"]},{"cell_type":"code","metadata":{},"outputs":[],"source":"c = 3"}],"metadata":{},"nbformat":4,"nbformat_minor":5}';
  const notebook = parseNotebook(minified);
  const rewritten = rewriteSources(
    minified,
    notebook,
    new Map([
      [0, 'a = 10\nb = 2\n'],
      [1, 'c = 30\n'],
    ]),
  );
  assert.equal(rewritten, minified.replace('["a = 1\\n","b = 2"]', '["a = 10\\n","b = 2\\n"]').replace('"c = 3"', '"c = 30\\n"'));
  const crlf = jupyter([code('a = 1\nb = 2')]).replace(/\n/g, '\r\n');
  const fixed = rewriteSources(crlf, parseNotebook(crlf), new Map([[0, 'a = 1\nb = 3\nc = 4']]));
  assert.equal(fixed, jupyter([code('a = 1\nb = 3\nc = 4')]).replace(/\n/g, '\r\n'));
  assert.equal(encodeSource(crlf, parseNotebook(crlf).cells[0]!.source, ''), '[]');
});
