// Tests of the JSON front end on realistic Keras 2 / Keras 3 / TF.js model files: structure, spans, defaults, fans, insertion, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelJson } from '../../../../server/src/engine/frontends/json';
import type { Layer, Model, Span } from '../../../../server/src/engine/ir';

const FIXTURES = join(__dirname, '../../../../../test/fixtures/json');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const FIXTURE_NAMES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json'))
  .sort();

function onlyModel(text: string): Model {
  const result = parseModelJson(text);
  assert.equal(result.models.length, 1, 'one model');
  return result.models[0];
}

function layer(model: Model, id: string): Layer {
  const found = model.layers.find((l) => l.id === id);
  assert.ok(found, `layer ${id} in ${model.layers.map((l) => l.id).join(', ')}`);
  return found;
}

const slice = (text: string, span: Span | undefined): string => {
  assert.ok(span, 'span present');
  return text.slice(span.start, span.end);
};

test('Keras 2 Sequential (compact model.to_json()): layers, dialect, initializers, activations, fans', () => {
  const text = fixture('keras2-sequential.json');
  const model = onlyModel(text);
  assert.equal(model.kind, 'sequential');
  assert.equal(model.dialect, 'keras2');
  assert.equal(model.name, 'mlp_classifier');
  assert.deepEqual(model.inputShape, [784]);
  assert.deepEqual(
    model.layers.map((l) => l.type),
    ['input', 'dense', 'dense', 'dropout', 'dense', 'dense'],
  );
  assert.deepEqual(
    model.layers.map((l) => l.inbound),
    [[], ['dense_input'], ['dense'], ['dense_1'], ['dropout'], ['dense_2']],
  );

  const first = layer(model, 'dense');
  assert.deepEqual([first.fanIn, first.fanOut, first.outputSize], [784, 256, 256]);
  assert.deepEqual(first.activation, { name: 'relu', explicit: true, source: 'own', valueSpan: first.properties.activation.valueSpan });
  assert.equal(first.kernelInitializer?.alias, 'glorotUniform');
  assert.equal(first.kernelInitializer?.form, 'json-object');
  assert.equal(first.kernelInitializer?.key, 'kernelInitializer');
  assert.deepEqual(first.kernelInitializer?.spec, { kind: 'varianceScaling', scale: 1, mode: 'fanAvg', distribution: 'uniform' });
  assert.equal(first.config.useBias, true);
  assert.deepEqual(first.config.kernelInitializer, { className: 'GlorotUniform', config: { seed: null } });

  const fixedScale = layer(model, 'dense_2');
  assert.deepEqual(fixedScale.kernelInitializer?.spec, { kind: 'randomNormal', mean: 0, stddev: 0.05 });
  assert.deepEqual(fixedScale.biasInitializer?.spec, { kind: 'constant', value: 0.1 });
  assert.deepEqual([fixedScale.fanIn, fixedScale.fanOut], [128, 64], 'dropout passes the shape through');

  const output = layer(model, 'dense_3');
  assert.equal(output.kernelInitializer?.form, 'json-string');
  assert.deepEqual(output.kernelInitializer?.spec, { kind: 'zeros' });
  assert.equal(slice(text, output.kernelInitializer?.valueSpan), '"zeros"');
  assert.equal(slice(text, output.kernelInitializer?.propertySpan), '"kernel_initializer": "zeros"');
  assert.equal(layer(model, 'dropout').activation.name, 'linear');
  assert.equal(layer(model, 'dropout').activation.source, 'default');
});

