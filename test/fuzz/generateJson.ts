// Generated Keras 2 / Keras 3 / TF.js model JSON for the fuzzer: Sequential and functional topologies with
// initializer objects, written as the libraries write them, with hostile values now and then.
import { HOSTILE_NUMBERS, PROTOTYPE_KEYS, type Random } from './random';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Flavor = 'keras2' | 'keras3' | 'tfjs';

const INITIALIZER_CLASSES = [
  'GlorotUniform',
  'GlorotNormal',
  'HeNormal',
  'HeUniform',
  'LecunNormal',
  'LecunUniform',
  'Zeros',
  'Ones',
  'RandomNormal',
  'RandomUniform',
  'TruncatedNormal',
  'VarianceScaling',
  'Orthogonal',
  'Constant',
  'Identity',
];
const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'selu', 'elu', 'linear', 'softmax', 'swish', 'gelu', 'softplus'];

/** A marker replaced by a bare hostile token (NaN, Infinity) after JSON.stringify, as Python's json module writes them. */
const RAW = '\u0001raw:';

function value(r: Random, usual: number): Json {
  if (!r.chance(0.07)) return usual;
  const hostile = r.pick(HOSTILE_NUMBERS);
  const parsed = Number(hostile);
  return Number.isFinite(parsed) ? parsed : `${RAW}${hostile}`;
}

function className(r: Random, known: readonly string[]): string {
  if (r.chance(0.04)) return r.pick(PROTOTYPE_KEYS);
  return r.pick(known);
}

function initializer(r: Random, flavor: Flavor): Json {
  const cls = className(r, INITIALIZER_CLASSES);
  const config: { [key: string]: Json } = { seed: r.chance(0.8) ? null : r.int(0, 9) };
  if (cls === 'RandomNormal' || cls === 'TruncatedNormal') Object.assign(config, { mean: 0, stddev: value(r, r.pick([0.01, 0.05, 1])) });
  if (cls === 'RandomUniform') Object.assign(config, { minval: value(r, -0.05), maxval: value(r, 0.05) });
  if (cls === 'VarianceScaling')
    Object.assign(config, {
      scale: value(r, r.pick([1, 2])),
      mode: r.pick(['fan_in', 'fan_out', 'fan_avg']),
      distribution: r.pick(['truncated_normal', 'untruncated_normal', 'uniform', 'normal']),
    });
  if (cls === 'Constant') Object.assign(config, { value: value(r, 0.1) });
  if (cls === 'Orthogonal') config.gain = value(r, 1);
  if (flavor === 'keras3') return { module: 'keras.initializers', class_name: cls, config, registered_name: null };
  return { class_name: cls, config };
}

function layer(r: Random, flavor: Flavor, index: number, inputWidth: number): { class_name: string; config: { [key: string]: Json } } {
  const kind = r.pick([
    'Dense',
    'Dense',
    'Dense',
    'Conv2D',
    'LSTM',
    'GRU',
    'SimpleRNN',
    'Dropout',
    'BatchNormalization',
    'Activation',
    'Flatten',
    'Embedding',
  ]);
  const name = `${kind.toLowerCase()}_${index}`;
  const config: { [key: string]: Json } = { name, trainable: true, dtype: 'float32' };
  if (index === 0) config[flavor === 'keras3' ? 'batch_shape' : 'batch_input_shape'] = [null, inputWidth];
  const activation = (): string => (r.chance(0.05) ? r.pick(PROTOTYPE_KEYS) : r.pick(ACTIVATIONS));
  switch (kind) {
    case 'Dropout':
      config.rate = value(r, 0.5);
      break;
    case 'BatchNormalization':
      Object.assign(config, { axis: -1, momentum: 0.99, epsilon: value(r, 0.001), gamma_initializer: initializer(r, flavor) });
      break;
    case 'Activation':
      config.activation = activation();
      break;
    case 'Flatten':
      config.data_format = 'channels_last';
      break;
    case 'Embedding':
      Object.assign(config, { input_dim: value(r, 1000), output_dim: value(r, 32), embeddings_initializer: initializer(r, flavor) });
      break;
    case 'Conv2D':
      Object.assign(config, {
        filters: value(r, r.pick([8, 16, 32])),
        kernel_size: [3, 3],
        strides: [1, 1],
        padding: r.pick(['same', 'valid']),
      });
      break;
    case 'LSTM':
    case 'GRU':
    case 'SimpleRNN':
      config.units = value(r, r.pick([16, 32, 64]));
      config.recurrent_initializer = initializer(r, flavor);
      if (kind === 'LSTM') config.unit_forget_bias = r.chance(0.5);
      break;
    default:
      config.units = value(r, r.pick([1, 10, 32, 64, 128]));
  }
  if (['Dense', 'Conv2D', 'LSTM', 'GRU', 'SimpleRNN'].includes(kind)) {
    Object.assign(config, {
      activation: activation(),
      use_bias: r.chance(0.9),
      kernel_initializer: initializer(r, flavor),
      bias_initializer: initializer(r, flavor),
    });
  }
  if (flavor === 'keras3') return { module: 'keras.layers', class_name: kind, config, registered_name: null } as never;
  return { class_name: kind, config };
}

