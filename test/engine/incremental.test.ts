// Incremental re-parsing (engine) and the server's per-document cache: after any sequence of edits the result equals a fresh analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/engine/analyze';
import { changeBetween, IncrementalParser } from '../../server/src/engine/incremental';
import { readPythonSyntax, type PythonSyntax } from '../../server/src/engine/frontends/python/syntax';
import { Tree, type TreeBuffer } from '@lezer/common';
import { AnalysisCache, fileNameOf } from '../../server/src/lsp/documents';
import { toLspDiagnostics } from '../../server/src/lsp/diagnostics';

const EXAMPLES = join(__dirname, '../../../examples');
const codeExamples = readdirSync(EXAMPLES)
  .filter((name) => /\.(ts|js)$/.test(name))
  .map((name) => ({
    name,
    text: readFileSync(join(EXAMPLES, name), 'utf8'),
  }));

/** Snippets a user types or pastes: digits, names, brackets that unbalance the file, a whole layer, a suppression comment. */
const SNIPPETS = [
  '1',
  '0',
  ' ',
  '\n',
  'a',
  "'",
  '"',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ';',
  '/*',
  '*/',
  '//',
  'relu',
  'tanh',
  'glorotNormal',
  "tf.layers.dense({units: 4, activation: 'relu'}),",
  "model.add(tf.layers.dense({units: 8, kernelInitializer: 'zeros'}));\n",
  '// model-lint-disable-next-line\n',
  'for (let i = 0; i < 3; i++) {',
  '`',
  '${',
  'const x = 2 *',
];

/** One edit: replace [at, at + removed) with a snippet (or with nothing), positions taken modulo the text length. */
const edit = fc.record({
  at: fc.nat(),
  removed: fc.oneof(fc.constant(0), fc.constant(1), fc.nat({ max: 40 })),
  insert: fc.oneof(fc.constantFrom(...SNIPPETS), fc.constant('')),
});

function applyEdit(text: string, change: { at: number; removed: number; insert: string }): { text: string; start: number; end: number } {
  const start = change.at % (text.length + 1);
  const end = Math.min(text.length, start + change.removed);
  return { text: text.slice(0, start) + change.insert + text.slice(end), start, end };
}

test('changeBetween gives the range that turns one text into the other', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (before, after) => {
      const change = changeBetween(before, after);
      const rebuilt =
        before.slice(0, change.span.start) +
        after.slice(change.span.start, change.span.start + change.newLength) +
        before.slice(change.span.start + change.span.length);
      assert.equal(rebuilt, after);
    }),
    { numRuns: 500, seed: 7 },
  );
  assert.deepEqual(changeBetween('units: 64', 'units: 65'), { span: { start: 8, length: 1 }, newLength: 1 });
  // Long texts (compared block-wise): an edit at every distance from the ends, and repeated text around it.
  const long = 'abcdefghij'.repeat(300);
  for (const at of [0, 1, 255, 256, 257, 1500, 2743, 2744, 2999]) {
    assert.deepEqual(changeBetween(long, long.slice(0, at) + 'XY' + long.slice(at + 1)), { span: { start: at, length: 1 }, newLength: 2 });
  }
  assert.deepEqual(changeBetween(long, long + long), { span: { start: 3000, length: 0 }, newLength: 3000 });
  assert.deepEqual(changeBetween(long, long), { span: { start: 3000, length: 0 }, newLength: 0 });
});