test('Keras 2 Functional (Keras 2.15 with module markers): graph, concatenate fans, folded LeakyReLU', () => {
  const text = fixture('keras2-functional.json');
  const model = onlyModel(text);
  assert.equal(model.kind, 'functional');
  assert.equal(model.dialect, 'keras2', 'keras_version 2.x wins over Keras 3-looking markers');
  assert.deepEqual(model.inputShape, [32]);
  assert.deepEqual(layer(model, 'concatenate').inbound, ['features', 'leaky_re_lu']);
  assert.equal(layer(model, 'concatenate').outputSize, 96);
  assert.deepEqual([layer(model, 'output').fanIn, layer(model, 'output').fanOut], [96, 1]);

  const hidden2 = layer(model, 'hidden_2');
  assert.equal(hidden2.activation.name, 'leakyRelu');
  assert.equal(hidden2.activation.source, 'layer');
  assert.equal(hidden2.activation.alpha, 0.2);
  assert.equal(slice(text, hidden2.activation.valueSpan), '"LeakyReLU"');
  assert.equal(hidden2.kernelInitializer?.alias, 'heUniform');
  // The activation layer keeps its own activation too.
  assert.equal(layer(model, 'leaky_re_lu').activation.source, 'own');
  assert.equal(layer(model, 'hidden_1').activation.source, 'own');
});

test('Keras 3 Sequential: dialect from markers, build_config shapes, string initializer, compile_config loss', () => {
  const text = fixture('keras3-sequential.json');
  const model = onlyModel(text);
  assert.equal(model.dialect, 'keras3');
  assert.equal(model.kind, 'sequential');
  assert.deepEqual(model.inputShape, [20]);
  assert.equal(model.loss, 'binary_crossentropy');
  assert.deepEqual(
    model.layers.map((l) => l.type),
    ['input', 'dense', 'alphaDropout', 'dense', 'dense'],
  );
  const dense = layer(model, 'dense');
  assert.equal(dense.activation.name, 'selu');
  assert.equal(dense.kernelInitializer?.alias, 'leCunNormal');
  assert.deepEqual([dense.fanIn, dense.fanOut], [20, 64]);
  const dense1 = layer(model, 'dense_1');
  assert.equal(dense1.kernelInitializer?.form, 'json-string');
  assert.equal(dense1.kernelInitializer?.alias, 'heNormal');
  assert.equal(slice(text, dense1.kernelInitializer?.valueSpan), '"he_normal"');
});

test('Keras 3 Functional: keras tensors in inbound_nodes, residual add, conv fans with strides, BN + Activation fold', () => {
  const text = fixture('keras3-functional.json');
  const model = onlyModel(text);
  assert.equal(model.dialect, 'keras3');
  assert.equal(model.kind, 'functional');
  assert.deepEqual(model.inputShape, [32, 32, 3]);
  assert.equal(model.loss, 'SparseCategoricalCrossentropy');
  const stem = layer(model, 'stem');
  assert.deepEqual([stem.fanIn, stem.fanOut, stem.outputSize], [27, 144, 16]);
  assert.deepEqual(layer(model, 'residual').inbound, ['stem', 'branch_out']);
  assert.equal(layer(model, 'residual').type, 'add');
  assert.deepEqual([layer(model, 'logits').fanIn, layer(model, 'logits').fanOut], [16, 10]);
  // The ReLU follows BatchNormalization, not the conv: the conv's own output stays linear.
  assert.equal(layer(model, 'branch_conv').activation.name, 'linear');
  assert.equal(layer(model, 'branch_out').kernelInitializer?.spec.kind, 'zeros');
  assert.equal(layer(model, 'branch_conv').config.useBias, false);
  assert.equal(layer(model, 'branch_conv').biasInitializer, undefined, 'no bias, no bias initializer');
  assert.equal(layer(model, 'branch_bn').kernelInitializer, undefined);
});

