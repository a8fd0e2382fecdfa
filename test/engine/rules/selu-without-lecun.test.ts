// Valid/invalid tables of selu-without-lecun: selu needs LeCun-normal kernels and AlphaDropout.
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

runRuleTests('selu-without-lecun', {
  valid: [
    {
      name: 'selu with leCunNormal and alphaDropout',
      fileName: 'ok.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'selu', kernelInitializer: 'leCunNormal'})`,
        `tf.layers.alphaDropout({rate: 0.1})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'relu with plain dropout',
      fileName: 'relu.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'relu', kernelInitializer: 'heNormal'})`,
        `tf.layers.dropout({rate: 0.5})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'LeCun normal written as varianceScaling',
      fileName: 'vs.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'selu', kernelInitializer: tf.initializers.varianceScaling({scale: 1, mode: 'fanIn', distribution: 'normal'})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: "tanh with the default init is not this rule's business",
      fileName: 'tanh.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'tanh'})`,
        `tf.layers.dropout({rate: 0.2})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'Keras 2 lecun_normal selu with AlphaDropout',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "selu", "kernel_initializer": "lecun_normal", "batch_input_shape": [null, 32]}}`,
        `{"class_name": "AlphaDropout", "config": {"name": "ad", "rate": 0.1}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 3 LecunNormal selu',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "selu", "kernel_initializer": {"module": "keras.initializers", "class_name": "LecunNormal", "config": {"seed": null}, "registered_name": null}, "batch_input_shape": [null, 32]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
    },
  ],
  invalid: [
    {
      name: 'selu with the library default: leCunNormal inserted',
      fileName: 'default.ts',
      code: tsSequential(`tf.layers.dense({units: 64, inputShape: [32], activation: 'selu'})`, `tf.layers.dense({units: 1})`),
      errors: [
        {
          text: 'tf.layers.dense',
          line: 4,
          column: 3,
          severity: 'warning',
          message: ['glorotNormal (the library default)', 'fan_in·Var(W) = 0.516 at fan-in 32 (leCunNormal: 0.774)', 'Use leCunNormal'],
        },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'selu', kernelInitializer: 'leCunNormal'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'selu with glorotUniform',
      fileName: 'glorot.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'selu', kernelInitializer: 'glorotUniform'})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [{ text: `'glorotUniform'`, line: 4, message: ['fan_in·Var(W) = 1 at fan-in 64'] }],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'selu', kernelInitializer: 'leCunNormal'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'selu with leCunUniform call keeps the call form',
      fileName: 'uniform.ts',
      code: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [16], activation: 'selu', kernelInitializer: tf.initializers.leCunUniform({seed: 3})})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [{ text: 'tf.initializers.leCunUniform({seed: 3})', line: 4 }],
      output: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [16], activation: 'selu', kernelInitializer: tf.initializers.leCunNormal({seed: 3})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'plain dropout after selu becomes alphaDropout',
      fileName: 'dropout.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'selu', kernelInitializer: 'leCunNormal'})`,
        `tf.layers.dropout({rate: 0.2})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [{ text: 'tf.layers.dropout', line: 5, column: 3, message: ['rate 0.2', '1.25', 'alphaDropout'] }],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [32], activation: 'selu', kernelInitializer: 'leCunNormal'})`,
        `tf.layers.alphaDropout({rate: 0.2})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'Keras 2 he_normal selu and Dropout',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "selu", "kernel_initializer": "he_normal", "batch_input_shape": [null, 32]}}`,
        `{"class_name": "Dropout", "config": {"name": "drop", "rate": 0.1}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
      errors: [
        { text: '"he_normal"', line: 6, message: ['fan_in·Var(W) = 2'] },
        { text: '"Dropout"', line: 7 },
      ],
      output: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "selu", "kernel_initializer": "lecun_normal", "batch_input_shape": [null, 32]}}`,
        `{"class_name": "AlphaDropout", "config": {"name": "drop", "rate": 0.1}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 3 selu with the default init: LecunNormal inserted in Keras 3 form',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "selu", "batch_input_shape": [null, 32]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
      errors: [{ text: '"Dense"', line: 7, message: ['glorotUniform (the library default)'] }],
      output: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "selu", "batch_input_shape": [null, 32], "kernel_initializer": {"module": "keras.initializers", "class_name": "LecunNormal", "config": {"seed": null}, "registered_name": null}}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
    },
    {
      name: 'TF.js model.json selu with Glorot VarianceScaling',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "selu", "batch_input_shape": [null, 32], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
      errors: [
        {
          text: '{"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}}',
          line: 8,
        },
      ],
      output: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "selu", "batch_input_shape": [null, 32], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_in", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
    },
  ],
});
