// The Python reader's definition cache (language server only): a definition an edit did not touch is carried over,
// and the analysis is always the one a fresh read gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../../../server/src/engine/analyze';
import { IncrementalParser } from '../../../../server/src/engine/incremental';
import { analyzeNotebook } from '../../../../server/src/engine/notebook';
import { movedModel, offsetMapOf } from '../../../../server/src/engine/movedModel';
import { checkModelConfigs } from '../../../../server/src/engine/configChecks';
import type { Layer, Model } from '../../../../server/src/engine/ir';
import { parsePython } from '../../../../server/src/engine/frontends/python';
import { parsePythonTree, statementsOf } from '../../../../server/src/engine/frontends/python/syntax';

const ROOT = join(__dirname, '../../../../..');
const pythonFiles = [
  ...readdirSync(join(ROOT, 'examples'))
    .filter((name) => name.endsWith('.py'))
    .map((name) => join(ROOT, 'examples', name)),
  ...readdirSync(join(ROOT, 'test/fixtures/python'))
    .filter((name) => name.endsWith('.py'))
    .map((name) => join(ROOT, 'test/fixtures/python', name)),
].map((path) => ({ name: path.slice(ROOT.length + 1), text: readFileSync(path, 'utf8') }));

/** A module of definitions nothing else names (each read on its own), with a helper, a constant and an init function they share. */
const MODULE = `import math
import torch
import torch.nn as nn
from tensorflow import keras
from tensorflow.keras import layers

HIDDEN = 128


def init_weights(module):
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)


def block(width, activation):
    return nn.Sequential(nn.Linear(width, width), activation)


class DeepTanh(nn.Module):
    def __init__(self, depth=6):
        super().__init__()
        self.layers = nn.ModuleList([block(HIDDEN, nn.Tanh()) for _ in range(depth)])
        self.apply(init_weights)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class ReluNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, 10)
        nn.init.normal_(self.fc1.weight, std=0.01)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def make_sequential(in_features=64):
    return nn.Sequential(nn.Linear(in_features, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 1))


def build_keras(input_dim=32):
    inputs = keras.Input(shape=(input_dim,))
    x = layers.Dense(64, activation='relu', kernel_initializer='glorot_uniform')(inputs)
    x = layers.Dense(64, activation='selu', kernel_initializer='he_normal')(x)
    outputs = layers.Dense(1, activation='sigmoid')(x)
    return keras.Model(inputs, outputs)


def build_sigmoid_stack():
    model = keras.Sequential()
    for _ in range(8):
        model.add(layers.Dense(HIDDEN, activation='sigmoid'))
    return model
`;

/** The module with the models built at top level, as a notebook's cells or a script do, and shown with print. */
const BUILT = `${MODULE}

net_a = DeepTanh(4)
print(net_a)
net_b = ReluNet()
net_b
net_c = make_sequential(in_features=HIDDEN)
`;

/** The ranges of the top-level function and class definitions: where an edit may leave the rest of the file as it was. */
function definitionRanges(text: string): { from: number; to: number }[] {
  return statementsOf(parsePythonTree(text).topNode)
    .filter((node) => /^(FunctionDefinition|ClassDefinition|DecoratedStatement)$/.test(node.name))
    .map((node) => ({ from: node.from, to: node.to }));
}

/** Edits that keep the line count: what most keystrokes inside a definition are. */
const INLINE_SNIPPETS = ['1', '0', '7', ' ', 'a', '(', ')', ',', "'", 'relu', 'tanh', 'nn.Linear(8, 8)', "activation='selu'", '#'];
/** Lines added at the start of a line (Enter, a comment, a pasted line); a line break removed joins two lines. */
const LINE_SNIPPETS = ['\n', '\n\n', '# a note\n', '        # a note\n', '\n        self.extra = nn.Linear(4, 4)'];

/**
 * Random edits inside the definitions of the bundled files: after each, the analysis equals a fresh one. Returns how
 * many definitions were carried over in all, and over edits that added or removed a line. `removals` says whether an
 * edit may remove text across a line break.
 */