test('TF.js model.json converted from Keras: model_config, training_config loss, VarianceScaling aliases, conv1d/embedding fans', () => {
  const text = fixture('tfjs-converted-model.json');
  const model = onlyModel(text);
  assert.equal(model.dialect, 'tfjs');
  assert.equal(model.loss, 'binary_crossentropy');
  const modelConfigStart = text.indexOf('"model_config": ') + '"model_config": '.length;
  assert.equal(model.span.start, modelConfigStart, 'the model span is the model_config object');
  const embedding = layer(model, 'embedding');
  assert.equal(embedding.kernelInitializer?.key, 'embeddingsInitializer');
  assert.deepEqual(embedding.kernelInitializer?.spec, { kind: 'randomUniform', minval: -0.05, maxval: 0.05 });
  assert.deepEqual([embedding.fanIn, embedding.fanOut], [10000, 64]);
  const conv = layer(model, 'conv1d');
  assert.equal(conv.kernelInitializer?.alias, 'glorotUniform');
  assert.deepEqual([conv.fanIn, conv.fanOut], [5 * 64, 5 * 32]);
  assert.deepEqual([layer(model, 'dense').fanIn, layer(model, 'dense').fanOut], [32, 1]);
});

test('TF.js model.json saved by tfjs-layers (modelTopology direct): fans agree with the weightsManifest kernel shapes', () => {
  const text = fixture('tfjs-saved-model.json');
  const model = onlyModel(text);
  assert.equal(model.dialect, 'tfjs');
  assert.deepEqual(model.inputShape, [28, 28, 1]);
  const manifest = JSON.parse(text).weightsManifest[0].weights as { name: string; shape: number[] }[];
  let checked = 0;
  for (const l of model.layers) {
    const kernel = manifest.find((w) => w.name === `${l.name}/kernel`);
    if (!kernel) continue;
    const receptive = kernel.shape.slice(0, -2).reduce((a, b) => a * b, 1);
    assert.deepEqual([l.fanIn, l.fanOut], [kernel.shape.at(-2)! * receptive, kernel.shape.at(-1)! * receptive], l.name);
    checked++;
  }
  assert.equal(checked, 4);
  const conv2 = layer(model, 'conv2d_Conv2D2');
  assert.equal(conv2.kernelInitializer?.alias, 'glorotNormal', 'VarianceScaling(1, fan_avg, normal) is glorotNormal');
  assert.deepEqual(conv2.activation, { name: 'relu', explicit: true, source: 'layer', valueSpan: conv2.activation.valueSpan });
  assert.equal(slice(text, conv2.activation.valueSpan), '"ReLU"');
  assert.deepEqual(layer(model, 'dense_Dense1').kernelInitializer?.spec, { kind: 'randomNormal', mean: 0, stddev: 0.01 });
});

test('TF.js toJSON() output: Bidirectional and TimeDistributed wrappers become the wrapped layer', () => {
  const text = fixture('tfjs-tojson.json');
  const model = onlyModel(text);
  assert.equal(model.dialect, 'tfjs');
  assert.deepEqual(model.inputShape, [40]);
  const bidirectional = layer(model, 'bidirectional_Bidirectional1');
  assert.equal(bidirectional.type, 'lstm');
  assert.equal(bidirectional.wrapper, 'Bidirectional');
  assert.equal(bidirectional.config.units, 16);
  assert.equal(bidirectional.recurrentInitializer?.alias, 'orthogonal');
  assert.deepEqual([bidirectional.fanIn, bidirectional.fanOut, bidirectional.outputSize], [32, 64, 32]);
  assert.ok(slice(text, bidirectional.span).startsWith('{\n        "class_name": "Bidirectional"'));
  assert.equal(JSON.parse(slice(text, bidirectional.configSpan)).name, 'lstm_LSTM1', 'configSpan is the wrapped layer config');
  assert.equal(slice(text, bidirectional.properties.recurrentInitializer.keySpan), '"recurrent_initializer"');
  const timeDistributed = layer(model, 'time_distributed_TimeDistributed1');
  assert.equal(timeDistributed.type, 'dense');
  assert.equal(timeDistributed.wrapper, 'TimeDistributed');
  assert.deepEqual([timeDistributed.fanIn, timeDistributed.fanOut], [32, 8]);
});

