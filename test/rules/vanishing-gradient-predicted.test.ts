// Valid/invalid tables of vanishing-gradient-predicted: the predicted first/last gradient ratio below the threshold.
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
    { name: 'batch normalization between sigmoid layers', fileName: 'bn.ts',
      code: tsSequential(...tsDenseStack(6, 'sigmoid').flatMap((l) => [l, 'tf.layers.batchNormalization()']), out) },
    { name: 'a looser threshold option', fileName: 'loose.ts', code: tsSequential(...tsDenseStack(6, 'sigmoid'), out), thresholds: { vanishingRatio: 1e-5 } },
    { name: 'Keras 2 tanh with Glorot', fileName: 'model.json', code: keras2Sequential(...jsonDenseStack(6, 'tanh'), jsonOut) },
    { name: 'a single trainable layer has ratio 1', fileName: 'single.ts', code: tsSequential(`tf.layers.dense({units: 1, inputShape: [64], activation: 'sigmoid'})`) },
  ],
  invalid: [
    {
      name: 'six sigmoid layers', fileName: 'sigmoid.ts',
      code: tsSequential(...tsDenseStack(6, 'sigmoid'), out),
      errors: [{ text: 'tf.sequential', line: 3, column: 15, severity: 'warning', message: [/is 2\.\de-4 \(threshold: below 0\.001\)/, 'saturating activation (sigmoid)', 'batchNormalization'] }],
      output: null,
    },
    {
      name: 'ten sigmoid layers built with model.add', fileName: 'add.ts',
      code: `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\n${tsDenseStack(10, 'sigmoid').map((l) => `model.add(${l});`).join('\n')}\nmodel.add(${out});\n`,
      errors: [{ text: 'tf.sequential', line: 3, column: 15, message: [/is 4\.\de-7/] }],
      output: null,
    },
    {
      name: 'a tighter threshold option flags four sigmoid layers', fileName: 'tight.ts', thresholds: { vanishingRatio: 0.01 },
      code: tsSequential(...tsDenseStack(4, 'sigmoid'), out),
      errors: [{ text: 'tf.sequential', line: 3, message: ['threshold: below 0.01'] }],
      output: null,
    },
    {
      name: 'a functional model is flagged at tf.model', fileName: 'functional.ts',
      code: functionalSigmoid,
      errors: [{ text: 'tf.model', line: 12, column: 15 }],
      output: null,
    },
    {
      name: 'Keras 2 sigmoid stack', fileName: 'model.json',
      code: keras2Sequential(...jsonDenseStack(6, 'sigmoid'), jsonOut),
      errors: [{ text: '"Sequential"', line: 2, column: 17 }],
      output: null,
    },
    {
      name: 'Keras 3 sigmoid stack', fileName: 'model.json',
      code: keras3Sequential(...jsonDenseStack(6, 'sigmoid', true), keras3Out),
      errors: [{ text: '"Sequential"', line: 3 }],
      output: null,
    },
    {
      name: 'TF.js model.json sigmoid stack', fileName: 'model.json',
      code: tfjsModelJson(...jsonDenseStack(6, 'sigmoid'), `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`),
      errors: [{ text: '"Sequential"', line: 5 }],
      output: null,
    },
  ],
});