function editInsideDefinitions(
  snippets: string[],
  removals: 'within a line' | 'across lines',
  seed: number,
): { carried: number; acrossLines: number } {
  let carried = 0;
  let acrossLines = 0;
  const files = [
    { name: 'module.py', text: MODULE },
    { name: 'built.py', text: BUILT },
    ...pythonFiles.filter((file) => definitionRanges(file.text).length >= 2),
  ];
  fc.assert(
    fc.property(
      fc.constantFrom(...files),
      fc.array(fc.record({ pick: fc.nat(), at: fc.nat(), removed: fc.nat({ max: 3 }), insert: fc.constantFrom(...snippets, '') }), {
        minLength: 1,
        maxLength: 8,
      }),
      (file, edits) => {
        const parser = new IncrementalParser();
        let text = file.text;
        assert.deepEqual(analyze(text, file.name, {}, parser.parse), analyze(text, file.name));
        for (const edit of edits) {
          const ranges = definitionRanges(text);
          if (ranges.length === 0) break;
          const range = ranges[edit.pick % ranges.length];
          let at = range.from + 1 + (edit.at % Math.max(1, range.to - range.from - 1));
          // A line goes in at the start of a line, where Enter or a paste puts it.
          if (LINE_SNIPPETS.includes(edit.insert)) at = text.lastIndexOf('\n', at - 1) + 1;
          const removesLines = text.slice(at, at + edit.removed).includes('\n');
          const removed = removesLines && removals === 'within a line' ? 0 : edit.removed;
          const changesLines = edit.insert.includes('\n') || (removesLines && removed > 0);
          text = text.slice(0, at) + edit.insert + text.slice(at + removed);
          assert.deepEqual(analyze(text, file.name, {}, parser.parse), analyze(text, file.name), `after an edit of ${file.name}:\n${text}`);
          carried += parser.definitions.reusedLastTime;
          if (changesLines) acrossLines += parser.definitions.reusedLastTime;
        }
      },
    ),
    { numRuns: 120, seed },
  );
  return { carried, acrossLines };
}

test('edits inside a definition: the others are carried over and the analysis equals a fresh one', () => {
  const { carried } = editInsideDefinitions(INLINE_SNIPPETS, 'within a line', 20261204);
  assert.ok(carried > 50, `definitions carried over across the runs: ${carried}`);
});

test('edits that add or remove lines: the definitions before them are carried over and the analysis equals a fresh one', () => {
  const { acrossLines } = editInsideDefinitions([...LINE_SNIPPETS, '1', '0', ' '], 'across lines', 20261205);
  assert.ok(acrossLines > 10, `definitions carried over past an edit that added or removed a line: ${acrossLines}`);
});

/** Analyses `before`, then `after` with the same incremental parser: the result, checked against a fresh analysis, and what was carried over. */
function afterEdit(before: string, after: string): { result: ReturnType<typeof analyze>; carried: number } {
  const parser = new IncrementalParser();
  assert.deepEqual(analyze(before, 'm.py', {}, parser.parse), analyze(before, 'm.py'));
  const result = analyze(after, 'm.py', {}, parser.parse);
  assert.deepEqual(result, analyze(after, 'm.py'));
  return { result, carried: parser.definitions.reusedLastTime };
}

test('a line added or removed: what lies before it is carried over, and a label naming a line after it is read again', () => {
  const before = `import torch.nn as nn


def make_net():
    net = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8))
    net.apply(init_weights)
    return net


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.zeros_(m.weight)


def make_tanh():
    return nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 4), nn.Tanh())
`;
  const labelOf = (result: ReturnType<typeof analyze>): string =>
    result.models.find((m) => m.model.name === 'net')?.model.layers[0].kernelInitializer?.label ?? '';
  assert.match(labelOf(afterEdit(before, before).result), /zeros_` on line 12/);
  // Enter typed between make_net and init_weights: make_net's reading names a line that moved, so it is read again.
  const entered = afterEdit(before, before.replace('    return net\n', '    return net\n\n'));
  assert.match(labelOf(entered.result), /zeros_` on line 13/);
  assert.equal(entered.carried, 0, 'make_net reads init_weights, whose place moved; make_tanh lies after the edit');
  // Lines added at the end, as when writing new code: every definition is carried over.
  const appended = afterEdit(before, `${before}\n\ndef make_relu():\n    return nn.Sequential(nn.Linear(2, 2), nn.ReLU())\n`);
  assert.equal(appended.carried, 2, 'make_net and make_tanh are carried over');
  // A line removed between init_weights and make_tanh: make_net is carried over, make_tanh read again.
  const joined = afterEdit(before, before.replace('m.weight)\n\n\ndef', 'm.weight)\n\ndef'));
  assert.equal(joined.carried, 1, 'make_net is carried over');
});

