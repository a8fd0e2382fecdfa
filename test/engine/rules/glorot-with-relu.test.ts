// Valid/invalid tables of glorot-with-relu: written Glorot before ReLU-family activations, and compounding defaults.
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

const denseRelu = (extra = '') => `tf.layers.dense({units: 64, activation: 'relu'${extra}})`;

runRuleTests('glorot-with-relu', {
  valid: [
    {
      name: 'He before relu',
      fileName: 'he.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heNormal'})`,
        `tf.layers.dense({units: 10, activation: 'softmax'})`,
      ),
    },
    {
      name: 'Glorot before tanh and softmax',
      fileName: 'tanh.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'tanh', kernelInitializer: 'glorotUniform'})`,
        `tf.layers.dense({units: 10, activation: 'softmax', kernelInitializer: 'glorotNormal'})`,
      ),
    },
    {
      name: 'two default-Glorot relu layers compound to exactly 1/4: not reported',
      fileName: 'shallow.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu'})`,
        denseRelu(),
        `tf.layers.dense({units: 10, activation: 'softmax'})`,
      ),
    },
    {
      name: 'default Glorot before relu in a wide funnel keeps most of the variance',
      fileName: 'funnel.ts',
      code: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [1024], activation: 'relu'})`,
        `tf.layers.dense({units: 2, activation: 'relu'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'Keras 2 he_normal before relu',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu", "kernel_initializer": "he_normal", "batch_input_shape": [null, 64]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 3 HeUniform before relu',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu", "kernel_initializer": {"module": "keras.initializers", "class_name": "HeUniform", "config": {"seed": null}, "registered_name": null}, "batch_input_shape": [null, 64]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
    },
  ],
  invalid: [
    {
      name: 'written glorotUniform before relu keeps the uniform draw',
      fileName: 'explicit.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'glorotUniform'})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [
        {
          text: `'glorotUniform'`,
          line: 4,
          column: 88,
          severity: 'warning',
          message: ['keeps 0.5 of the signal variance per layer', 'Use heUniform'],
        },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heUniform'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'call form before elu keeps callee and seed',
      fileName: 'call.ts',
      code: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [96], activation: 'elu', kernelInitializer: tf.initializers.glorotNormal({seed: 42})})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [{ text: 'tf.initializers.glorotNormal({seed: 42})', line: 4, message: ['fan-in 96 and fan-out 32', 'keeps 0.75'] }],
      output: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [96], activation: 'elu', kernelInitializer: tf.initializers.heNormal({seed: 42})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'Glorot varianceScaling call before a leakyReLU layer',
      fileName: 'leaky.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], kernelInitializer: tf.initializers.varianceScaling({scale: 1, mode: 'fanAvg', distribution: 'uniform'})})`,
        `tf.layers.leakyReLU({alpha: 0.1})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [
        { text: `tf.initializers.varianceScaling({scale: 1, mode: 'fanAvg', distribution: 'uniform'})`, line: 4, message: ['leakyRelu'] },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], kernelInitializer: tf.initializers.heUniform({})})`,
        `tf.layers.leakyReLU({alpha: 0.1})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'three default-Glorot relu layers compound below 1/4: information with inserted He',
      fileName: 'deep.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu'})`,
        denseRelu(),
        denseRelu(),
        `tf.layers.dense({units: 1})`,
      ),
      errors: [
        { text: 'tf.layers.dense', line: 4, column: 3, severity: 'info', message: ['library default', 'compound to 0.125'] },
        { text: 'tf.layers.dense', line: 5, severity: 'info' },
        { text: 'tf.layers.dense', line: 6, severity: 'info' },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heNormal'})`,
        denseRelu(`, kernelInitializer: 'heNormal'`),
        denseRelu(`, kernelInitializer: 'heNormal'`),
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'Keras 2 string glorot_uniform becomes he_uniform',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu", "kernel_initializer": "glorot_uniform", "batch_input_shape": [null, 64]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
      errors: [{ text: '"glorot_uniform"', line: 6 }],
      output: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu", "kernel_initializer": "he_uniform", "batch_input_shape": [null, 64]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 3 GlorotNormal object becomes HeNormal',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu", "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotNormal", "config": {"seed": null}, "registered_name": null}, "batch_input_shape": [null, 64]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
      errors: [
        {
          text: '{"module": "keras.initializers", "class_name": "GlorotNormal", "config": {"seed": null}, "registered_name": null}',
          line: 7,
        },
      ],
      output: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu", "kernel_initializer": {"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null}, "registered_name": null}, "batch_input_shape": [null, 64]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
    },
    {
      name: 'TF.js model.json VarianceScaling fan_avg before relu6',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu6", "batch_input_shape": [null, 64], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
      errors: [
        {
          text: '{"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}}',
          line: 8,
        },
      ],
      output: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu6", "batch_input_shape": [null, 64], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 2, "mode": "fan_in", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 2 default glorot_uniform in a deep relu stack: information with inserted HeUniform',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "relu", "batch_input_shape": [null, 32]}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 32, "activation": "relu"}}`,
        `{"class_name": "Dense", "config": {"name": "d3", "units": 32, "activation": "relu"}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
      errors: [
        { text: '"Dense"', line: 6, severity: 'info' },
        { text: '"Dense"', line: 7, severity: 'info' },
        { text: '"Dense"', line: 8, severity: 'info' },
      ],
      output: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "relu", "batch_input_shape": [null, 32], "kernel_initializer": {"class_name": "HeUniform", "config": {"seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 32, "activation": "relu", "kernel_initializer": {"class_name": "HeUniform", "config": {"seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d3", "units": 32, "activation": "relu", "kernel_initializer": {"class_name": "HeUniform", "config": {"seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
  ],
});
