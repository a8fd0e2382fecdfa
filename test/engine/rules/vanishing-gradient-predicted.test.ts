// Valid/invalid tables of vanishing-gradient-predicted: the predicted first/last gradient ratio below the threshold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import { applyEdits } from '../../../server/src/engine/applyFixes';
import { RULES } from '../../../server/src/engine/rules';
import { jsonDenseStack, tsDenseStack } from './gradientModels';
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

const out = `tf.layers.dense({units: 1})`;
const jsonOut = `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`;
const keras3Out = `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`;

const functionalSigmoid = `import * as tf from '@tensorflow/tfjs';

const input = tf.input({shape: [64]});
let x = input;
${Array.from({ length: 6 }, () => `x = tf.layers.dense({units: 64, activation: 'sigmoid'}).apply(x) as tf.SymbolicTensor;`).join('\n')}
const output = tf.layers.dense({units: 1}).apply(x) as tf.SymbolicTensor;
const model = tf.model({inputs: input, outputs: output});
`;

runRuleTests('vanishing-gradient-predicted', {
  valid: [
    { name: 'relu with He keeps the ratio near 1', fileName: 'relu.ts', code: tsSequential(...tsDenseStack(8, 'relu', `'heNormal'`), out) },
    { name: 'three sigmoid layers stay above 1e-3', fileName: 'shallow.ts', code: tsSequential(...tsDenseStack(3, 'sigmoid'), out) },
    {
      name: 'batch normalization between sigmoid layers',
      fileName: 'bn.ts',
      code: tsSequential(...tsDenseStack(6, 'sigmoid').flatMap((l) => [l, 'tf.layers.batchNormalization()']), out),
    },
    {
      name: 'a looser threshold option',
      fileName: 'loose.ts',
      code: tsSequential(...tsDenseStack(6, 'sigmoid'), out),
      thresholds: { vanishingRatio: 1e-5 },
    },
    { name: 'Keras 2 tanh with Glorot', fileName: 'model.json', code: keras2Sequential(...jsonDenseStack(6, 'tanh'), jsonOut) },
    {
      name: 'a single trainable layer has ratio 1',
      fileName: 'single.ts',
      code: tsSequential(`tf.layers.dense({units: 1, inputShape: [64], activation: 'sigmoid'})`),
    },
  ],
  invalid: [
    {
      name: 'six sigmoid layers',
      fileName: 'sigmoid.ts',
      code: tsSequential(...tsDenseStack(6, 'sigmoid'), out),
      errors: [
        {
          text: 'tf.sequential',
          line: 3,
          column: 15,
          severity: 'warning',
          message: [/is 2\.\de-4 \(threshold: below 0\.001\)/, 'saturating activation (sigmoid)', 'batchNormalization'],
        },
      ],
      output: null,
    },
    {
      name: 'ten sigmoid layers built with model.add',
      fileName: 'add.ts',
      code: `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\n${tsDenseStack(10, 'sigmoid')
        .map((l) => `model.add(${l});`)
        .join('\n')}\nmodel.add(${out});\n`,
      errors: [{ text: 'tf.sequential', line: 3, column: 15, message: [/is 4\.\de-7/] }],
      output: null,
    },
    {
      name: 'a tighter threshold option flags four sigmoid layers',
      fileName: 'tight.ts',
      thresholds: { vanishingRatio: 0.01 },
      code: tsSequential(...tsDenseStack(4, 'sigmoid'), out),
      errors: [{ text: 'tf.sequential', line: 3, message: ['threshold: below 0.01'] }],
      output: null,
    },
    {
      name: 'a functional model is flagged at tf.model',
      fileName: 'functional.ts',
      code: functionalSigmoid,
      errors: [{ text: 'tf.model', line: 12, column: 15 }],
      output: null,
    },
    {
      name: 'Keras 2 sigmoid stack',
      fileName: 'model.json',
      code: keras2Sequential(...jsonDenseStack(6, 'sigmoid'), jsonOut),
      errors: [{ text: '"Sequential"', line: 2, column: 17 }],
      output: null,
    },
    {
      name: 'Keras 3 sigmoid stack',
      fileName: 'model.json',
      code: keras3Sequential(...jsonDenseStack(6, 'sigmoid', true), keras3Out),
      errors: [{ text: '"Sequential"', line: 3 }],
      output: null,
    },
    {
      name: 'TF.js model.json sigmoid stack',
      fileName: 'model.json',
      code: tfjsModelJson(...jsonDenseStack(6, 'sigmoid'), `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`),
      errors: [{ text: '"Sequential"', line: 5 }],
      output: null,
    },
  ],
});

