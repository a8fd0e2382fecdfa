// The Keras idioms of test/fixtures/python/keras_*.py read into the IR: the key facts asserted by hand, beside the
// goldens (python-golden.test.ts), so a wrong golden cannot pass unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultUnitForgetBias } from '../../../../server/src/engine/catalog/layerDefaults';
import { isUnknown, type Layer } from '../../../../server/src/engine/ir';
import { fixtureModels, initSource, layerNamed, modelNamed, outline, pythonFixture } from './pythonGolden';

const GLOROT_UNIFORM = { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'uniform' };
const fans = (layer: Layer): [number | null, number | null] => [layer.fanIn, layer.fanOut];
const dense = (layers: Layer[]): Layer[] => layers.filter((l) => l.type === 'dense');

test('import forms: tf.keras paths, from tensorflow import keras, from-imported classes and initializers', () => {
  const text = pythonFixture('keras_imports.py');
  const models = fixtureModels('keras_imports.py');
  assert.deepEqual(
    models.map((m) => [m.name, m.dialect, m.kind]),
    [
      ['tf_paths', 'keras3', 'sequential'],
      ['keras_module', 'keras3', 'sequential'],
      ['names', 'keras3', 'sequential'],
    ],
  );
  const tfPaths = modelNamed(models, 'tf_paths');
  assert.deepEqual(tfPaths.inputShape, [20]);
  assert.deepEqual(
    tfPaths.layers.map((l) => [l.type, ...fans(l), l.activation.name]),
    [
      ['dense', 20, 64, 'relu'],
      ['dense', 64, 1, 'linear'],
    ],
  );
  assert.deepEqual(tfPaths.layers[0].kernelInitializer?.spec, GLOROT_UNIFORM, "Keras's Dense default is glorot_uniform");
  assert.equal(tfPaths.layers[0].kernelInitializer?.explicit, false);
  assert.deepEqual(tfPaths.layers[0].biasInitializer?.spec, { kind: 'zeros' });
  assert.equal(modelNamed(models, 'keras_module').layers[0].activation.name, 'tanh');
  const names = modelNamed(models, 'names');
  assert.deepEqual(
    names.layers.map((l) => l.type),
    ['dense', 'dropout', 'dense'],
  );
  const he = names.layers[0].kernelInitializer!;
  assert.deepEqual(
    [he.alias, he.form, he.callee, initSource(text, he)],
    ['heNormal', 'python-call', 'initializers.', 'initializers.HeNormal()'],
  );
  assert.equal(names.layers[1].config.rate, 0.5);
  assert.equal(names.layers[2].activation.name, 'sigmoid');
});

test('Sequential from a list (keras.Input first) and with model.add, Activation layers folded, a conv stack with shapes', () => {
  const text = pythonFixture('keras_sequential.py');
  const models = fixtureModels('keras_sequential.py');
  const listed = modelNamed(models, 'listed');
  assert.deepEqual(listed.inputShape, [784]);
  assert.deepEqual(
    listed.layers.map((l) => l.type),
    ['input', 'dense', 'dropout', 'dense'],
  );
  const he = listed.layers[1].kernelInitializer!;
  assert.deepEqual([he.alias, he.form, he.quote, he.explicit], ['heNormal', 'python-string', "'", true]);
  assert.equal(text.slice(he.propertySpan!.start, he.propertySpan!.end), "kernel_initializer='he_normal'");
  assert.deepEqual(listed.layers[3].activation.name, 'softmax');

  const added = modelNamed(models, 'added');
  assert.deepEqual(added.inputShape, [64]);
  assert.deepEqual(
    outline(added).map((l) => l.slice(1)),
    [
      ['dense', 'relu'],
      ['activation', 'relu'],
      ['dense', 'tanh'],
      ['activation', 'tanh'],
      ['dense', 'sigmoid'],
    ],
  );
  assert.deepEqual(
    dense(added.layers).map((l) => l.activation.source),
    ['layer', 'layer', 'own'],
    "Activation('relu') after a linear Dense is that Dense's activation",
  );
  assert.deepEqual(dense(added.layers).map(fans), [
    [64, 128],
    [128, 64],
    [64, 1],
  ]);

  const conv = modelNamed(models, 'conv');
  assert.deepEqual(conv.inputShape, [28, 28, 1]);
  assert.deepEqual(
    conv.layers.filter((l) => l.kernelInitializer).map((l) => [l.type, ...fans(l)]),
    [
      ['conv2d', 9, 288],
      ['conv2d', 288, 576],
      ['dense', 10816, 10],
    ],
  );
  assert.equal(conv.layers[3].config.padding, 'same');
});