/** A Sequential of one wrapper layer as Keras 2 / TF.js write it; `wrapperShape` and `innerShape` are batch_input_shape entries, absent when null. */
function wrapperModelJson(
  wrapper: string,
  inner: { className: string; config: Record<string, unknown> },
  wrapperShape: unknown,
  innerShape: unknown = null,
  shapeKey = 'batch_input_shape',
): string {
  const innerConfig = innerShape === null ? inner.config : { ...inner.config, [shapeKey]: innerShape };
  const wrapperConfig: Record<string, unknown> = { name: 'wrapped', layer: { class_name: inner.className, config: innerConfig } };
  if (wrapperShape !== null) wrapperConfig[shapeKey] = wrapperShape;
  return JSON.stringify(
    { class_name: 'Sequential', config: { name: 'seq', layers: [{ class_name: wrapper, config: wrapperConfig }] } },
    null,
    2,
  );
}

const LSTM_32 = { className: 'LSTM', config: { name: 'lstm', units: 32 } };
const DENSE_8 = { className: 'Dense', config: { name: 'dense', units: 8 } };

test("batch_input_shape on a wrapper's own config is the wrapped layer's input: fans, shapes, the model's input shape", () => {
  for (const shapeKey of ['batch_input_shape', 'batchInputShape']) {
    const bidirectional = onlyModel(wrapperModelJson('Bidirectional', LSTM_32, [null, 10, 16], null, shapeKey));
    assert.deepEqual(bidirectional.inputShape, [10, 16], shapeKey);
    const [bi] = bidirectional.layers;
    assert.equal(bi.wrapper, 'Bidirectional');
    assert.deepEqual([bi.fanIn, bi.fanOut, bi.outputSize, bi.outputShape], [16, 128, 64, [64]], shapeKey);
    assert.deepEqual(bidirectional.notes, []);

    const timeDistributed = onlyModel(wrapperModelJson('TimeDistributed', DENSE_8, [4, 10, 16], null, shapeKey));
    assert.deepEqual(timeDistributed.inputShape, [10, 16], shapeKey);
    const [td] = timeDistributed.layers;
    assert.equal(td.wrapper, 'TimeDistributed');
    assert.deepEqual([td.fanIn, td.fanOut, td.outputSize, td.outputShape], [16, 8, 8, [10, 8]], shapeKey);
  }
});

// TF.js builds the wrapper from its own batch_input_shape and writes the wrapped layer's as given (the parity test builds it).
test("the wrapper's batch_input_shape wins over one the wrapped layer's config also states", () => {
  const [bi] = onlyModel(wrapperModelJson('Bidirectional', LSTM_32, [null, 10, 16], [null, 7, 5])).layers;
  assert.deepEqual([bi.fanIn, bi.outputShape], [16, [64]]);
  // TimeDistributed's wrapped layer sees one step: a shape on it is per step, never the wrapper's input.
  const [td] = onlyModel(wrapperModelJson('TimeDistributed', DENSE_8, [null, 10, 16], [null, 16])).layers;
  assert.deepEqual([td.fanIn, td.outputShape], [16, [10, 8]]);
});

test('nested models: a Sequential inside TimeDistributed inside a Functional, with its own layers and shapes', () => {
  const text = fixture('keras2-nested.json');
  const model = onlyModel(text);
  const encoder = layer(model, 'encode_frames');
  assert.equal(encoder.type, 'model');
  assert.equal(encoder.wrapper, 'TimeDistributed');
  assert.ok(encoder.inner);
  assert.equal(encoder.inner.name, 'frame_encoder');
  assert.equal(encoder.inner.kind, 'sequential');
  assert.deepEqual(encoder.inner.inputShape, [40]);
  assert.deepEqual(
    encoder.inner.layers.map((l) => [l.id, l.fanIn, l.fanOut]),
    [
      ['frame_encoder_input', null, null],
      ['enc_dense', 40, 48],
      ['enc_proj', 48, 24],
    ],
  );
  assert.equal(encoder.inner.layers[1].kernelInitializer?.alias, 'heUniform');
  assert.equal(encoder.outputSize, 24);
  const lstm = layer(model, 'bidirectional');
  assert.deepEqual([lstm.fanIn, lstm.fanOut, lstm.outputSize], [24, 128, 64]);
  assert.deepEqual([layer(model, 'time_distributed').fanIn, layer(model, 'time_distributed').fanOut], [64, 12]);
  assert.deepEqual(model.notes, []);
});

