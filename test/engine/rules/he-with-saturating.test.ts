// Valid/invalid tables of he-with-saturating: He kernels before tanh, sigmoid, hardSigmoid or softsign.
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

runRuleTests('he-with-saturating', {
  valid: [
    {
      name: 'Glorot before tanh',
      fileName: 'tanh.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'tanh', kernelInitializer: 'glorotNormal'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'He before relu',
      fileName: 'relu.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heUniform'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'default init before sigmoid',
      fileName: 'sigmoid.ts',
      code: tsSequential(`tf.layers.dense({units: 8, inputShape: [8], activation: 'sigmoid'})`, `tf.layers.dense({units: 1})`),
    },
    {
      name: 'He on a linear layer followed by a relu layer',
      fileName: 'split.ts',
      code: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], kernelInitializer: 'heNormal'})`,
        `tf.layers.reLU()`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'Keras 2 lecun_normal before tanh',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "tanh", "kernel_initializer": "lecun_normal", "batch_input_shape": [null, 32]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'TF.js model.json He before elu',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "elu", "batch_input_shape": [null, 32], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 2, "mode": "fan_in", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
    },
  ],
  invalid: [
    {
      name: 'heNormal string before tanh',
      fileName: 'he-tanh.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'tanh', kernelInitializer: 'heNormal'})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [
        {
          text: `'heNormal'`,
          line: 4,
          column: 88,
          severity: 'warning',
          message: ['pre-activation variance of 1.55 (Glorot: 0.774)', '|x| > 1.82', 'Use glorotNormal (or leCunNormal)'],
        },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'tanh', kernelInitializer: 'glorotNormal'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'heUniform call with seed before sigmoid keeps call, seed and the uniform draw',
      fileName: 'he-sigmoid.ts',
      code: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [48], activation: 'sigmoid', kernelInitializer: tf.initializers.heUniform({seed: 7})})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [{ text: 'tf.initializers.heUniform({seed: 7})', line: 4, message: ['sigmoid', 'Use glorotUniform (or leCunUniform)'] }],
      output: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [48], activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({seed: 7})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'He written as varianceScaling before softsign',
      fileName: 'vs.ts',
      code: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], activation: 'softsign', kernelInitializer: tf.initializers.varianceScaling({scale: 2, mode: 'fanIn', distribution: 'normal'})})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [
        { text: `tf.initializers.varianceScaling({scale: 2, mode: 'fanIn', distribution: 'normal'})`, line: 4, message: ['softsign'] },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], activation: 'softsign', kernelInitializer: tf.initializers.glorotNormal({})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'He before a separate tanh activation layer',
      fileName: 'layer.ts',
      code: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], kernelInitializer: 'heNormal'})`,
        `tf.layers.activation({activation: 'tanh'})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [{ text: `'heNormal'`, line: 4 }],
      output: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], kernelInitializer: 'glorotNormal'})`,
        `tf.layers.activation({activation: 'tanh'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'a layer written once in a loop is reported once',
      fileName: 'loop.ts',
      code: `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({units: 32, inputShape: [32], activation: 'relu', kernelInitializer: 'heNormal'}));\nfor (let i = 0; i < 3; i++) {\n  model.add(tf.layers.dense({units: 32, activation: 'tanh', kernelInitializer: tf.initializers.heNormal({ seed: i })}));\n}\nmodel.add(tf.layers.dense({units: 1}));\n`,
      errors: [{ text: 'tf.initializers.heNormal({ seed: i })', line: 6, message: ['written once in a loop that repeats it 3 times'] }],
      output: `import * as tf from '@tensorflow/tfjs';\n\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({units: 32, inputShape: [32], activation: 'relu', kernelInitializer: 'heNormal'}));\nfor (let i = 0; i < 3; i++) {\n  model.add(tf.layers.dense({units: 32, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: i })}));\n}\nmodel.add(tf.layers.dense({units: 1}));\n`,
    },
    {
      name: 'Keras 2 he_uniform before hard_sigmoid',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "hard_sigmoid", "kernel_initializer": "he_uniform", "batch_input_shape": [null, 32]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
      errors: [{ text: '"he_uniform"', line: 6, message: ['hardSigmoid'] }],
      output: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "hard_sigmoid", "kernel_initializer": "glorot_uniform", "batch_input_shape": [null, 32]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`,
      ),
    },
    {
      name: 'Keras 3 HeNormal before tanh',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "tanh", "kernel_initializer": {"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null}, "registered_name": null}, "batch_input_shape": [null, 32]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
      errors: [
        {
          text: '{"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null}, "registered_name": null}',
          line: 7,
          message: ['pre-activation variance of 2 (Glorot: 1)'],
        },
      ],
      output: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "tanh", "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotNormal", "config": {"seed": null}, "registered_name": null}, "batch_input_shape": [null, 32]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
    },
    {
      name: 'TF.js model.json He before sigmoid',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "sigmoid", "batch_input_shape": [null, 32], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 2, "mode": "fan_in", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
      errors: [
        {
          text: '{"class_name": "VarianceScaling", "config": {"scale": 2, "mode": "fan_in", "distribution": "normal", "seed": null}}',
          line: 8,
        },
      ],
      output: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 32, "activation": "sigmoid", "batch_input_shape": [null, 32], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
    },
  ],
});