/** The vanishing-gradient-predicted problems of a text (only that rule on). */
function vanishing(code: string, fileName: string) {
  return analyze(code, fileName, {
    rules: Object.fromEntries(RULES.map((r) => [r.meta.id, r.meta.id === 'vanishing-gradient-predicted' ? 'warning' : 'off'])),
  }).diagnostics;
}

describe('vanishing-gradient-predicted suggestion', () => {
  it('a sigmoid stack: relu + heNormal for every hidden layer, the output layer kept; never a safe fix; the ratio recovers', () => {
    const code = `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\n${tsDenseStack(10, 'sigmoid')
      .map((l) => `model.add(${l});`)
      .join('\n')}\nmodel.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));\n`;
    const [problem] = vanishing(code, 'add.ts');
    assert.equal(problem.fix, null);
    assert.equal(problem.suggestions.length, 1);
    assert.equal(problem.suggestions[0].title, "Use relu with heNormal in the 10 hidden sigmoid layers (changes the model's design)");
    const changed = applyEdits(code, problem.suggestions[0].edits);
    assert.equal((changed.match(/activation: 'relu', kernelInitializer: 'heNormal'/g) ?? []).length, 10, changed);
    assert.match(changed, /units: 1, activation: 'sigmoid'/, 'the output layer keeps its activation');
    assert.deepEqual(vanishing(changed, 'add.ts'), []);
    const ratio = analyze(changed, 'add.ts').models[0].signal.predictedGradientRatio!;
    assert.ok(ratio > 0.1 && ratio < 10, `ratio after the suggestion ${ratio}`);
  });

  it('a layer written once in a loop is edited once; double quotes are kept', () => {
    const code = `import * as tf from "@tensorflow/tfjs";\n\nconst deep = tf.sequential();\ndeep.add(tf.layers.dense({units: 32, inputShape: [32], activation: "tanh", kernelInitializer: "randomNormal"}));\nfor (let i = 0; i < 12; i++) {\n  deep.add(tf.layers.dense({units: 32, activation: "sigmoid"}));\n}\ndeep.add(tf.layers.dense({units: 4}));\n`;
    const [problem] = vanishing(code, 'loop.ts');
    const [suggestion] = problem.suggestions;
    assert.equal(suggestion.title, "Use relu with heNormal in the 13 hidden tanh/sigmoid layers (changes the model's design)");
    assert.equal(suggestion.edits.length, 4, 'activation and initializer of the first layer and of the loop body');
    const changed = applyEdits(code, suggestion.edits);
    assert.match(changed, /\{units: 32, activation: "relu", kernelInitializer: "heNormal"\}/);
    assert.deepEqual(vanishing(changed, 'loop.ts'), []);
  });

  it('Keras JSON: the activation strings and initializers are rewritten in JSON', () => {
    const code = keras2Sequential(...jsonDenseStack(6, 'sigmoid'), jsonOut);
    const [problem] = vanishing(code, 'model.json');
    const changed = applyEdits(code, problem.suggestions[0].edits);
    assert.doesNotThrow(() => JSON.parse(changed));
    assert.equal((changed.match(/"activation": "relu"/g) ?? []).length, 6, changed);
    assert.deepEqual(vanishing(changed, 'model.json'), []);
  });

  it('no suggestion when a hidden activation is not a string literal (a half-converted model would be worse)', () => {
    const computed = `import * as tf from '@tensorflow/tfjs';\n\nconst act = 'sigmoid';\nconst model = tf.sequential({layers: [\n${tsDenseStack(
      6,
      'sigmoid',
    )
      .map((l, i) => `  ${i === 2 ? l.replace(`'sigmoid'`, 'act') : l},`)
      .join('\n')}\n  ${out},\n]});\n`;
    const [problem] = vanishing(computed, 'computed.ts');
    assert.ok(problem, 'still reported');
    assert.deepEqual(problem.suggestions, []);
  });
});