test('a version with a syntax error carries over the readings that end before the error, and is not remembered', () => {
  const parser = new IncrementalParser();
  const step = (text: string): number => {
    assert.deepEqual(analyze(text, 'm.py', {}, parser.parse), analyze(text, 'm.py'));
    return parser.definitions.reusedLastTime;
  };
  step(MODULE);
  // Typing `nn.Tanh()` in build_sigmoid_stack, the last definition: the first two keystrokes leave errors.
  const at = MODULE.indexOf("model.add(layers.Dense(HIDDEN, activation='sigmoid'))");
  const typed = (part: string): string => `${MODULE.slice(0, at)}x = ${part}\n        ${MODULE.slice(at)}`;
  assert.ok(step(typed('nn.')) >= 3, 'the definitions before the error are carried over');
  assert.ok(step(typed('nn.Tanh(')) >= 3, 'again, from the last version without an error');
  assert.ok(step(typed('nn.Tanh()')) >= 3, 'and so the next version without one');
  // An error in the first definition: lezer's recovery may read all that follows differently, so nothing is carried.
  const first = MODULE.indexOf('def init_weights');
  assert.equal(step(`${MODULE.slice(0, first)}d1ef${MODULE.slice(first + 3)}`), 0);
  // A builder before the error that calls a helper defined after it is read afresh too.
  const helperAfter = `import torch.nn as nn


def make_net():
    return nn.Sequential(helper(8), nn.ReLU(), helper(8))


def make_tanh():
    return nn.Sequential(nn.Linear(4, 4), nn.Tanh())


def helper(width):
    return nn.Linear(width, width)
`;
  step(helperAfter);
  const broken = helperAfter.replace('nn.Linear(4, 4), nn.Tanh()', 'nn.Linear(4, 4), nn.');
  assert.equal(step(broken), 0, 'make_net reads helper, which lies after the error');
});

test('a carried-over model’s fixes are written in the quote the file now uses most', () => {
  // Fixes quote strings as most of the file does (a tie here, read as double quotes): an edit elsewhere that tips the
  // count must reach carried-over fixes.
  const before = `import torch.nn as nn


class DeepMlp(nn.Module):
    def __init__(self, features=512, depth=10):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(features, features) for _ in range(depth)])
        self.act = nn.ReLU()

    def forward(self, x):
        for layer in self.hidden:
            x = self.act(layer(x))
        return x


def make_tanh():
    return nn.Sequential(nn.Linear(4, 4), nn.Tanh())


print("built", 'nets')
`;
  const after = before.replace('nn.Linear(4, 4), nn.Tanh()', "nn.Linear(4, 4, device='cpu'), nn.Tanh(), nn.Identity('a', 'b')");
  const quoted = (result: ReturnType<typeof analyze>): string[] =>
    result.diagnostics
      .flatMap((d) => d.suggestions.flatMap((s) => s.edits.map((e) => e.text)))
      .filter((text) => /nonlinearity=/.test(text));
  assert.ok(quoted(afterEdit(before, before).result).some((text) => text.includes('nonlinearity="relu"')));
  const { result, carried } = afterEdit(before, after);
  assert.ok(carried > 0, 'DeepMlp is carried over');
  assert.ok(
    quoted(result).some((text) => text.includes("nonlinearity='relu'")),
    quoted(result).join(' | '),
  );
});

// Known defects, found by longer runs of the random-edit tests above (800 runs, seeds 11, 14 and 23; all predate the
// readings carried into versions with errors). In each, lezer reads text Python rejects without an error node, and the
// carried-over result differs from a fresh read: a model is kept that the fresh read no longer finds, or the models
// come in another order.
test(
  'a quote typed before a method’s indentation leaves the other definitions as a fresh read gives them',
  { todo: 'known defect' },
  () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/python/torch_layers.py'), 'utf8');
    const at = text.indexOf('    def forward(self, x):\n        x, _ = self.gru(x)');
    afterEdit(text, `${text.slice(0, at)}'${text.slice(at)}`);
  },
);

test(
  'a `#` typed inside `def` (`d#ef make_sequential`, an indented block under a bare name) leaves the other models as a fresh read gives them',
  { todo: 'known defect' },
  () => {
    const at = BUILT.indexOf('def make_sequential') + 1;
    afterEdit(BUILT, `${BUILT.slice(0, at)}#${BUILT.slice(at)}`);
  },
);

