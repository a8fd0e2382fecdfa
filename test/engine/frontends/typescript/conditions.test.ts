// Tests of the TS/JS front end's conditions: if/else, switch and ternaries decided when known; both branches read, with a note, when not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../server/src/engine/analyze';
import { IncrementalParser } from '../../../../server/src/engine/incremental';
import { IMPORT, parse, onlyModel, layerSummary, conditionNotes, branching } from './support';

// ---- conditionals -------------------------------------------------------------------------------------------

test('if on a const false reads only the else branch, without a note', () => {
  const model = onlyModel(branching('DEEP', 'const DEEP = false;\n'));
  assert.deepEqual(layerSummary(model), [
    ['dense', 8, 'relu'],
    ['dense', 4, 'tanh'],
    ['dense', 1, 'linear'],
  ]);
  assert.deepEqual(
    model.layers.map((l) => [l.fanIn, l.fanOut]),
    [
      [4, 8],
      [8, 4],
      [4, 1],
    ],
  );
  assert.deepEqual(model.notes, []);
});

test('if on a const true reads only the then branch', () => {
  const model = onlyModel(branching('DEEP', 'const DEEP = true;\n'));
  assert.deepEqual(layerSummary(model), [
    ['dense', 8, 'relu'],
    ['dense', 8, 'relu'],
    ['dense', 1, 'linear'],
  ]);
  assert.deepEqual(model.notes, []);
});

test('negations, comparisons, && and || of constants decide the branch', () => {
  const header = "const DEPTH = 3;\nconst MODE = 'small';\nconst DEEP = false;\n";
  const then = [
    ['dense', 8, 'relu'],
    ['dense', 8, 'relu'],
    ['dense', 1, 'linear'],
  ];
  const otherwise = [
    ['dense', 8, 'relu'],
    ['dense', 4, 'tanh'],
    ['dense', 1, 'linear'],
  ];
  const cases: [string, unknown][] = [
    ['!DEEP', then],
    ['!!DEEP', otherwise],
    ['DEPTH > 2', then],
    ['DEPTH <= 2', otherwise],
    ["MODE === 'small'", then],
    ["MODE !== 'small'", otherwise],
    ['DEPTH == 3', then],
    ['DEPTH != 3', otherwise],
    ['DEEP && DEPTH > 2', otherwise],
    ['DEEP || DEPTH > 2', then],
    ['!(DEPTH > 2 && MODE === "big")', then],
    ['DEPTH - 3', otherwise],
    // Short-circuit: the unknown right side never decides.
    ['DEEP && Math.random() > 0.5', otherwise],
    ['!DEEP || Math.random() > 0.5', then],
  ];
  for (const [condition, expected] of cases) {
    const model = onlyModel(branching(condition, header));
    assert.deepEqual(layerSummary(model), expected, condition);
    assert.deepEqual(model.notes, [], condition);
  }
});

test('a condition on an unrolled loop counter is decided per iteration', () => {
  const code = `${IMPORT}const model = tf.sequential();
for (let i = 0; i < 3; i++) {
  if (i === 0) model.add(tf.layers.dense({units: 8, inputShape: [4]}));
  else model.add(tf.layers.dense({units: 8 * i, activation: i < 2 ? 'relu' : 'tanh'}));
}
`;
  const model = onlyModel(code);
  assert.deepEqual(layerSummary(model), [
    ['dense', 8, 'linear'],
    ['dense', 8, 'relu'],
    ['dense', 16, 'tanh'],
  ]);
  assert.deepEqual(model.notes, []);
});

test('an else-if chain runs only the first branch whose condition holds', () => {
  const chain = (size: string) => `${IMPORT}const SIZE = '${size}';
const model = tf.sequential();
model.add(tf.layers.dense({units: 8, inputShape: [4]}));
if (SIZE === 'small') {
  model.add(tf.layers.dense({units: 2}));
} else if (SIZE === 'medium') {
  model.add(tf.layers.dense({units: 16}));
  model.add(tf.layers.dense({units: 16}));
} else if (SIZE === 'large') model.add(tf.layers.dense({units: 64}));
else {
  model.add(tf.layers.dense({units: 3}));
}
model.add(tf.layers.dense({units: 1}));
`;
  const units = (size: string) => onlyModel(chain(size)).layers.map((l) => l.config.units);
  assert.deepEqual(units('small'), [8, 2, 1]);
  assert.deepEqual(units('medium'), [8, 16, 16, 1]);
  assert.deepEqual(units('large'), [8, 64, 1]);
  assert.deepEqual(units('other'), [8, 3, 1]);
  assert.deepEqual(onlyModel(chain('medium')).notes, []);
});

