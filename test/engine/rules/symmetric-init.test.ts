// Valid/invalid tables of symmetric-init: constant kernels on layers that feed further trainable layers.
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

const residual = (kernel: string) => `import * as tf from '@tensorflow/tfjs';

const input = tf.input({shape: [32]});
const h = tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: 'heNormal'}).apply(input) as tf.SymbolicTensor;
const branch = tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: 'heNormal'}).apply(h) as tf.SymbolicTensor;
const last = tf.layers.dense({units: 32, kernelInitializer: ${kernel}}).apply(branch) as tf.SymbolicTensor;
const sum = tf.layers.add().apply([h, last]) as tf.SymbolicTensor;
const out = tf.layers.dense({units: 10, activation: 'softmax'}).apply(sum) as tf.SymbolicTensor;
const model = tf.model({inputs: input, outputs: out});
`;

runRuleTests('symmetric-init', {
  valid: [
    {
      name: 'zeros on the output layer',
      fileName: 'out.ts',
      code: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [8], activation: 'relu', kernelInitializer: 'heNormal'})`,
        `tf.layers.dense({units: 1, kernelInitializer: 'zeros'})`,
      ),
    },
    {
      name: 'zeros biases and batch-norm ones',
      fileName: 'bias.ts',
      code: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [8], activation: 'relu', kernelInitializer: 'heNormal', biasInitializer: 'zeros'})`,
        `tf.layers.batchNormalization({gammaInitializer: 'ones', betaInitializer: 'zeros'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    { name: 'zeros on the last layer of a residual branch (Fixup/ReZero start)', fileName: 'fixup.ts', code: residual(`'zeros'`) },
    {
      name: 'identity and orthogonal kernels are not constant',
      fileName: 'identity.ts',
      code: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [16], kernelInitializer: 'identity'})`,
        `tf.layers.dense({units: 16, activation: 'tanh', kernelInitializer: tf.initializers.orthogonal({gain: 1})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'Keras JSON: zeros on the output layer only',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "relu", "kernel_initializer": "he_normal", "batch_input_shape": [null, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1, "kernel_initializer": {"class_name": "Zeros", "config": {}}}}`,
      ),
    },
    {
      name: 'TF.js model.json: zeros bias and moving statistics',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 16, "activation": "relu", "batch_input_shape": [null, 8], "bias_initializer": {"class_name": "Zeros", "config": {}}}}`,
        `{"class_name": "BatchNormalization", "config": {"name": "bn", "moving_variance_initializer": {"class_name": "Ones", "config": {}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
    },
  ],
  invalid: [
    {
      name: 'zeros string before relu: dead layer',
      fileName: 'zeros.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'relu', kernelInitializer: 'zeros'})`,
        `tf.layers.dense({units: 10, activation: 'softmax'})`,
      ),
      errors: [
        { text: `'zeros'`, line: 4, column: 88, severity: 'error', message: ['dead', 'gradient at 0 is 0', 'Use heNormal', 'fan-in 32'] },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'relu', kernelInitializer: 'heNormal'})`,
        `tf.layers.dense({units: 10, activation: 'softmax'})`,
      ),
    },
    {
      name: 'ones call before tanh keeps the call form',
      fileName: 'ones.ts',
      code: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [16], activation: 'tanh', kernelInitializer: tf.initializers.ones()})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [{ text: 'tf.initializers.ones()', line: 4, message: ['all 32 units', 'one unit', 'Use glorotNormal'] }],
      output: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [16], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'constant call with a seed-less config in a double-quoted file',
      fileName: 'constant.ts',
      code: tsSequential(
        `tf.layers.dense({units: 8, inputShape: [4], activation: "relu", kernelInitializer: tf.initializers.constant({value: 0.1})})`,
        `tf.layers.dense({units: 8, activation: "relu", kernelInitializer: "zeros"})`,
        `tf.layers.dense({units: 1})`,
      ).replace(`'@tensorflow/tfjs'`, `"@tensorflow/tfjs"`),
      errors: [
        { text: 'tf.initializers.constant({value: 0.1})', line: 4, message: ['constant(0.1)', 'feeds 2 more trainable layers'] },
        { text: '"zeros"', line: 5, message: ['dead'] },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 8, inputShape: [4], activation: "relu", kernelInitializer: tf.initializers.heNormal({})})`,
        `tf.layers.dense({units: 8, activation: "relu", kernelInitializer: "heNormal"})`,
        `tf.layers.dense({units: 1})`,
      ).replace(`'@tensorflow/tfjs'`, `"@tensorflow/tfjs"`),
    },
    {
      name: 'non-zero constant ending a residual branch: information, suggestion only',
      fileName: 'residual.ts',
      code: residual(`'ones'`),
      errors: [{ text: `'ones'`, line: 6, severity: 'info', message: ['residual branch', 'or zeros'] }],
      output: null,
    },
    {
      name: 'Keras 2 string "zeros" becomes "he_normal"',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "relu", "kernel_initializer": "zeros", "batch_input_shape": [null, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
      errors: [{ text: '"zeros"', line: 6, message: ['dead'] }],
      output: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "relu", "kernel_initializer": "he_normal", "batch_input_shape": [null, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 2 object Zeros before tanh becomes GlorotNormal',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "tanh", "kernel_initializer": {"class_name": "Zeros", "config": {}}, "batch_input_shape": [null, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
      errors: [{ text: '{"class_name": "Zeros", "config": {}}', line: 6, message: ['all 16 units'] }],
      output: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "tanh", "kernel_initializer": {"class_name": "GlorotNormal", "config": {"seed": null}}, "batch_input_shape": [null, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 3 Ones gets the Keras 3 form',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "relu", "kernel_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null}, "batch_input_shape": [null, 8]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
      errors: [{ text: '{"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null}', line: 7 }],
      output: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "hidden", "units": 16, "activation": "relu", "kernel_initializer": {"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null}, "registered_name": null}, "batch_input_shape": [null, 8]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
    },
    {
      name: 'TF.js model.json Constant becomes VarianceScaling (He)',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 16, "activation": "relu", "batch_input_shape": [null, 8], "kernel_initializer": {"class_name": "Constant", "config": {"value": 0.5}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
      errors: [{ text: '{"class_name": "Constant", "config": {"value": 0.5}}', line: 8, message: ['constant(0.5)'] }],
      output: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 16, "activation": "relu", "batch_input_shape": [null, 8], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 2, "mode": "fan_in", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
    },
  ],
});