test('analysis with the incremental parser equals a fresh analysis after every edit of a typing session', () => {
  assert.ok(codeExamples.length >= 4, 'the TS/JS examples are there');
  fc.assert(
    fc.property(fc.constantFrom(...codeExamples), fc.array(edit, { minLength: 1, maxLength: 12 }), (example, edits) => {
      const parser = new IncrementalParser();
      let text = example.text;
      assert.deepEqual(analyze(text, example.name, {}, parser.parse), analyze(text, example.name));
      for (const change of edits) {
        text = applyEdit(text, change).text;
        assert.deepEqual(analyze(text, example.name, {}, parser.parse), analyze(text, example.name), `after an edit of ${example.name}`);
      }
      // Analysing the same version again (settings changed) reuses the tree as it is.
      assert.deepEqual(
        analyze(text, example.name, { rules: { 'recurrent-init': 'off' } }, parser.parse),
        analyze(text, example.name, { rules: { 'recurrent-init': 'off' } }),
      );
    }),
    { numRuns: 120, seed: 20261129 },
  );
});

test('the incremental parser follows a document whose name or language changes, and JSON text', () => {
  const parser = new IncrementalParser();
  const ts = codeExamples[0]!;
  assert.deepEqual(analyze(ts.text, 'a.ts', {}, parser.parse), analyze(ts.text, 'a.ts'));
  // Same text as JavaScript: a different script kind, so a fresh tree.
  assert.deepEqual(analyze(ts.text, 'a.js', {}, parser.parse), analyze(ts.text, 'a.js'));
  const json = readFileSync(join(EXAMPLES, 'keras-cnn.json'), 'utf8');
  const fromJson = analyze(json, 'model.json', {}, parser.parse);
  assert.deepEqual(fromJson, analyze(json, 'model.json'));
  assert.ok(fromJson.models.length > 0);
  assert.deepEqual(analyze(ts.text.replace('units', 'unit'), 'a.ts', {}, parser.parse), analyze(ts.text.replace('units', 'unit'), 'a.ts'));
});

test('the server cache publishes, after each incremental change, the diagnostics of a fresh analysis (more documents than kept trees)', () => {
  const cache = new AnalysisCache((message) => assert.fail(message));
  // Six documents edited in turn: more than the cache keeps trees for, so trees are dropped and rebuilt.
  const documents = Array.from({ length: 6 }, (_, i) => {
    const example = codeExamples[i % codeExamples.length]!;
    return TextDocument.create(
      `file:///project/doc${i}-${example.name}`,
      example.name.endsWith('.js') ? 'javascript' : 'typescript',
      1,
      example.text,
    );
  });
  // The settings cache hands out one options object per settings state; the analysis cache compares by identity.
  const options = {};
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat({ max: 5 }), edit), { minLength: 1, maxLength: 30 }), (steps) => {
      for (const [which, change] of steps) {
        const document = documents[which]!;
        const before = document.getText();
        const { start, end } = applyEdit(before, change);
        TextDocument.update(
          document,
          [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, text: change.insert }],
          document.version + 1,
        );
        const cached = cache.get(document, options);
        assert.equal(cached.version, document.version);
        const fresh = analyze(document.getText(), fileNameOf(document), {});
        assert.deepEqual(cached.result, fresh);
        assert.deepEqual(cached.diagnostics, toLspDiagnostics(document, fresh));
        // The same version again comes from the cache, not from a second analysis.
        assert.equal(cache.get(document, options), cached);
      }
    }),
    { numRuns: 25, seed: 11 },
  );
});

test('a new version with the text last analysed reuses that result, republished for the new version', () => {
  const cache = new AnalysisCache((message) => assert.fail(message));
  const options = {};
  const example = codeExamples.find((e) => e.name.endsWith('.ts'))!;
  const document = TextDocument.create('file:///project/typed.ts', 'typescript', 1, example.text);
  const first = cache.get(document, options);
  assert.ok(first.diagnostics.length > 0, 'the example has problems to publish');
  // A character typed and deleted again before the validation ran: version 3 has version 1's text.
  TextDocument.update(document, [{ range: { start: document.positionAt(10), end: document.positionAt(10) }, text: 'x' }], 2);
  TextDocument.update(document, [{ range: { start: document.positionAt(10), end: document.positionAt(11) }, text: '' }], 3);
  const third = cache.get(document, options);
  assert.equal(third.version, 3);
  assert.equal(third.result, first.result, 'the engine did not run again');
  assert.equal(third.analysisMs, 0);
  assert.deepEqual(third.diagnostics, toLspDiagnostics(document, analyze(document.getText(), fileNameOf(document), options)));
  assert.ok(third.diagnostics.every((d) => (d.data as { version: number }).version === 3));
  assert.equal(third.problemsByKey.size, first.problemsByKey.size);
  // Other options, or other text: analysed again.
  assert.notEqual(cache.get(document, { rules: {} }).result, first.result);
  TextDocument.update(document, [{ range: { start: document.positionAt(0), end: document.positionAt(0) }, text: ' ' }], 4);
  assert.notEqual(cache.get(document, options).result, first.result);
});