test('an if without else on a false constant adds nothing; on a true one it adds its layers', () => {
  const code = (value: string) => `${IMPORT}const EXTRA = ${value};
const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
if (EXTRA) model.add(tf.layers.dense({units: 5}));
`;
  assert.deepEqual(
    onlyModel(code('false')).layers.map((l) => l.config.units),
    [8],
  );
  assert.deepEqual(
    onlyModel(code('1')).layers.map((l) => l.config.units),
    [8, 5],
  );
  assert.deepEqual(onlyModel(code('0')).notes, []);
});

test('an unknown condition reads both branches in sequence and notes it with its line', () => {
  const code = branching('Math.random() > 0.5');
  const model = onlyModel(code);
  assert.deepEqual(layerSummary(model), [
    ['dense', 8, 'relu'],
    ['dense', 8, 'relu'],
    ['dense', 4, 'tanh'],
    ['dense', 1, 'linear'],
  ]);
  const notes = conditionNotes(model);
  assert.equal(notes.length, 1, model.notes.join(' | '));
  assert.match(notes[0], /line 5\b/);
  assert.match(notes[0], /both branches/);
  assert.match(notes[0], /gradient ratio/);
});

test('an unknown condition on a let (not a const) is not folded', () => {
  const code = `${IMPORT}let deep = false;
const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
if (deep) model.add(tf.layers.dense({units: 5}));
`;
  const model = onlyModel(code);
  assert.deepEqual(
    model.layers.map((l) => l.config.units),
    [8, 5],
  );
  assert.equal(conditionNotes(model).length, 1);
  assert.match(conditionNotes(model)[0], /'deep'/);
});

test('a helper followed with a constant argument takes the branch its parameter decides', () => {
  const code = `${IMPORT}function addHead(m: tf.Sequential, wide: boolean) {
  if (wide) m.add(tf.layers.dense({units: 32}));
  else m.add(tf.layers.dense({units: 2}));
}
const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
addHead(model, false);
addHead(model, true);
`;
  const model = onlyModel(code);
  assert.deepEqual(
    model.layers.map((l) => l.config.units),
    [8, 2, 32],
  );
  assert.deepEqual(model.notes, []);
});

test('a conditional expression in add calls and layer lists: a known condition picks one operand', () => {
  const code = `${IMPORT}const DEEP = false;
const a = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]}), DEEP ? tf.layers.dense({units: 16}) : tf.layers.dense({units: 2})]});
const b = tf.sequential();
b.add(tf.layers.dense({units: 8, inputShape: [4]}));
b.add(!DEEP ? tf.layers.dense({units: 6, activation: 'relu'}) : tf.layers.dense({units: 7}));
`;
  const [a, b] = parse(code).models;
  assert.deepEqual(layerSummary(a), [
    ['dense', 8, 'linear'],
    ['dense', 2, 'linear'],
  ]);
  assert.deepEqual(layerSummary(b), [
    ['dense', 8, 'linear'],
    ['dense', 6, 'relu'],
  ]);
  assert.deepEqual(a.layers[1].fanIn, 8);
  assert.deepEqual([a.notes, b.notes], [[], []]);
});

test('a conditional expression with an unknown condition gives both operands in sequence, with the note', () => {
  const code = `${IMPORT}export function build(deep: boolean) {
  const a = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]}), deep ? tf.layers.dense({units: 16}) : tf.layers.dense({units: 2})]});
  const b = tf.sequential();
  b.add(tf.layers.dense({units: 8, inputShape: [4]}));
  b.add(deep ? tf.layers.dense({units: 6}) : tf.layers.dense({units: 7}));
  return [a, b];
}
`;
  const [a, b] = parse(code).models;
  assert.deepEqual(
    a.layers.map((l) => l.type),
    ['dense', 'dense', 'dense'],
  );
  assert.deepEqual(
    a.layers.map((l) => l.config.units),
    [8, 16, 2],
  );
  assert.deepEqual(
    b.layers.map((l) => l.config.units),
    [8, 6, 7],
  );
  assert.equal(conditionNotes(a).length, 1);
  assert.match(conditionNotes(a)[0], /'deep'.*line 3\b/);
  assert.match(conditionNotes(b)[0], /line 6\b/);
});

test('a conditional expression with an unknown condition stored in a variable: its first operand, with the note', () => {
  const code = `${IMPORT}export function build(deep: boolean) {
  const head = deep ? tf.layers.dense({units: 16}) : tf.layers.dense({units: 2});
  const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
  model.add(head);
  return model;
}
`;
  const model = onlyModel(code);
  assert.deepEqual(
    model.layers.map((l) => l.config.units),
    [8, 16],
  );
  assert.equal(conditionNotes(model).length, 1);
  assert.match(conditionNotes(model)[0], /only its first operand/);
});

