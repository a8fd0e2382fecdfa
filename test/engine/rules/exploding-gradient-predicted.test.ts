// Valid/invalid tables of exploding-gradient-predicted: the predicted first/last gradient ratio above the threshold.
import { jsonDenseStack, jsonFunnel, tsDenseStack, tsFunnel } from './gradientModels';
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

const out = `tf.layers.dense({units: 1})`;
const jsonOut = `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`;
const keras3Out = `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`;
// A wide funnel (4096 inputs down to 4 units): its first kernel has far more entries than the last, so the
// predicted first/last kernel-gradient norm ratio is about 21-40; the tables lower the threshold to reach it.
const tight = { explodingRatio: 10 };

runRuleTests('exploding-gradient-predicted', {
  valid: [
    {
      name: 'the funnel stays under the default threshold of 1e3',
      fileName: 'funnel.ts',
      code: tsSequential(...tsFunnel(4096, 2048, 4), out),
    },
    { name: 'relu with He', fileName: 'relu.ts', code: tsSequential(...tsDenseStack(6, 'relu', `'heNormal'`), out), thresholds: tight },
    {
      name: 'a vanishing sigmoid stack is not exploding',
      fileName: 'sigmoid.ts',
      code: tsSequential(...tsDenseStack(6, 'sigmoid'), out),
      thresholds: tight,
    },
    {
      name: 'Keras 2 funnel under the default threshold',
      fileName: 'model.json',
      code: keras2Sequential(...jsonFunnel(4096, 2048, 4), jsonOut),
    },
    {
      name: 'Keras 3 tanh stack',
      fileName: 'model.json',
      code: keras3Sequential(...jsonDenseStack(4, 'tanh', true), keras3Out),
      thresholds: tight,
    },
    {
      name: 'a single trainable layer has ratio 1',
      fileName: 'single.ts',
      code: tsSequential(`tf.layers.dense({units: 1, inputShape: [4096]})`),
      thresholds: { explodingRatio: 0.5 },
    },
  ],
  invalid: [
    {
      name: 'a wide funnel with a threshold of 10',
      fileName: 'funnel.ts',
      thresholds: tight,
      code: tsSequential(...tsFunnel(4096, 2048, 4), out),
      errors: [
        {
          text: 'tf.sequential',
          line: 3,
          column: 15,
          severity: 'warning',
          message: [/is 21\.3 \(threshold: above 10\)/, 'learns 21.3x faster', 'The largest per-layer backward gains'],
        },
      ],
      output: null,
    },
    {
      name: 'a longer funnel with a threshold of 30',
      fileName: 'long.ts',
      thresholds: { explodingRatio: 30 },
      code: tsSequential(...tsFunnel(8192, 4096, 4), out),
      errors: [{ text: 'tf.sequential', line: 3, message: ['threshold: above 30'] }],
      output: null,
    },
    {
      name: 'the funnel built with model.add',
      fileName: 'add.ts',
      thresholds: tight,
      code: `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\n${tsFunnel(4096, 2048, 4)
        .map((l) => `model.add(${l});`)
        .join('\n')}\nmodel.add(${out});\n`,
      errors: [{ text: 'tf.sequential', line: 3, column: 15 }],
      output: null,
    },
    {
      name: 'Keras 2 funnel',
      fileName: 'model.json',
      thresholds: tight,
      code: keras2Sequential(...jsonFunnel(4096, 2048, 4), jsonOut),
      errors: [{ text: '"Sequential"', line: 2, column: 17 }],
      output: null,
    },
    {
      name: 'Keras 3 funnel',
      fileName: 'model.json',
      thresholds: tight,
      code: keras3Sequential(...jsonFunnel(4096, 2048, 4, true), keras3Out),
      errors: [{ text: '"Sequential"', line: 3 }],
      output: null,
    },
    {
      name: 'TF.js model.json funnel',
      fileName: 'model.json',
      thresholds: tight,
      code: tfjsModelJson(...jsonFunnel(4096, 2048, 4), `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`),
      errors: [{ text: '"Sequential"', line: 5 }],
      output: null,
    },
  ],
});
