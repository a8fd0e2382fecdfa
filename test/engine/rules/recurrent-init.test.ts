// Valid/invalid tables of recurrent-init: recurrent kernels that are not orthogonal.
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

const head = `tf.layers.dense({units: 1})`;
const kerasOut = `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`;
const keras3Out = `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`;

runRuleTests('recurrent-init', {
  valid: [
    {
      name: 'the default recurrent initializer is orthogonal',
      fileName: 'default.ts',
      code: tsSequential(`tf.layers.lstm({units: 32, inputShape: [10, 8], unitForgetBias: true})`, head),
    },
    {
      name: 'explicit orthogonal',
      fileName: 'orth.ts',
      code: tsSequential(`tf.layers.gru({units: 32, inputShape: [10, 8], recurrentInitializer: 'orthogonal'})`, head),
    },
    {
      name: 'identity recurrent kernel (IRNN) is norm-preserving',
      fileName: 'irnn.ts',
      code: tsSequential(
        `tf.layers.simpleRNN({units: 16, inputShape: [10, 8], activation: 'relu', recurrentInitializer: 'identity'})`,
        head,
      ),
    },
    {
      name: 'a dense kernel is not a recurrent kernel',
      fileName: 'dense.ts',
      code: tsSequential(`tf.layers.dense({units: 16, inputShape: [8], kernelInitializer: 'glorotUniform'})`, head),
    },
    {
      name: 'Keras 2 Orthogonal object',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}}, "batch_input_shape": [null, 10, 8]}}`,
        kerasOut,
      ),
    },
    {
      name: 'Keras 3 OrthogonalInitializer',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "GRU", "config": {"name": "gru", "units": 32, "recurrent_initializer": {"module": "keras.initializers", "class_name": "OrthogonalInitializer", "config": {"gain": 1.0, "seed": null}, "registered_name": null}, "batch_input_shape": [null, 10, 8]}, "registered_name": null}`,
        keras3Out,
      ),
    },
  ],
  invalid: [
    {
      name: 'glorotUniform recurrent kernel on an LSTM',
      fileName: 'glorot.ts',
      code: tsSequential(
        `tf.layers.lstm({units: 32, inputShape: [10, 8], unitForgetBias: true, recurrentInitializer: 'glorotUniform'})`,
        head,
      ),
      errors: [
        {
          text: `'glorotUniform'`,
          line: 4,
          column: 95,
          severity: 'info',
          message: ['32x32 gate block', 'Var(W) = 0.0125', 'squared norm by 0.4', 'Use orthogonal'],
        },
      ],
      output: tsSequential(
        `tf.layers.lstm({units: 32, inputShape: [10, 8], unitForgetBias: true, recurrentInitializer: 'orthogonal'})`,
        head,
      ),
    },
    {
      name: 'inside Bidirectional: the gate blocks are per direction (32 units, not the 64 of the concatenated output)',
      fileName: 'bidi.ts',
      code: tsSequential(
        `tf.layers.bidirectional({layer: tf.layers.lstm({units: 32, unitForgetBias: true, recurrentInitializer: 'glorotUniform'}), inputShape: [10, 8]})`,
        head,
      ),
      errors: [
        {
          text: `'glorotUniform'`,
          line: 4,
          severity: 'info',
          message: ['(lstm in Bidirectional, 32 units per direction)', '32x32 gate block', 'Var(W) = 0.0125', 'squared norm by 0.4'],
        },
      ],
      output: tsSequential(
        `tf.layers.bidirectional({layer: tf.layers.lstm({units: 32, unitForgetBias: true, recurrentInitializer: 'orthogonal'}), inputShape: [10, 8]})`,
        head,
      ),
    },
    {
      name: 'randomNormal call on a GRU keeps call form and seed',
      fileName: 'gru.ts',
      code: tsSequential(
        `tf.layers.gru({units: 16, inputShape: [10, 8], recurrentInitializer: tf.initializers.randomNormal({stddev: 0.1, seed: 2})})`,
        head,
      ),
      errors: [{ text: 'tf.initializers.randomNormal({stddev: 0.1, seed: 2})', line: 4, message: ['16x16', 'squared norm by 0.16'] }],
      output: tsSequential(
        `tf.layers.gru({units: 16, inputShape: [10, 8], recurrentInitializer: tf.initializers.orthogonal({seed: 2})})`,
        head,
      ),
    },
    {
      name: 'heNormal on a simpleRNN',
      fileName: 'rnn.ts',
      code: tsSequential(`tf.layers.simpleRNN({units: 8, inputShape: [10, 8], recurrentInitializer: 'heNormal'})`, head),
      errors: [{ text: `'heNormal'`, line: 4 }],
      output: tsSequential(`tf.layers.simpleRNN({units: 8, inputShape: [10, 8], recurrentInitializer: 'orthogonal'})`, head),
    },
    {
      name: 'zeros recurrent kernel',
      fileName: 'zeros.ts',
      code: tsSequential(`tf.layers.lstm({units: 8, inputShape: [10, 8], unitForgetBias: true, recurrentInitializer: 'zeros'})`, head),
      errors: [{ text: `'zeros'`, line: 4 }],
      output: tsSequential(
        `tf.layers.lstm({units: 8, inputShape: [10, 8], unitForgetBias: true, recurrentInitializer: 'orthogonal'})`,
        head,
      ),
    },
    {
      name: 'Keras 2 string glorot_uniform',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "recurrent_initializer": "glorot_uniform", "batch_input_shape": [null, 10, 8]}}`,
        kerasOut,
      ),
      errors: [{ text: '"glorot_uniform"', line: 6 }],
      output: keras2Sequential(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "recurrent_initializer": "orthogonal", "batch_input_shape": [null, 10, 8]}}`,
        kerasOut,
      ),
    },
    {
      name: 'Keras 2 GlorotUniform object',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "GRU", "config": {"name": "gru", "units": 32, "recurrent_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "batch_input_shape": [null, 10, 8]}}`,
        kerasOut,
      ),
      errors: [{ text: '{"class_name": "GlorotUniform", "config": {"seed": null}}', line: 6 }],
      output: keras2Sequential(
        `{"class_name": "GRU", "config": {"name": "gru", "units": 32, "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1, "seed": null}}, "batch_input_shape": [null, 10, 8]}}`,
        kerasOut,
      ),
    },
    {
      name: 'Keras 3 RandomNormal on a GRU',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "GRU", "config": {"name": "gru", "units": 32, "recurrent_initializer": {"module": "keras.initializers", "class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 0.05, "seed": null}, "registered_name": null}, "batch_input_shape": [null, 10, 8]}, "registered_name": null}`,
        keras3Out,
      ),
      errors: [
        {
          text: '{"module": "keras.initializers", "class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 0.05, "seed": null}, "registered_name": null}',
          line: 7,
        },
      ],
      output: keras3Sequential(
        `{"module": "keras.layers", "class_name": "GRU", "config": {"name": "gru", "units": 32, "recurrent_initializer": {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"gain": 1, "seed": null}, "registered_name": null}, "batch_input_shape": [null, 10, 8]}, "registered_name": null}`,
        keras3Out,
      ),
    },
    {
      name: 'TF.js model.json VarianceScaling recurrent kernel',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "unit_forget_bias": true, "batch_input_shape": [null, 10, 8], "recurrent_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d", "units": 1}}`,
      ),
      errors: [
        {
          text: '{"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}}',
          line: 8,
        },
      ],
      output: tfjsModelJson(
        `{"class_name": "LSTM", "config": {"name": "lstm", "units": 32, "unit_forget_bias": true, "batch_input_shape": [null, 10, 8], "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1, "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d", "units": 1}}`,
      ),
    },
  ],
});