test('a functional model: a constant if picks the applied layer; an unknown one chains both with the note', () => {
  const code = (condition: string) => `${IMPORT}const DEEP = false;
export function build(flag: boolean) {
  const input = tf.input({shape: [4]});
  let x = tf.layers.dense({units: 8}).apply(input) as tf.SymbolicTensor;
  if (${condition}) {
    x = tf.layers.dense({units: 16}).apply(x) as tf.SymbolicTensor;
  } else {
    x = tf.layers.dense({units: 2}).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({inputs: input, outputs: x});
}
`;
  const known = onlyModel(code('DEEP'));
  assert.deepEqual(
    known.layers.map((l) => l.config.units ?? null),
    [null, 8, 2],
  );
  assert.deepEqual(known.notes, []);
  const unknownCase = onlyModel(code('flag'));
  assert.deepEqual(
    unknownCase.layers.map((l) => l.config.units ?? null),
    [null, 8, 16, 2],
  );
  assert.equal(conditionNotes(unknownCase).length, 1);
});

test('switch on a constant reads the matching case (with fall-through) or default; an unknown one reads all with the note', () => {
  const code = (mode: string) => `${IMPORT}const MODE = ${mode};
export function build(dynamicMode: string) {
  const model = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]})]});
  switch (MODE) {
    case 'a':
      model.add(tf.layers.dense({units: 1}));
      break;
    case 'b':
      model.add(tf.layers.dense({units: 2}));
    case 'c': {
      model.add(tf.layers.dense({units: 3}));
      break;
    }
    default:
      model.add(tf.layers.dense({units: 4}));
  }
  return model;
}
`;
  const units = (mode: string) => onlyModel(code(mode)).layers.map((l) => l.config.units);
  assert.deepEqual(units("'a'"), [8, 1]);
  assert.deepEqual(units("'b'"), [8, 2, 3]);
  assert.deepEqual(units("'c'"), [8, 3]);
  assert.deepEqual(units("'z'"), [8, 4]);
  assert.deepEqual(onlyModel(code("'b'")).notes, []);
  const dynamic = onlyModel(code('undefined as unknown as string').replace('switch (MODE)', 'switch (dynamicMode)'));
  assert.deepEqual(
    dynamic.layers.map((l) => l.config.units),
    [8, 1, 2, 3, 4],
  );
  assert.equal(conditionNotes(dynamic).length, 1);
});

test('a bad initializer in the branch a constant condition skips is not reported; under an unknown condition it is', () => {
  const code = (condition: string) => `${IMPORT}const DEEP = false;
export function build(flag: boolean) {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 8, inputShape: [4], activation: 'relu', kernelInitializer: 'heNormal'}));
  if (${condition}) {
    model.add(tf.layers.dense({units: 8, activation: 'relu', kernelInitializer: 'zeros'}));
  } else {
    model.add(tf.layers.dense({units: 4, activation: 'relu', kernelInitializer: 'heNormal'}));
  }
  model.add(tf.layers.dense({units: 1}));
  return model;
}
`;
  // The zeros kernel feeds a further layer, so symmetric-init flags it whenever it is in the model.
  const symmetric = (text: string) => analyze(text, 'a.ts').diagnostics.filter((d) => d.ruleId === 'symmetric-init');
  assert.equal(symmetric(code('DEEP')).length, 0);
  assert.equal(symmetric(code('!DEEP')).length, 1);
  const unknownCase = analyze(code('flag'), 'a.ts');
  assert.equal(unknownCase.diagnostics.filter((d) => d.ruleId === 'symmetric-init').length, 1);
  assert.equal(unknownCase.models[0].model.layers.length, 4);
});

test('the incremental parser gives the same result as a fresh parse while a condition is edited', () => {
  const parser = new IncrementalParser();
  let text = branching('DEEP', 'const DEEP = false;\n');
  const steps = [
    (t: string) => t.replace('const DEEP = false', 'const DEEP = true'),
    (t: string) => t.replace('if (DEEP)', 'if (!DEEP)'),
    (t: string) => t.replace('if (!DEEP)', 'if (Math.random() > 0.5)'),
    (t: string) => t.replace('} else {', '} else if (DEEP) {'),
    (t: string) => t.replace('if (Math.random() > 0.5)', 'if (DEEP === false)'),
    (t: string) => t.replace('const DEEP = true', 'let DEEP = true'),
  ];
  assert.deepEqual(analyze(text, 'a.ts', {}, parser.parse), analyze(text, 'a.ts'));
  for (const step of steps) {
    const next = step(text);
    assert.notEqual(next, text);
    text = next;
    assert.deepEqual(analyze(text, 'a.ts', {}, parser.parse), analyze(text, 'a.ts'), text);
  }
});