test('functional API: layers called on tensors, a merge with two inbounds, keras.Model(inputs, outputs), a builder function', () => {
  const models = fixtureModels('keras_functional.py');
  const model = modelNamed(models, 'model');
  assert.equal(model.kind, 'functional');
  assert.deepEqual(
    model.layers.map((l) => l.type),
    ['input', 'dense', 'batchNormalization', 'dense', 'add', 'dense'],
  );
  const add = model.layers[4];
  assert.deepEqual(add.inbound, [model.layers[2].id, model.layers[3].id], 'add([x, branch]) reads the batch norm and the branch');
  assert.deepEqual(model.layers[3].inbound, [model.layers[2].id]);
  assert.deepEqual(
    dense(model.layers).map((l) => l.activation.name),
    ['relu', 'tanh', 'softmax'],
  );

  const textModel = modelNamed(models, 'text_model');
  assert.deepEqual(
    textModel.layers.map((l) => l.type),
    ['input', 'embedding', 'lstm', 'dense'],
  );
  assert.deepEqual(fans(textModel.layers[1]), [5000, 64], "vocab and dim from the builder's defaults");
  const lstm = textModel.layers[2];
  assert.deepEqual(fans(lstm), [64, 128], 'the combined [features, 4 · units] kernel');
  assert.deepEqual(lstm.recurrentInitializer?.spec, { kind: 'orthogonal', gain: 1 });
  assert.equal(lstm.config.unitForgetBias, undefined, 'not written ...');
  assert.equal(defaultUnitForgetBias(textModel.dialect), true, '... so Keras turns the forget-gate bias on');
  assert.deepEqual(textModel.layers[1].kernelInitializer?.spec, { kind: 'randomUniform', minval: -0.05, maxval: 0.05 });
});

test('subclassed keras.Model: layers from __init__ in the order call uses them, named by attribute, activations as functions', () => {
  const [model] = fixtureModels('keras_subclass.py');
  assert.equal(model.name, 'model');
  assert.deepEqual(
    dense(model.layers).map((l) => [l.name, l.activation.name]),
    [
      ['d1', 'relu'],
      ['d2', 'relu'],
      ['block.dense', 'relu'],
      ['d3', 'tanh'],
      ['out', 'softmax'],
    ],
  );
  assert.equal(layerNamed(model, 'd1').activation.source, 'layer', "Activation('relu') folded into d1");
  assert.equal(layerNamed(model, 'd1').kernelInitializer?.alias, 'heNormal');
  const add = model.layers.find((l) => l.type === 'add');
  assert.ok(add);
  assert.deepEqual(add.inbound, [layerNamed(model, 'd2').id, layerNamed(model, 'block.dense').id], "the custom layer's residual");
  assert.deepEqual(fans(layerNamed(model, 'out')), [64, 10]);
  assert.equal(model.layers[0].fanIn, null, 'the first Dense learns its input size at build time');
});