const pythonExamples = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith('.py'))
  .map((name) => ({
    name,
    text: readFileSync(join(EXAMPLES, name), 'utf8'),
  }));

/** What a user types in PyTorch / Keras code: indentation, colons, brackets, strings, a layer, an init call, a magic. */
const PYTHON_SNIPPETS = [
  '1',
  '0',
  ' ',
  '    ',
  '\n',
  '\n    ',
  ':',
  'a',
  "'",
  '"',
  '"""',
  '(',
  ')',
  '[',
  ']',
  ',',
  '#',
  '\\',
  'relu',
  'tanh',
  'nn.Linear(64, 64),',
  "layers.Dense(8, activation='relu'),",
  'nn.init.zeros_(self.fc1.weight)\n',
  'def f(x):\n    return x\n',
  'for _ in range(3):\n',
  'class M(nn.Module):\n',
  '# model-lint: disable-next-line\n',
  'if True:\n    ',
  '%matplotlib inline\n',
  'x = (',
];

test('Python: analysis with the incremental parser equals a fresh analysis after every edit of a typing session', () => {
  assert.ok(pythonExamples.length >= 4, 'the Python examples are there');
  const pythonEdit = fc.record({
    at: fc.nat(),
    removed: fc.oneof(fc.constant(0), fc.constant(1), fc.nat({ max: 60 })),
    insert: fc.oneof(fc.constantFrom(...PYTHON_SNIPPETS), fc.constant('')),
  });
  fc.assert(
    fc.property(fc.constantFrom(...pythonExamples), fc.array(pythonEdit, { minLength: 1, maxLength: 15 }), (example, edits) => {
      const parser = new IncrementalParser();
      let text = example.text;
      assert.deepEqual(analyze(text, example.name, {}, parser.parse), analyze(text, example.name));
      for (const change of edits) {
        text = applyEdit(text, change).text;
        assert.deepEqual(
          analyze(text, example.name, {}, parser.parse),
          analyze(text, example.name),
          `after an edit of ${example.name}:\n${text}`,
        );
      }
      assert.deepEqual(analyze(text, example.name, {}, parser.parse), analyze(text, example.name));
    }),
    { numRuns: 150, seed: 20261204 },
  );
});

/** Applies the edits one by one, re-parsing incrementally: tree, notes, error flag and input equal a fresh parse's each time. */
function assertReparsesLikeFresh(module: string, edits: { at: number; removed: number; insert: string }[]): void {
  let text = module;
  let syntax = readPythonSyntax(text);
  for (const change of edits) {
    text = applyEdit(text, change).text;
    syntax = readPythonSyntax(text, syntax);
    const fresh = readPythonSyntax(text);
    assert.equal(syntax.tree.toString(), fresh.tree.toString());
    assert.deepEqual([syntax.notes, syntax.hasErrors, syntax.input], [fresh.notes, fresh.hasErrors, fresh.input], JSON.stringify(edits));
  }
}