test('exact spans on every fixture: layer, config, properties, initializer values', () => {
  for (const name of FIXTURE_NAMES) {
    const text = fixture(name);
    const visit = (model: Model): void => {
      for (const l of model.layers) {
        const layerJson = JSON.parse(slice(text, l.span));
        assert.equal(typeof layerJson.class_name, 'string', `${name} ${l.id}`);
        const configJson = JSON.parse(slice(text, l.configSpan));
        for (const [key, spans] of Object.entries(l.properties)) {
          const jsonKey = JSON.parse(slice(text, spans.keySpan)) as string;
          assert.equal(
            jsonKey.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()),
            key,
          );
          assert.deepEqual(JSON.parse(slice(text, spans.valueSpan)), configJson[jsonKey]);
          assert.ok(slice(text, spans.propertySpan).startsWith(slice(text, spans.keySpan)));
          assert.ok(slice(text, spans.propertySpan).endsWith(slice(text, spans.valueSpan)));
        }
        for (const attr of [l.kernelInitializer, l.recurrentInitializer, l.biasInitializer]) {
          if (!attr?.explicit) continue;
          assert.deepEqual(attr.valueSpan, l.properties[attr.key].valueSpan);
          assert.deepEqual(attr.propertySpan, l.properties[attr.key].propertySpan);
        }
        if (l.inner) visit(l.inner);
      }
    };
    for (const model of parseModelJson(text).models) visit(model);
  }
});

test('defaults per dialect: absent initializers are the library defaults, not explicit', () => {
  const layers =
    '[{"class_name": "Dense", "config": {"name": "d", "units": 4, "batch_input_shape": [null, 3]}}, ' +
    '{"class_name": "LSTM", "config": {"name": "l", "units": 2}}, {"class_name": "Conv2D", "config": {"name": "c", "filters": 2, "kernel_size": 3}}]';
  const cases: [string, string, string][] = [
    ['keras2', `{"class_name": "Sequential", "config": {"name": "m", "layers": ${layers}}, "keras_version": "2.15.0"}`, 'glorotUniform'],
    [
      'keras3',
      `{"module": "keras", "class_name": "Sequential", "config": {"name": "m", "layers": ${layers}}, "registered_name": null}`,
      'glorotUniform',
    ],
    [
      'tfjs',
      `{"class_name": "Sequential", "config": {"name": "m", "layers": ${layers}}, "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}`,
      'glorotNormal',
    ],
    [
      'tfjs',
      `{"format": "layers-model", "modelTopology": {"class_name": "Sequential", "config": {"name": "m", "layers": ${layers}}}, "weightsManifest": []}`,
      'glorotNormal',
    ],
  ];
  for (const [dialect, text, kernelDefault] of cases) {
    const model = onlyModel(text);
    assert.equal(model.dialect, dialect, text);
    const [dense, lstm, conv] = model.layers;
    for (const l of [dense, lstm, conv]) {
      assert.equal(l.kernelInitializer?.alias, kernelDefault, `${dialect} ${l.type}`);
      assert.equal(l.kernelInitializer?.explicit, false);
      assert.equal(l.kernelInitializer?.form, 'default');
      assert.equal(l.kernelInitializer?.valueSpan, undefined);
      assert.deepEqual(l.biasInitializer?.spec, { kind: 'zeros' });
    }
    assert.deepEqual(lstm.recurrentInitializer?.spec, { kind: 'orthogonal', gain: 1 });
    assert.deepEqual(dense.activation, { name: 'linear', explicit: false, source: 'default' });
    assert.deepEqual(lstm.activation, { name: 'tanh', explicit: false, source: 'default' });
    assert.deepEqual(
      [dense.fanIn, dense.fanOut, lstm.fanIn, lstm.fanOut],
      [3, 4, null, 8],
      'LSTM after Dense [4] has no time axis: fan-in unknown',
    );
  }
});

