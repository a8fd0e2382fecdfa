// Valid/invalid tables of invalid-config: config values the library would reject, reported as such.
import { keras2Sequential, runRuleTests, tsSequential } from './ruleTester';

const head = `tf.layers.dense({units: 1})`;
const kerasOut = `{"class_name": "Dense", "config": {"name": "out", "units": 1}}`;

runRuleTests('invalid-config', {
  valid: [
    {
      name: 'ordinary units, rate and stddev',
      fileName: 'ok.ts',
      code: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [8], kernelInitializer: tf.initializers.randomNormal({stddev: 0.1})})`,
        `tf.layers.dropout({rate: 0})`,
        head,
      ),
    },
    {
      name: 'a rate just below 1',
      fileName: 'rate.ts',
      code: tsSequential(`tf.layers.dense({units: 16, inputShape: [8]})`, `tf.layers.dropout({rate: 0.99})`, head),
    },
    {
      name: 'units not known statically is not invalid',
      fileName: 'unknown.ts',
      code: tsSequential(`tf.layers.dense({units: width, inputShape: [8]})`, head),
    },
    {
      name: 'stddev 0 (TF.js reads it as 0.05)',
      fileName: 'zero.ts',
      code: tsSequential(
        `tf.layers.dense({units: 4, inputShape: [8], kernelInitializer: tf.initializers.randomNormal({stddev: 0})})`,
        head,
      ),
    },
  ],
  invalid: [
    {
      name: 'negative units',
      fileName: 'units.ts',
      code: tsSequential(`tf.layers.dense({units: -3, inputShape: [8]})`, head),
      errors: [{ text: '-3', line: 4, severity: 'error', message: ['units must be a positive integer, got -3'] }],
      output: null,
    },
    {
      name: 'fractional filters and a zero kernel size',
      fileName: 'conv.ts',
      code: tsSequential(`tf.layers.conv2d({filters: 2.5, kernelSize: [3, 0], inputShape: [28, 28, 1]})`, `tf.layers.flatten()`, head),
      errors: [
        { text: '2.5', line: 4, message: ['filters must be a positive integer, got 2.5'] },
        { text: '[3, 0]', line: 4, message: ['kernelSize must be a positive integer or a list of them, got 0'] },
      ],
      output: null,
    },
    {
      name: 'dropout rate 1 and a NaN rate',
      fileName: 'rate.ts',
      code: tsSequential(
        `tf.layers.dense({units: 16, inputShape: [8]})`,
        `tf.layers.dropout({rate: 1})`,
        `tf.layers.dropout({rate: NaN})`,
        head,
      ),
      errors: [
        { text: '1', line: 5, message: ['rate must be a number in [0, 1), got 1'] },
        { text: 'NaN', line: 6, message: ['rate must be a number in [0, 1), got a value that is not a number'] },
      ],
      output: null,
    },
    {
      name: 'negative and infinite stddev',
      fileName: 'stddev.ts',
      code: tsSequential(
        `tf.layers.dense({units: 4, inputShape: [8], kernelInitializer: tf.initializers.randomNormal({stddev: -0.5})})`,
        `tf.layers.dense({units: 4, kernelInitializer: tf.initializers.truncatedNormal({stddev: -Infinity})})`,
        head,
      ),
      errors: [
        { text: 'tf.initializers.randomNormal({stddev: -0.5})', line: 4, message: ['stddev must be a number in [0, 1e6], got -0.5'] },
        {
          text: 'tf.initializers.truncatedNormal({stddev: -Infinity})',
          line: 5,
          message: ['stddev must be a number in [0, 1e6], got an infinite value'],
        },
      ],
      output: null,
    },
    {
      name: 'Keras JSON: units 1e308 and an infinite scale',
      fileName: 'model.json',
      code: keras2Sequential(
        `{"class_name": "Dense", "config": {"name": "big", "units": 1e308, "batch_input_shape": [null, 8]}}`,
        `{"class_name": "Dense", "config": {"name": "scaled", "units": 4, "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": -2, "mode": "fan_in", "distribution": "normal"}}}}`,
        kerasOut,
      ),
      errors: [
        { text: '1e308', line: 6, message: ['units must be a positive integer', 'got 1e+308'] },
        {
          text: '{"class_name": "VarianceScaling", "config": {"scale": -2, "mode": "fan_in", "distribution": "normal"}}',
          line: 7,
          message: ['scale must be a number in (0, 1e6], got -2'],
        },
      ],
      output: null,
    },
  ],
});