test('Python: the incremental lezer tree equals a fresh parse, edit after edit', () => {
  // Every example twice over: lezer reuses only nodes well away from a change, so a small file would hide a wrong range.
  const module = [...pythonExamples, ...pythonExamples].map((example) => example.text).join('\n\n');
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.nat(), removed: fc.nat({ max: 20 }), insert: fc.constantFrom(...PYTHON_SNIPPETS, '') }), {
        minLength: 1,
        maxLength: 25,
      }),
      (edits) => assertReparsesLikeFresh(module, edits),
    ),
    { numRuns: 100, seed: 5 },
  );
});

test('Python: typing out of a syntax error re-parses from the last error-free tree, and the tree equals a fresh parse', () => {
  const module = [...pythonExamples, ...pythonExamples].map((example) => example.text).join('\n\n');
  const at = module.indexOf('\n', module.length >> 1) + 1;
  const parser = new IncrementalParser();
  const version = (line: string): PythonSyntax => {
    const text = `${module.slice(0, at)}${line}\n${module.slice(at)}`;
    parser.parse(text, 'm.py');
    const syntax = parser.pythonSyntax!;
    assert.equal(syntax.tree.toString(), readPythonSyntax(text).tree.toString());
    return syntax;
  };
  /** The subtrees and buffers of a tree, by identity: lezer puts the ones it reuses into the new tree. */
  const parts = (tree: Tree | TreeBuffer, into = new Set<Tree | TreeBuffer>()): Set<Tree | TreeBuffer> => {
    into.add(tree);
    if (tree instanceof Tree) for (const child of tree.children) parts(child, into);
    return into;
  };
  /** How many characters of `tree` lie in parts taken over from `from`. */
  const reused = (tree: Tree | TreeBuffer, from: Set<Tree | TreeBuffer>): number =>
    from.has(tree) ? tree.length : tree instanceof Tree ? tree.children.reduce((sum, child) => sum + reused(child, from), 0) : 0;
  const clean = parts(version('x = nn').tree);
  assert.ok(version('x = nn.').hasErrors);
  assert.ok(version('x = nn.(').hasErrors, 'two versions with errors in a row');
  const share = reused(version('x = nn.T').tree, clean) / module.length;
  assert.ok(share > 0.5, `share of the text in parts of the last error-free tree: ${share.toFixed(2)}`);
});