test('insertion point: a property inserted with before/after keeps the file valid and formatted like its neighbours', () => {
  for (const name of FIXTURE_NAMES) {
    const text = fixture(name);
    const model = parseModelJson(text).models[0];
    for (const l of model.layers) {
      const point = l.insertion;
      assert.ok(point, `${name} ${l.id} has an insertion point`);
      const property = '"model_lint_probe": {"class_name": "HeNormal", "config": {"seed": null}}';
      const edited = text.slice(0, point.offset) + point.before + property + point.after + text.slice(point.offset);
      const reparsed = parseModelJson(edited).models[0];
      const same = reparsed.layers.find((r) => r.id === l.id);
      assert.ok(same, `${name} ${l.id} still there`);
      assert.deepEqual(same.config.modelLintProbe, { className: 'HeNormal', config: { seed: null } }, `${name} ${l.id}`);
      assert.doesNotThrow(() => JSON.parse(edited), `${name} ${l.id} stays strict JSON`);
      // Formatting: the new property sits on its own line at its neighbours' indentation, or on the same line.
      const lineOfInsert = edited.slice(
        edited.lastIndexOf('\n', point.offset + point.before.length) + 1,
        point.offset + point.before.length,
      );
      if (point.before.includes('\n')) {
        const previousProperty = Object.values(l.properties).sort((a, b) => b.propertySpan.start - a.propertySpan.start)[0];
        const previousIndent = text.slice(
          text.lastIndexOf('\n', previousProperty.propertySpan.start) + 1,
          previousProperty.propertySpan.start,
        );
        assert.equal(lineOfInsert, previousIndent, `${name} ${l.id}`);
      }
    }
  }
  // An empty config gets the property inside its braces.
  const text = '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Flatten", "config": {}}]}}';
  const point = onlyModel(text).layers[0].insertion!;
  const edited = text.slice(0, point.offset) + point.before + '"name": "f"' + point.after + text.slice(point.offset);
  assert.equal(JSON.parse(edited).config.layers[0].config.name, 'f');
});

test('insertion separators follow the file: compact one-line, no-space and pretty-printed', () => {
  assert.equal(onlyModel(fixture('keras2-sequential.json')).layers[1].insertion?.before, ', ');
  assert.equal(onlyModel(fixture('tfjs-saved-model.json')).layers[1].insertion?.before, ',');
  assert.equal(onlyModel(fixture('keras3-functional.json')).layers[1].insertion?.before, ',\n' + ' '.repeat(20));
  const crlf = fixture('keras3-sequential.json').replace(/\n/g, '\r\n');
  assert.equal(onlyModel(crlf).layers[1].insertion?.before, ',\r\n' + ' '.repeat(10));
});

test('JSONC: comments and trailing commas are read; suppression comments are collected', () => {
  const text = [
    '{',
    '  // exported from the training notebook',
    '  "class_name": "Sequential",',
    '  "config": {',
    '    "name": "commented",',
    '    "layers": [',
    '      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8],},},',
    '      /* the hidden layer */',
    '      {"class_name": "Dense", "config": {',
    '        "name": "hidden", "units": 16, "activation": "relu",',
    '        // model-lint-disable-next-line glorot-with-relu',
    '        "kernel_initializer": "glorot_uniform", // was he_normal',
    '      },},',
    '    ],',
    '  },',
    '}',
  ].join('\n');
  const result = parseModelJson(text);
  assert.deepEqual(result.notes, []);
  const model = result.models[0];
  assert.deepEqual(
    model.layers.map((l) => l.id),
    ['InputLayer#0', 'hidden'],
  );
  const hidden = model.layers[1];
  assert.equal(hidden.kernelInitializer?.alias, 'glorotUniform');
  assert.equal(slice(text, hidden.kernelInitializer?.valueSpan), '"glorot_uniform"');
  assert.deepEqual([hidden.fanIn, hidden.fanOut], [8, 16]);
  assert.deepEqual([...(result.suppressions.get(11) ?? [])], ['glorot-with-relu']);
});