test('initializers: strings, classes (called or not), VarianceScaling arguments, legacy aliases, recurrent and embeddings initializers', () => {
  const text = pythonFixture('keras_initializers.py');
  const models = fixtureModels('keras_initializers.py');
  const kernels = (name: string) => dense(modelNamed(models, name).layers).map((l) => l.kernelInitializer);

  assert.deepEqual(
    kernels('strings').map((a) => a?.alias),
    ['heNormal', 'glorotUniform', 'leCunNormal', 'zeros'],
  );
  assert.ok(kernels('strings').every((a) => a?.explicit && a.form === 'python-string'));
  assert.deepEqual(dense(modelNamed(models, 'strings').layers)[3].biasInitializer?.spec, { kind: 'ones' });

  const classes = kernels('classes');
  assert.deepEqual(
    classes.map((a) => a?.spec),
    [
      { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'normal' },
      { kind: 'randomNormal', mean: 0, stddev: 0.05 },
      { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' },
      { kind: 'orthogonal', gain: 1 },
      GLOROT_UNIFORM,
    ],
  );
  assert.equal(initSource(text, classes[1]), 'tf.keras.initializers.RandomNormal(stddev=0.05)');
  assert.equal(classes[1]?.callee, 'tf.keras.initializers.');
  assert.deepEqual(dense(modelNamed(models, 'classes').layers)[3].biasInitializer?.spec, { kind: 'constant', value: 0.1 });
  assert.ok(classes.every((a) => a?.explicit && a.form === 'python-call'));

  assert.deepEqual(
    kernels('legacy').map((a) => a?.spec),
    [
      { kind: 'randomNormal', mean: 0, stddev: 0.05 },
      { kind: 'randomUniform', minval: -0.05, maxval: 0.05 },
      { kind: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'uniform' },
      { kind: 'zeros' },
    ],
  );

  const recurrent = modelNamed(models, 'recurrent');
  assert.deepEqual(
    recurrent.layers.map((l) => l.type),
    ['input', 'embedding', 'lstm', 'lstm', 'gru', 'simpleRNN', 'dense'],
  );
  const [embedding, lstm1, lstm2, gru, rnn] = recurrent.layers.slice(1);
  assert.equal(embedding.kernelInitializer?.explicit, true);
  assert.deepEqual(embedding.kernelInitializer?.spec, { kind: 'randomUniform', minval: -0.05, maxval: 0.05 });
  assert.deepEqual([lstm1.recurrentInitializer?.spec, lstm1.recurrentInitializer?.explicit], [{ kind: 'orthogonal', gain: 1 }, false]);
  assert.deepEqual(
    [fans(lstm1), fans(lstm2), fans(gru), fans(rnn)],
    [
      [64, 512],
      [128, 256],
      [64, 96],
      [32, 16],
    ],
  );
  assert.equal(lstm1.config.unitForgetBias, undefined);
  assert.equal(lstm2.config.unitForgetBias, false, 'unit_forget_bias=False is read');
  assert.deepEqual([lstm2.recurrentInitializer?.alias, lstm2.recurrentInitializer?.explicit], ['glorotUniform', true]);
  assert.equal(initSource(text, gru.recurrentInitializer), 'initializers.Orthogonal()');
  assert.deepEqual([rnn.activation.name, rnn.kernelInitializer?.alias], ['relu', 'heUniform']);
});

test('values: argparse and a config read at run time stay unknown; module constants and default arguments are known', () => {
  const text = pythonFixture('keras_values.py');
  const models = fixtureModels('keras_values.py');
  const fromArgs = dense(modelNamed(models, 'from_args').layers)[0];
  assert.ok(isUnknown(fromArgs.config.units));
  assert.equal(fromArgs.fanOut, null);
  assert.equal(fromArgs.kernelInitializer?.spec.kind, 'unknown', 'args.init is not guessed from its argparse default');
  assert.equal(fromArgs.kernelInitializer?.explicit, true);

  const fromConfig = dense(modelNamed(models, 'from_config').layers)[0];
  assert.equal(fromConfig.activation.name, null, 'the activation read from a config is unknown');
  assert.equal(fromConfig.kernelInitializer?.spec.kind, 'unknown');
  assert.deepEqual(fans(fromConfig), [20, 64]);

  const fromConstants = dense(modelNamed(models, 'from_constants').layers)[0];
  assert.deepEqual([fromConstants.config.units, fromConstants.kernelInitializer?.alias], [128, 'heUniform']);
  assert.equal(initSource(text, fromConstants.kernelInitializer), 'INIT', 'the span is where the value is written in the layer call');

  const fromDefaults = dense(modelNamed(models, 'from_defaults').layers)[0];
  assert.deepEqual(
    [fromDefaults.config.units, fromDefaults.activation.name, fromDefaults.kernelInitializer?.alias],
    [32, 'tanh', 'glorotNormal'],
  );
  assert.ok(
    models.every((m) => m.notes.length === 0),
    JSON.stringify(models.map((m) => m.notes)),
  );
});
