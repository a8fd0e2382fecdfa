// Valid/invalid tables of init-scale-mismatch: fixed-scale kernels whose variance is off for the fan-in and activation.
import { keras2Sequential, keras3Sequential, runRuleTests, tfjsModelJson, tsSequential } from './ruleTester';

const smallStd = (extra = '') =>
  tsSequential(
    `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.05, seed: 1})})`,
    `tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.05, seed: 1})${extra}})`,
    `tf.layers.dense({units: 1})`,
  );

/** A Keras Python model whose first hidden layer uses `init` (fan-in 64, relu). */
const kerasPy = (init: string) => `import keras
from keras import layers, initializers

SEED = 7
model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu", kernel_initializer=${init}),
    layers.Dense(1),
])
`;

runRuleTests('init-scale-mismatch', {
  valid: [
    {
      name: 'stddev 0.05 happens to fit relu at fan-in 784',
      fileName: 'mnist.ts',
      code: tsSequential(
        `tf.layers.dense({units: 128, inputShape: [784], activation: 'relu', kernelInitializer: tf.initializers.randomNormal({stddev: 0.05})})`,
        `tf.layers.dense({units: 10, activation: 'softmax'})`,
      ),
    },
    {
      name: 'fan-in-aware initializers are not fixed-scale',
      fileName: 'he.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: 'heNormal'})`,
        `tf.layers.dense({units: 64, activation: 'tanh', kernelInitializer: tf.initializers.varianceScaling({scale: 1, mode: 'fanAvg'})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'embedding tables keep their uniform default',
      fileName: 'embed.ts',
      code: tsSequential(
        `tf.layers.embedding({inputDim: 1000, outputDim: 64, inputLength: 10, embeddingsInitializer: tf.initializers.randomUniform({minval: -0.05, maxval: 0.05})})`,
        `tf.layers.flatten()`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'uniform ±0.05 before tanh at fan-in 512 is within 4x',
      fileName: 'tanh.ts',
      code: tsSequential(
        `tf.layers.dense({units: 512, inputShape: [512], activation: 'tanh', kernelInitializer: 'randomUniform'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'a looser threshold option accepts a 12.5x mismatch',
      fileName: 'loose.ts',
      code: smallStd(),
      thresholds: { scaleMismatchFactor: 20 },
    },
    {
      name: 'Keras 2 RandomNormal stddev 0.05 at fan-in 784 before relu',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 128, "activation": "relu", "kernel_initializer": {"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 0.05, "seed": null}}, "batch_input_shape": [null, 784]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 10, "activation": "softmax"}}`,
      ),
    },
  ],
  invalid: [
    {
      name: 'stddev 0.05 at fan-in 64 before relu: call form and seed kept',
      fileName: 'small.ts',
      code: smallStd(),
      errors: [
        {
          text: 'tf.initializers.randomNormal({mean: 0, stddev: 0.05, seed: 1})',
          line: 4,
          severity: 'warning',
          message: ['64 × 0.0025 × 0.5 = 0.08', 'heNormal gives 1', '12.5x too small', '2 fixed-scale layers compound to 0.0064x'],
        },
        { text: 'tf.initializers.randomNormal({mean: 0, stddev: 0.05, seed: 1})', line: 5 },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 1})})`,
        `tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 1})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'stddev 1 before tanh explodes',
      fileName: 'large.ts',
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'tanh', kernelInitializer: tf.initializers.randomNormal({stddev: 1})})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [
        {
          text: 'tf.initializers.randomNormal({stddev: 1})',
          line: 4,
          message: ['E[tanh(z)²] = 64 × 1 × 0.394', '64x too large', 'Use glorotNormal'],
        },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [64], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'randomUniform ±1 before relu keeps a uniform draw',
      fileName: 'uniform.ts',
      code: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], activation: 'relu', kernelInitializer: tf.initializers.randomUniform({minval: -1, maxval: 1})})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [
        {
          text: 'tf.initializers.randomUniform({minval: -1, maxval: 1})',
          line: 4,
          message: ['32 × 0.333 × 0.5 = 5.33', '5.33x too large'],
        },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], activation: 'relu', kernelInitializer: tf.initializers.heUniform({})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'a custom varianceScaling scale of 20',
      fileName: 'vs.ts',
      code: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], activation: 'relu', kernelInitializer: tf.initializers.varianceScaling({scale: 20, seed: 5})})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [
        {
          text: 'tf.initializers.varianceScaling({scale: 20, seed: 5})',
          line: 4,
          message: ['varianceScaling(scale 20, fanIn, normal)', '7.74x too large'],
        },
      ],
      output: tsSequential(
        `tf.layers.dense({units: 32, inputShape: [32], activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 5})})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'a tighter threshold option flags a 3.1x mismatch',
      fileName: 'tight.ts',
      thresholds: { scaleMismatchFactor: 2 },
      code: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [256], activation: 'relu', kernelInitializer: 'randomNormal'})`,
        `tf.layers.dense({units: 1})`,
      ),
      errors: [{ text: `'randomNormal'`, line: 4, message: ['threshold 2x'] }],
      output: tsSequential(
        `tf.layers.dense({units: 64, inputShape: [256], activation: 'relu', kernelInitializer: 'heNormal'})`,
        `tf.layers.dense({units: 1})`,
      ),
    },
    {
      name: 'Keras 2 RandomNormal stddev 1 at fan-in 784',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 128, "activation": "relu", "kernel_initializer": {"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 1.0, "seed": null}}, "batch_input_shape": [null, 784]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 10, "activation": "softmax"}}`,
      ),
      errors: [
        {
          text: '{"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 1.0, "seed": null}}',
          line: 6,
          message: ['392x too large'],
        },
      ],
      output: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 128, "activation": "relu", "kernel_initializer": {"class_name": "HeNormal", "config": {"seed": null}}, "batch_input_shape": [null, 784]}}`,
        `{"class_name": "Dense", "config": {"name": "out", "units": 10, "activation": "softmax"}}`,
      ),
    },
    {
      name: 'Keras 3 RandomUniform ±0.05 at fan-in 8',
      fileName: 'model.json',
      code: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 8, "activation": "relu", "kernel_initializer": {"module": "keras.initializers", "class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": null}, "registered_name": null}, "batch_input_shape": [null, 8]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
      errors: [
        {
          text: '{"module": "keras.initializers", "class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": null}, "registered_name": null}',
          line: 7,
          message: ['too small'],
        },
      ],
      output: keras3Sequential(
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1", "units": 8, "activation": "relu", "kernel_initializer": {"module": "keras.initializers", "class_name": "HeUniform", "config": {"seed": null}, "registered_name": null}, "batch_input_shape": [null, 8]}, "registered_name": null}`,
        `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 1}, "registered_name": null}`,
      ),
    },
    {
      name: 'TF.js model.json TruncatedNormal stddev 0.01 at fan-in 128',
      fileName: 'model.json',
      code: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu", "batch_input_shape": [null, 128], "kernel_initializer": {"class_name": "TruncatedNormal", "config": {"mean": 0, "stddev": 0.01, "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
      errors: [
        {
          text: '{"class_name": "TruncatedNormal", "config": {"mean": 0, "stddev": 0.01, "seed": null}}',
          line: 8,
          message: ['truncatedNormal(stddev 0.01)', '202x too small'],
        },
      ],
      output: tfjsModelJson(
        `{"class_name": "Dense", "config": {"name": "d1", "units": 64, "activation": "relu", "batch_input_shape": [null, 128], "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 2, "mode": "fan_in", "distribution": "normal", "seed": null}}}}`,
        `{"class_name": "Dense", "config": {"name": "d2", "units": 1}}`,
      ),
    },
    {
      name: 'Keras Python RandomNormal stddev 0.05 at fan-in 64 before relu: class form and seed kept',
      fileName: 'seeded.py',
      code: kerasPy('initializers.RandomNormal(stddev=0.05, seed=SEED)'),
      errors: [{ text: 'initializers.RandomNormal(stddev=0.05, seed=SEED)', line: 7, message: ['12.5x too small', 'Use he_normal'] }],
      output: kerasPy('initializers.HeNormal(seed=SEED)'),
    },
    {
      name: 'Keras Python RandomUniform without a seed',
      fileName: 'unseeded.py',
      code: kerasPy('keras.initializers.RandomUniform(-0.05, 0.05)'),
      errors: [{ text: 'keras.initializers.RandomUniform(-0.05, 0.05)', line: 7, message: ['too small'] }],
      output: kerasPy('keras.initializers.HeUniform()'),
    },
  ],
});