/** A model.json text of one model; about a third each Keras 2, Keras 3 and TF.js layers-model. */
export function generateModelJson(r: Random): { text: string; fileName: string } {
  const flavor = r.pick<Flavor>(['keras2', 'keras3', 'tfjs']);
  const count = r.int(1, r.chance(0.1) ? 60 : 10);
  const functional = r.chance(0.4);
  const layers: Json[] = [];
  for (let i = 0; i < count; i++) {
    const entry = layer(r, flavor, functional ? i + 1 : i, r.int(1, 64)) as {
      class_name: string;
      config: { [key: string]: Json };
      [key: string]: Json;
    };
    if (functional) {
      entry.name = entry.config.name;
      const previous = i === 0 ? 'input_1' : (layers[i - (r.chance(0.1) && i > 1 ? 2 : 1)] as { name: string }).name;
      entry.inbound_nodes =
        flavor === 'keras3'
          ? [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: [previous, 0, 0] } }], kwargs: {} }]
          : [[[previous, 0, 0, {}]]];
    }
    layers.push(entry);
  }
  let modelConfig: Json;
  if (functional) {
    const inputLayer = {
      class_name: 'InputLayer',
      name: 'input_1',
      config: { name: 'input_1', [flavor === 'keras3' ? 'batch_shape' : 'batch_input_shape']: [null, r.int(1, 64)], dtype: 'float32' },
      inbound_nodes: [],
    };
    const last = (layers[layers.length - 1] as { name: string }).name;
    modelConfig = {
      class_name: r.chance(0.5) ? 'Functional' : 'Model',
      config: { name: 'generated', layers: [inputLayer, ...layers], input_layers: [['input_1', 0, 0]], output_layers: [[last, 0, 0]] },
    };
  } else modelConfig = { class_name: 'Sequential', config: { name: 'generated', layers } };
  if (flavor === 'keras3') Object.assign(modelConfig as object, { module: 'keras', registered_name: null });

  const document: Json =
    flavor === 'tfjs'
      ? {
          format: 'layers-model',
          generatedBy: 'keras v2.15.0',
          convertedBy: 'TensorFlow.js Converter v4.22.0',
          modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', model_config: modelConfig },
          weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }],
        }
      : flavor === 'keras2'
        ? { ...(modelConfig as object), keras_version: '2.15.0', backend: 'tensorflow' }
        : modelConfig;
  const text = JSON.stringify(document, null, r.pick([0, 2, 4])).replace(new RegExp(`"${RAW}([^"]*)"`, 'g'), '$1');
  return { text, fileName: flavor === 'tfjs' ? 'model.json' : r.pick(['model.json', 'keras_model.json', 'config.json']) };
}