test(
  'a body written after the colon of a definition (`def f():1`) keeps the models in the order a fresh read gives',
  { todo: 'known defect' },
  () => {
    const at = BUILT.indexOf('def build_sigmoid_stack():') + 'def build_sigmoid_stack():'.length;
    afterEdit(BUILT, `${BUILT.slice(0, at)}1${BUILT.slice(at)}`);
  },
);

test('a top-level `name = Model()` is carried over while the names it reads are bound as before', () => {
  const edited = BUILT.replace('nn.Linear(784, HIDDEN)', 'nn.Linear(784, 64)');
  const { result, carried } = afterEdit(BUILT, edited);
  assert.equal(carried, 4, 'net_a, net_c and the two builders nothing names are carried over; net_b (ReluNet changed) is read again');
  assert.equal(result.models.find((m) => m.model.name === 'net_b')?.model.layers[0].fanOut, 64);
});

test('a carried-over name read for more than showing it makes the version be read afresh', () => {
  const before = `${BUILT}net_b.apply(init_weights)\n`;
  // The edit is in DeepTanh: net_b would be carried over, but the apply call reads it.
  const { result, carried } = afterEdit(before, before.replace('depth=6', 'depth=7'));
  assert.equal(carried, 0, 'net_b.apply reads net_b: the version is read afresh');
  const netB = result.models.find((m) => m.model.name === 'net_b')?.model;
  assert.match(netB?.layers[0].kernelInitializer?.label ?? '', /apply/, 'the apply call is read');
});

test('a statement is read again when a base class, a constant or an import it depends on changes', () => {
  const base = `import torch.nn as nn

WIDTH = 32


class Base(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, WIDTH)


class Child(Base):
    def forward(self, x):
        return self.fc(x)


model = Child()
`;
  assert.equal(afterEdit(base, base.replace('nn.Linear(8, WIDTH)', 'nn.Linear(9, WIDTH)')).carried, 0, 'the base class changed');
  assert.equal(afterEdit(base, base.replace('WIDTH = 32', 'WIDTH = 64')).carried, 0, 'the constant changed');
  assert.equal(
    afterEdit(base, base.replace('import torch.nn as nn', 'import torch.nn as nn; import math')).carried,
    0,
    'the imports changed',
  );
  const unrelated = `${base}\n\ndef unused():\n    return nn.Sequential(nn.Linear(4, 4))\n`;
  assert.equal(afterEdit(unrelated, unrelated.replace('Linear(4, 4)', 'Linear(4, 5)')).carried, 1, 'model = Child() is carried over');
});

test("a script's `if __name__ == '__main__':` block is carried over while the classes it builds are unchanged", () => {
  const script = `${MODULE}

if __name__ == '__main__':
    for factory in (DeepTanh, ReluNet):
        net = factory()
        print(net)
`;
  const unrelated = afterEdit(script, script.replace("activation='selu'", "activation='tanh'"));
  assert.equal(unrelated.carried, 3, 'the main block and the two builders nothing names that were not edited');
  const related = afterEdit(script, script.replace('nn.Linear(784, HIDDEN)', 'nn.Linear(784, 64)'));
  assert.equal(related.carried, 3, 'ReluNet changed: the main block that builds it is read again');
  assert.equal(related.result.models.find((m) => m.model.name === 'net#2')?.model.layers[0].fanOut, 64);
  const used = `${script}net.apply(init_weights)\n`;
  assert.equal(
    afterEdit(used, used.replace("activation='selu'", "activation='tanh'")).carried,
    0,
    'net, bound by the block, is read after it',
  );
});

const SHARED_LIST = `import torch.nn as nn

REGISTRY = []


def build_a():
    REGISTRY.append(nn.Linear(3, 3))
    return nn.Sequential(nn.Linear(4, 4), nn.ReLU())


def build_b():
    return nn.Sequential(*REGISTRY, nn.Tanh())
`;

test('a definition that reads a module-level object another one changes is read again, never carried over', () => {
  const parser = new IncrementalParser();
  analyze(SHARED_LIST, 'shared.py', {}, parser.parse);
  const edited = SHARED_LIST.replace('nn.Linear(3, 3)', 'nn.Linear(3, 5)');
  const incremental = analyze(edited, 'shared.py', {}, parser.parse);
  assert.deepEqual(incremental, analyze(edited, 'shared.py'));
  const b = incremental.models.find((m) => m.model.name === 'build_b');
  assert.equal(b?.model.layers[0].fanOut, 5, 'build_b sees the layer build_a now appends');
  assert.equal(parser.definitions.reusedLastTime, 0, 'build_b read REGISTRY, so it is not carried over');
});