test('malformed JSON is read as far as it goes, with located notes', () => {
  const text =
    '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 3 "activation": "tanh"}}, {"class_name": "Dense", "config": {"units": 2}}]}}';
  const result = parseModelJson(text);
  assert.equal(result.models[0].layers.length, 2);
  assert.equal(result.models[0].layers[0].activation.name, 'tanh');
  assert.ok(result.notes.length > 0);
  assert.equal(result.notes[0].span?.start, text.indexOf('"activation"'));
  assert.match(result.notes[0].message, /CommaExpected/);
});

test('truncation: every prefix of every fixture (step 13) parses without exception and keeps only complete layers', () => {
  let prefixes = 0;
  for (const name of FIXTURE_NAMES) {
    const text = fixture(name);
    const full = parseModelJson(text).models[0];
    let previousCount = 0;
    for (let end = 0; end <= text.length; end += 13) {
      const prefix = text.slice(0, end);
      const result = parseModelJson(prefix);
      prefixes++;
      const model = result.models[0];
      if (!model) continue;
      assert.ok(model.layers.length >= previousCount || model.layers.length === 0, `${name}@${end}: layers do not disappear`);
      previousCount = model.layers.length;
      for (const l of model.layers) {
        // A returned layer is a complete JSON object of the original file, read the same as in the full file.
        assert.ok(l.span.end <= end);
        JSON.parse(prefix.slice(l.span.start, l.span.end));
        const original = full.layers.find((f) => f.id === l.id);
        assert.ok(original, `${name}@${end}: ${l.id}`);
        assert.deepEqual(l.kernelInitializer?.spec, original.kernelInitializer?.spec);
      }
      if (end < text.length && model.layers.length < full.layers.length)
        assert.ok(result.notes.length > 0, `${name}@${end}: a note says the JSON is cut off`);
    }
    assert.equal(previousCount, full.layers.length, `${name}: the longest prefixes give all layers`);
  }
  assert.ok(prefixes > 1000, `${prefixes} prefixes`);
});

test('JSON that is not a model gives no models', () => {
  const root = join(__dirname, '../../../../..');
  const others = [
    readFileSync(join(root, 'package.json'), 'utf8'),
    readFileSync(join(root, 'tsconfig.json'), 'utf8'),
    readFileSync(join(root, 'tsconfig.base.json'), 'utf8'),
    '{"class_name": "GlorotUniform", "config": {"seed": null}}',
    '{"class_name": "Dense", "config": {"units": 3}}',
    '[{"class_name": "Sequential", "config": {"layers": []}}]',
    '{"modelTopology": null, "weightsManifest": []}',
    '{"format": "graph-model", "modelTopology": {"node": [], "library": {}}, "weightsManifest": []}',
    '',
    'not json at all',
    '{"class_name": ',
  ];
  for (const text of others) {
    const result = parseModelJson(text);
    assert.deepEqual(result.models, [], text.slice(0, 60));
    assert.deepEqual(result.notes, [], 'no notes for files that are not models');
  }
});

test('unknown and custom layers are kept with unknown shapes and a note, never guessed', () => {
  const text =
    '{"class_name": "Sequential", "config": {"name": "custom", "layers": [' +
    '{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 10]}}, ' +
    '{"class_name": "MyAttention", "config": {"name": "attn", "heads": 4, "kernel_initializer": "ones"}}, ' +
    '{"class_name": "Dense", "config": {"name": "out", "units": 2, "kernel_initializer": {"class_name": "MyInit", "config": {}}}}]}}';
  const model = onlyModel(text);
  const custom = layer(model, 'attn');
  assert.equal(custom.type, 'unknown');
  assert.equal(custom.activation.name, null);
  assert.equal(custom.kernelInitializer?.spec.kind, 'ones');
  const out = layer(model, 'out');
  assert.equal(out.fanIn, null);
  assert.equal(out.fanOut, 2);
  assert.deepEqual(out.kernelInitializer?.spec, { kind: 'unknown', reason: "unknown initializer 'MyInit'" });
  assert.ok(model.notes.some((n) => n.includes('MyAttention')));
  assert.ok(model.notes.some((n) => n.includes("fan-in of layer 'out'")));
});