test('Python: over-nested statements and syntax errors are found again after each edit, as a fresh parse finds them', () => {
  // A statement at CPython's nesting limit, and one past it: an edit may push the first over or pull the second back.
  const nested = (depth: number): string => `${'('.repeat(depth)}1${')'.repeat(depth)}`;
  const withinLimit = `import torch.nn as nn\n\nat_limit = ${nested(200)}\nx = 10\ny = 'a(b'  # (\n`;
  const pastLimit = `${withinLimit}past_limit = ${nested(201)}\n`;
  const openAt = withinLimit.indexOf('1)');
  const digitAt = withinLimit.indexOf('x = 10') + 4;
  const commentAt = withinLimit.indexOf('# (') + 1;
  const stringAt = withinLimit.indexOf("'a(b") + 1;
  const pastAt = pastLimit.lastIndexOf('1)');
  // At the limit, with a bracket in a string (behind an escaped quote) and in a comment: a bracket that stops being
  // string or comment goes over it.
  const hidden = `deep = ${'('.repeat(200)}\n'a\\'(b'  # (\n1\n${')'.repeat(200)}\n`;
  const escapeAt = hidden.indexOf('\\');
  const hashAt = hidden.indexOf('#');
  assert.deepEqual(
    [readPythonSyntax(withinLimit).notes.length, readPythonSyntax(pastLimit).notes.length, readPythonSyntax(hidden).notes.length],
    [0, 1, 0],
    'one statement is past the limit, in one module only',
  );
  const cases: [string, { at: number; removed: number; insert: string }[]][] = [
    [withinLimit, [{ at: openAt, removed: 0, insert: '(' }]], // the statement at the limit goes over it
    [withinLimit, [{ at: openAt, removed: 0, insert: '(((' }]],
    [withinLimit, [{ at: digitAt, removed: 1, insert: '2' }]], // a digit elsewhere
    [withinLimit, [{ at: commentAt, removed: 0, insert: '\n' }]], // the comment's bracket becomes code
    [withinLimit, [{ at: stringAt, removed: 0, insert: "'" }]], // the string's bracket becomes code
    [withinLimit, [{ at: stringAt, removed: 0, insert: '\\' }]],
    [hidden, [{ at: hashAt, removed: 1, insert: '' }]],
    [hidden, [{ at: hashAt + 1, removed: 0, insert: '\n' }]],
    [hidden, [{ at: hashAt + 1, removed: 0, insert: '\r' }]],
    [hidden, [{ at: escapeAt, removed: 1, insert: '' }]],
    [hidden, [{ at: hashAt - 1, removed: 0, insert: '0' }]],
    [pastLimit, [{ at: pastAt, removed: 0, insert: '7' }]], // a digit inside the over-nested statement
    [pastLimit, [{ at: pastLimit.indexOf('past_limit = ') + 13, removed: 1, insert: '' }]], // one bracket fewer: within the limit
    [
      withinLimit,
      [
        { at: digitAt, removed: 1, insert: '"' }, // an unclosed string, then closed again
        { at: digitAt, removed: 1, insert: '3' },
      ],
    ],
    [
      withinLimit,
      [
        { at: digitAt, removed: 0, insert: ')' }, // a syntax error, then fixed
        { at: digitAt, removed: 1, insert: '' },
      ],
    ],
  ];
  for (const [module, edits] of cases) assertReparsesLikeFresh(module, edits);
});

test('Python: a document that turns from TypeScript into Python and back is followed', () => {
  const parser = new IncrementalParser();
  const py = pythonExamples[0]!;
  const ts = codeExamples[0]!;
  assert.deepEqual(analyze(py.text, 'm.py', {}, parser.parse), analyze(py.text, 'm.py'));
  assert.deepEqual(analyze(ts.text, 'm.ts', {}, parser.parse), analyze(ts.text, 'm.ts'));
  assert.deepEqual(
    analyze(py.text.replace('import', 'imp ort'), 'm.py', {}, parser.parse),
    analyze(py.text.replace('import', 'imp ort'), 'm.py'),
  );
  assert.deepEqual(analyze('x = 1\n', 'm.py', {}, parser.parse), analyze('x = 1\n', 'm.py'));
  assert.deepEqual(analyze(py.text, 'm.py', {}, parser.parse), analyze(py.text, 'm.py'));
});

test('Python: a model carried over past an edit keeps every invalid value a fresh analysis finds', () => {
  // A layer with an invalid size and a non-finite alpha: the moved copy of the checked model must not be checked
  // again, or the second check, finding only the alpha (the size is already unknown), would drop the size.
  const before = [
    'import torch.nn as nn',
    '',
    '',
    'class Pad(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.x = 1',
    '',
    '',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.body = nn.Sequential(nn.Linear(10, -5), nn.LeakyReLU(1e400), nn.Linear(5, 1))',
    '',
    '    def forward(self, x):',
    '        return self.body(x)',
    '',
  ].join('\n');
  const after = before.replace('self.x = 1', 'self.x = 12');
  const parser = new IncrementalParser();
  const first = analyze(before, 'm.py', {}, parser.parse);
  const invalidKeys = first.models.flatMap((entry) => entry.model.layers.flatMap((layer) => (layer.invalidValues ?? []).map((v) => v.key)));
  assert.ok(invalidKeys.includes('units') && invalidKeys.includes('alpha'), `the fixture has both: ${invalidKeys.join(', ')}`);
  assert.deepEqual(analyze(after, 'm.py', {}, parser.parse), analyze(after, 'm.py'));
});