const GLOBAL_STATEMENT = `import torch.nn as nn

WIDTH = 8


def widen():
    global WIDTH
    WIDTH = 32
    return nn.Sequential(nn.Linear(4, 4))


def build():
    return nn.Sequential(nn.Linear(WIDTH, WIDTH), nn.ReLU())
`;

test('a file with a global statement is read whole on every version', () => {
  const parser = new IncrementalParser();
  analyze(GLOBAL_STATEMENT, 'global.py', {}, parser.parse);
  const edited = GLOBAL_STATEMENT.replace('WIDTH = 32', 'WIDTH = 64');
  assert.deepEqual(analyze(edited, 'global.py', {}, parser.parse), analyze(edited, 'global.py'));
  assert.equal(parser.definitions.reusedLastTime, 0);
});

test('a line added in the first definition moves every place after it: nothing is carried over, labels name the new lines', () => {
  const text = readFileSync(join(ROOT, 'test/fixtures/python/torch_init.py'), 'utf8');
  const parser = new IncrementalParser();
  analyze(text, 'torch_init.py', {}, parser.parse);
  const [first] = definitionRanges(text);
  const at = text.indexOf('\n', first.from) + 1;
  const edited = `${text.slice(0, at)}    # a comment\n${text.slice(at)}`;
  assert.deepEqual(analyze(edited, 'torch_init.py', {}, parser.parse), analyze(edited, 'torch_init.py'));
  assert.equal(parser.definitions.reusedLastTime, 0);
});

test('in a notebook, a cell edit carries the other cells’ definitions over and gives the fresh analysis', () => {
  const split = MODULE.indexOf('def make_sequential');
  const [torch, keras] = [MODULE.slice(0, split), MODULE.slice(split)];
  const cells = [
    { isPythonCode: false, text: '# Models' },
    { isPythonCode: true, text: '%matplotlib inline' },
    { isPythonCode: true, text: torch },
    { isPythonCode: false, text: 'Keras next' },
    { isPythonCode: true, text: keras },
  ];
  const parser = new IncrementalParser();
  const plain = (c: typeof cells) => JSON.parse(JSON.stringify(analyzeNotebook(c, 'nb.ipynb')));
  const incremental = (c: typeof cells) => JSON.parse(JSON.stringify(analyzeNotebook(c, 'nb.ipynb', {}, parser.parsePython)));
  assert.deepEqual(incremental(cells), plain(cells));
  const digit = keras.indexOf('64', keras.indexOf('Dense'));
  const edited = cells.map((cell, index) => (index === 4 ? { ...cell, text: keras.slice(0, digit) + '9' + keras.slice(digit + 1) } : cell));
  assert.deepEqual(incremental(edited), plain(edited));
  assert.ok(parser.definitions.reusedLastTime > 0, 'the torch cell’s definitions are carried over');
  // Enter at the top of the torch cell moves every place in it, and none in the Keras cell.
  const entered = edited.map((cell, index) => (index === 2 ? { ...cell, text: `\n${cell.text}` } : cell));
  assert.deepEqual(incremental(entered), plain(entered));
  assert.ok(parser.definitions.reusedLastTime > 0, 'the Keras cell’s definitions are carried over');
});

test('a moved model has every span and offset moved, and refuses one inside the changed text', () => {
  let checked = 0;
  for (const file of pythonFiles) {
    for (const model of parsePython(file.text).models) {
      const copy = movedModel(model, offsetMapOf(0, 0, 1000));
      assert.ok(copy !== null);
      assert.equal(movedModel(model, offsetMapOf(file.text.length, file.text.length, 5)), model, 'an edit after it moves nothing');
      checked += compareOffsets(model, copy, 1000, file.name);
      // The copy is judged by its own offsets on the next edit: one typed just before its end moves it.
      const end = copy.span.end;
      assert.notEqual(movedModel(copy, offsetMapOf(end - 1, end - 1, 1)), copy, 'an edit inside the copy moves it');
      // An edit across the first layer's start: that offset has no place in the new text.
      const start = model.layers[0]?.span.start ?? 0;
      if (start > 0) assert.equal(movedModel(model, offsetMapOf(start - 1, start + 1, 2)), null);
    }
  }
  assert.ok(checked > 500, `offsets compared: ${checked}`);
});

