// Valid/invalid tables of lstm-forget-bias: TF.js LSTMs without unitForgetBias: true.
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

const head = (units = 1) => `tf.layers.dense({units: ${units}})`;

runRuleTests('lstm-forget-bias', {
  valid: [
    {
      name: 'unitForgetBias: true',
      fileName: 'ok.ts',
      code: tsSequential(`tf.layers.lstm({units: 32, inputShape: [10, 8], unitForgetBias: true})`, head()),
    },
    { name: 'GRU has no forget gate', fileName: 'gru.ts', code: tsSequential(`tf.layers.gru({units: 32, inputShape: [10, 8]})`, head()) },
    {
      name: 'LSTM without bias',
      fileName: 'nobias.ts',
      code: tsSequential(`tf.layers.lstm({units: 32, inputShape: [10, 8], useBias: false})`, head()),
    },
    {
      name: 'a value that cannot be resolved is not guessed',
      fileName: 'unknown.ts',
      code: tsSequential(`tf.layers.lstm({units: 32, inputShape: [10, 8], unitForgetBias: readFlag()})`, head()).replace(
        '\n\n',
        '\ndeclare function readFlag(): boolean;\n',
      ),
    },
    {
      name: 'Keras 2 LSTM: Keras turns the forget bias on by default',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "batch_input_shape": [null, 10, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 3 LSTM: only the TF.js dialect is checked',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "units": 32, "unit_forget_bias": true, "batch_input_shape": [null, 10, 8]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
    },
    {
      name: 'TF.js model.json with unit_forget_bias true',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "unit_forget_bias": true, "batch_input_shape": [null, 10, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "d", "units": 1}}`,
      ),
    },
  ],
  invalid: [
    {
      name: 'absent: unitForgetBias: true inserted',
      fileName: 'absent.ts',
      code: tsSequential(`tf.layers.lstm({units: 32, inputShape: [10, 8]})`, head()),
      errors: [
        {
          text: 'tf.layers.lstm',
          line: 4,
          column: 3,
          severity: 'info',
          message: ['hardSigmoid(0) = 0.5', '9.5e-7', 'after 20 steps', 'starts at 0.7 and keeps 8e-4'],
        },
      ],
      output: tsSequential(`tf.layers.lstm({units: 32, inputShape: [10, 8], unitForgetBias: true})`, head()),
    },
    {
      name: 'explicit false becomes true',
      fileName: 'false.ts',
      code: tsSequential(`tf.layers.lstm({units: 32, inputShape: [10, 8], unitForgetBias: false})`, head()),
      errors: [{ text: 'false', line: 4, column: 67 }],
      output: tsSequential(`tf.layers.lstm({units: 32, inputShape: [10, 8], unitForgetBias: true})`, head()),
    },
    {
      name: 'sigmoid gate numbers',
      fileName: 'sigmoid.ts',
      code: tsSequential(`tf.layers.lstm({units: 16, inputShape: [5, 3], recurrentActivation: 'sigmoid'})`, head()),
      errors: [{ text: 'tf.layers.lstm', line: 4, message: ['sigmoid(0) = 0.5', 'starts at 0.731'] }],
      output: tsSequential(`tf.layers.lstm({units: 16, inputShape: [5, 3], recurrentActivation: 'sigmoid', unitForgetBias: true})`, head()),
    },
    {
      name: 'two stacked LSTMs',
      fileName: 'stacked.ts',
      code: tsSequential(`tf.layers.lstm({units: 16, inputShape: [5, 3], returnSequences: true})`, `tf.layers.lstm({units: 8})`, head()),
      errors: [
        { text: 'tf.layers.lstm', line: 4 },
        { text: 'tf.layers.lstm', line: 5 },
      ],
      output: tsSequential(
        `tf.layers.lstm({units: 16, inputShape: [5, 3], returnSequences: true, unitForgetBias: true})`,
        `tf.layers.lstm({units: 8, unitForgetBias: true})`,
        head(),
      ),
    },
    {
      name: 'named imports',
      fileName: 'named.ts',
      code: `import {layers, sequential} from '@tensorflow/tfjs';\n\nconst model = sequential({layers: [\n  layers.lstm({units: 8, inputShape: [4, 2]}),\n  layers.dense({units: 1}),\n]});\n`,
      errors: [{ text: 'layers.lstm', line: 4, column: 3 }],
      output: `import {layers, sequential} from '@tensorflow/tfjs';\n\nconst model = sequential({layers: [\n  layers.lstm({units: 8, inputShape: [4, 2], unitForgetBias: true}),\n  layers.dense({units: 1}),\n]});\n`,
    },
    {
      name: 'multi-line config keeps its layout',
      fileName: 'multiline.ts',
      code: `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\nmodel.add(tf.layers.lstm({\n  units: 8,\n  inputShape: [4, 2],\n}));\nmodel.add(tf.layers.dense({units: 1}));\n`,
      errors: [{ text: 'tf.layers.lstm', line: 4, column: 11 }],
      output: `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\nmodel.add(tf.layers.lstm({\n  units: 8,\n  inputShape: [4, 2],\n  unitForgetBias: true,\n}));\nmodel.add(tf.layers.dense({units: 1}));\n`,
    },
    {
      name: 'TF.js model.json without unit_forget_bias',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "batch_input_shape": [null, 10, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "d", "units": 1}}`,
      ),
      errors: [{ text: '"LSTM"', line: 8 }],
      output: tfjsModelJson(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "batch_input_shape": [null, 10, 8], "unit_forget_bias": true}}`,
        `{"class_name": "Dense", "config": {"name": "d", "units": 1}}`,
      ),
    },
    {
      name: 'TF.js model.json with unit_forget_bias false',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "unit_forget_bias": false, "batch_input_shape": [null, 10, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "d", "units": 1}}`,
      ),
      errors: [{ text: 'false', line: 8 }],
      output: tfjsModelJson(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "unit_forget_bias": true, "batch_input_shape": [null, 10, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "d", "units": 1}}`,
      ),
    },
  ],
});