test('older and rarer forms: Keras 2.2 Sequential layer list, keras_version 3.x, ReLU(max_value=6), ELU, Keras 3 LeakyReLU negative_slope', () => {
  const old =
    '{"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {"name": "d", "units": 8, "batch_input_shape": [null, 4], ' +
    '"kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_in", "distribution": "normal", "seed": null}}}}, ' +
    '{"class_name": "ReLU", "config": {"name": "r", "max_value": 6.0}}], "keras_version": "2.2.4", "backend": "tensorflow"}';
  const model = onlyModel(old);
  assert.equal(model.dialect, 'keras2');
  assert.deepEqual(
    model.layers.map((l) => l.id),
    ['d', 'r'],
  );
  assert.equal(model.layers[0].kernelInitializer?.alias, 'heNormal');
  assert.deepEqual(model.layers[0].activation.name, 'relu6');
  assert.deepEqual([model.layers[0].fanIn, model.layers[0].fanOut], [4, 8]);

  const keras3 =
    '{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 5]}}, ' +
    '{"class_name": "Dense", "config": {"name": "a", "units": 3}}, {"class_name": "LeakyReLU", "config": {"name": "lr", "negative_slope": 0.1}}, ' +
    '{"class_name": "Dense", "config": {"name": "b", "units": 3}}, {"class_name": "ELU", "config": {"name": "e"}}]}, "keras_version": "3.4.1"}';
  const m3 = onlyModel(keras3);
  assert.equal(m3.dialect, 'keras3');
  assert.deepEqual(m3.inputShape, [5]);
  assert.deepEqual([layer(m3, 'a').activation.name, layer(m3, 'a').activation.alpha], ['leakyRelu', 0.1]);
  assert.deepEqual([layer(m3, 'b').activation.name, layer(m3, 'b').activation.alpha], ['elu', 1]);
});

test('repeated layer names get distinct ids; a functional layer reading an absent layer is noted', () => {
  const text =
    '{"class_name": "Functional", "config": {"name": "f", "layers": [' +
    '{"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 6]}, "inbound_nodes": []}, ' +
    '{"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "inbound_nodes": [[["in", 0, 0, {}]]]}, ' +
    '{"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "inbound_nodes": [[["ghost", 0, 0, {}]]]}], ' +
    '"input_layers": [["in", 0, 0]], "output_layers": [["d", 0, 0]]}}';
  const model = onlyModel(text);
  assert.deepEqual(
    model.layers.map((l) => l.id),
    ['in', 'd', 'd#2'],
  );
  assert.equal(model.layers[1].fanIn, 6);
  assert.equal(model.layers[2].fanIn, null);
  assert.ok(model.notes.some((n) => n.includes("'ghost'")));
});

test('a layer called on two inputs (shared weights) keeps its first call and says so in a model note', () => {
  const text =
    '{"class_name": "Functional", "config": {"name": "siamese", "layers": [' +
    '{"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_input_shape": [null, 6]}, "inbound_nodes": []}, ' +
    '{"class_name": "InputLayer", "name": "b", "config": {"name": "b", "batch_input_shape": [null, 6]}, "inbound_nodes": []}, ' +
    '{"class_name": "Dense", "name": "shared", "config": {"name": "shared", "units": 2}, "inbound_nodes": [[["a", 0, 0, {}]], [["b", 0, 0, {}]]]}], ' +
    '"input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["shared", 0, 0], ["shared", 1, 0]]}}';
  const model = onlyModel(text);
  assert.deepEqual(model.layers.find((l) => l.id === 'shared')!.inbound, ['a']);
  assert.ok(
    model.notes.some((n) => n.includes("'shared'") && n.includes('2 times')),
    JSON.stringify(model.notes),
  );
});