test('an offset map keeps a range only when it keeps every offset in it', () => {
  const nat = fc.nat({ max: 60 });
  fc.assert(
    fc.property(nat, nat, nat, nat, nat, (start, length, newLength, a, b) => {
      const map = offsetMapOf(start, start + length, newLength);
      const [min, max] = a <= b ? [a, b] : [b, a];
      const every = Array.from({ length: max - min + 1 }, (_, i) => min + i).every((offset) => map(offset) === offset);
      if (map.keepsAll(min, max)) assert.ok(every, `[${min}, ${max}]`);
      // And it is not vacuous: a range wholly before the edit is kept.
      if (max <= start) assert.ok(map.keepsAll(min, max));
    }),
    { numRuns: 2000 },
  );
});

test('a moved layer has every field of the IR, each offset moved', () => {
  // Required<Layer>: a field added to the IR fails to compile here until it is added, and then fails below until
  // movedModel copies it (the copy lists the fields one by one, for speed).
  const span = (start: number) => ({ start, end: start + 1 });
  const property = { keySpan: span(20), valueSpan: span(22), propertySpan: span(20) };
  const attr = { key: 'kernelInitializer', spec: { kind: 'zeros' as const }, explicit: true, alias: null, form: 'string' as const };
  const inner: Model = { name: 'inner', kind: 'sequential', dialect: 'keras3', span: span(40), layers: [], inputShape: null, notes: [] };
  const every: Required<Layer> = {
    id: 'dense_1',
    name: 'dense_1',
    type: 'dense',
    className: 'Dense',
    config: { units: 4 },
    activation: { name: 'relu', explicit: true, source: 'own', valueSpan: span(30), alpha: 0.1 },
    kernelInitializer: { ...attr, valueSpan: span(24), propertySpan: span(23) },
    recurrentInitializer: { ...attr, key: 'recurrentInitializer' },
    biasInitializer: { ...attr, key: 'biasInitializer', propertySpan: span(26) },
    fanIn: 3,
    fanOut: 4,
    outputSize: 4,
    outputShape: [4],
    span: span(10),
    configSpan: span(12),
    properties: { units: property },
    insertion: { offset: 14, before: ', ', after: '' },
    inbound: ['input_1'],
    repeated: { index: 0, count: 2 },
    wrapper: 'TimeDistributed',
    inner,
    initStatement: { offset: 50, indent: '    ', reference: 'self.fc', initModule: 'nn.init.', lineBreak: '\n' },
    invalidValues: [{ key: 'units', message: 'units must be a positive integer, got -4', span: span(22) }],
  };
  for (const checked of [false, true]) {
    const model: Model = {
      name: 'm',
      kind: 'sequential',
      dialect: 'keras3',
      span: span(5),
      layers: [structuredClone(every)],
      inputShape: [3],
      notes: [],
    };
    if (checked) checkModelConfigs(model);
    const copy = movedModel(model, offsetMapOf(0, 0, 100))!;
    const [before, after] = [model.layers[0], copy.layers[0]];
    assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort(), 'the copy has every field');
    assert.ok(compareOffsets(before, after, 100, 'layer') >= 20);
    // Parts the check edits in place are the copy's own unless the check is done; then they are shared.
    assert.equal(after.config === before.config, checked, 'config shared only once checked');
    assert.equal(after.inbound === before.inbound, checked, 'inbound shared only once checked');
  }
});

/** Walks two models side by side: every {start, end} and every `offset` of the copy is the original's plus `delta`. */
function compareOffsets(original: unknown, copy: unknown, delta: number, where: string): number {
  if (typeof original !== 'object' || original === null) {
    assert.equal(copy, original, where);
    return 0;
  }
  let count = 0;
  for (const [key, value] of Object.entries(original)) {
    const other = (copy as Record<string, unknown>)[key];
    const isSpanField = (key === 'start' || key === 'end' || key === 'offset') && typeof value === 'number';
    if (isSpanField) {
      assert.equal(other, value + delta, `${where}: ${key}`);
      count++;
    } else count += compareOffsets(value, other, delta, `${where}.${key}`);
  }
  return count;
}
