// Turns the IR's initializer specs into TF.js initializers that draw what the model's own library draws (TF.js, Keras or PyTorch).
import * as tf from '@tensorflow/tfjs';
import { defaultInitializers, recurrentGateCount } from '../engine/catalog/layerDefaults';
import { torchDefaultSpec } from '../engine/catalog/pytorchDefaults';
import type { InitializerAttr, InitializerSpec, Layer, Model } from '../engine/ir';

/** A TF.js initializer object or a TF.js initializer id. */
export type ProbeInitializer = ReturnType<typeof tf.initializers.zeros> | string;

const KERAS_TRUNCATED_STD_CORRECTION = 0.87962566103423978;
const RECURRENT = new Set(['lstm', 'gru', 'simpleRNN']);

function uniform(limit: number): ProbeInitializer {
  return tf.initializers.randomUniform({ minval: -limit, maxval: limit });
}

/** The fan a variance-scaling mode divides by, from the IR's fans (the source library's fans); null when unknown. */
function fanOf(mode: 'fanIn' | 'fanOut' | 'fanAvg', layer: Layer): number | null {
  if (mode === 'fanIn') return layer.fanIn;
  if (mode === 'fanOut') return layer.fanOut;
  return layer.fanIn !== null && layer.fanOut !== null ? (layer.fanIn + layer.fanOut) / 2 : null;
}

/** Units of a recurrent layer (PyTorch's hidden_size), from its config or its combined kernel's fanOut. */
function recurrentUnits(layer: Layer): number | null {
  if (typeof layer.config.units === 'number') return layer.config.units;
  const gates = recurrentGateCount(layer.type);
  return gates !== null && layer.fanOut !== null ? layer.fanOut / gates : null;
}

/** Whether every number of a spec is known. */
function complete(spec: InitializerSpec): boolean {
  return Object.values(spec).every((value) => value !== null);
}

/**
 * PyTorch's own default for one attribute of a layer (the catalog's torchDefaultSpec: U(±1/√fan_in) for Linear/Conv
 * weights and biases, U(±1/√hidden) for recurrent weights and the variance of bias_ih + bias_hh for their bias,
 * N(0, 1) for Embedding) with words for the report; null when the layer has none or its sizes are unknown.
 */
export function pytorchDefault(layer: Layer, key: string, model: Model): { initializer: ProbeInitializer; text: string } | null {
  const hidden = recurrentUnits(layer);
  const spec = torchDefaultSpec(layer.type, key, { fanIn: layer.fanIn, hidden });
  if (!spec || !complete(spec) || (spec.kind === 'varianceScaling' && layer.fanIn === null)) return null;
  const attr: InitializerAttr = { key, spec, explicit: false, alias: null, form: 'default' };
  const initializer = initializerFor(attr, layer, model, []);
  const text = RECURRENT.has(layer.type)
    ? key === 'biasInitializer'
      ? `U(±√2/√hidden_size) (the variance of bias_ih + bias_hh), hidden_size ${hidden}`
      : `U(±1/√hidden_size), hidden_size ${hidden}`
    : layer.type === 'embedding'
      ? 'N(0, 1)'
      : `U(±1/√fan_in), fan_in ${layer.fanIn}`;
  return { initializer, text };
}

/** What a spec with an unknown part falls back to, said in the report next to the layer. */
function fallback(attr: InitializerAttr, layer: Layer, model: Model, why: string, assumptions: string[]): ProbeInitializer {
  const where = `${layer.name}.${attr.key}`;
  if (model.dialect === 'pytorch') {
    const own = pytorchDefault(layer, attr.key, model);
    if (own) {
      assumptions.push(`${where}: initializer unknown (${why}); PyTorch's default ${own.text} was used.`);
      return own.initializer;
    }
  }
  const id =
    defaultInitializers(layer.type, model.dialect === 'pytorch' ? 'tfjs' : model.dialect)[attr.key] ??
    (attr.key.startsWith('bias') ? 'zeros' : model.dialect === 'tfjs' ? 'glorotNormal' : 'glorotUniform');
  const library = model.dialect === 'pytorch' ? "no PyTorch default is known for it here, so TF.js's" : 'the library default';
  assumptions.push(`${where}: initializer unknown (${why}); ${library} ${id} was used.`);
  return id;
}

/** A number of a spec, or a note and the value used instead. */
function known(value: number | null, name: string, used: number, attr: InitializerAttr, layer: Layer, assumptions: string[]): number {
  if (value !== null) return value;
  assumptions.push(`${layer.name}.${attr.key}: ${name} unknown; ${used} was used.`);
  return used;
}

/**
 * The TF.js initializer for an IR initializer attribute, drawing what the model's library draws:
 * TF.js ids stay ids; Keras's truncated normals get its variance correction; PyTorch's draws are rebuilt from
 * the IR's fans (PyTorch's own fan convention) as explicit uniform / untruncated normal draws. Anything unknown
 * is said in `assumptions`, never replaced silently.
 */
export function initializerFor(attr: InitializerAttr, layer: Layer, model: Model, assumptions: string[]): ProbeInitializer {
  const spec: InitializerSpec = attr.spec;
  const dialect = model.dialect;
  switch (spec.kind) {
    case 'zeros':
      return 'zeros';
    case 'ones':
      return 'ones';
    case 'constant':
      return tf.initializers.constant({ value: known(spec.value, 'value', 0, attr, layer, assumptions) });
    case 'randomNormal':
      if (spec.stddev === null && dialect === 'pytorch') return fallback(attr, layer, model, 'stddev not known statically', assumptions);
      return tf.initializers.randomNormal({
        mean: known(spec.mean, 'mean', 0, attr, layer, assumptions),
        stddev: known(spec.stddev, 'stddev', 0.05, attr, layer, assumptions),
      });
    case 'truncatedNormal':
      if (spec.stddev === null && dialect === 'pytorch') return fallback(attr, layer, model, 'stddev not known statically', assumptions);
      // From PyTorch, the catalog gives a truncatedNormal only for trunc_normal_ bounds at mean ± 2 std: TF.js's cut.
      return tf.initializers.truncatedNormal({
        mean: known(spec.mean, 'mean', 0, attr, layer, assumptions),
        stddev: known(spec.stddev, 'stddev', 0.05, attr, layer, assumptions),
      });
    case 'randomUniform':
      if ((spec.minval === null || spec.maxval === null) && dialect === 'pytorch')
        return fallback(attr, layer, model, 'bounds not known statically', assumptions);
      return tf.initializers.randomUniform({
        minval: known(spec.minval, 'minval', -0.05, attr, layer, assumptions),
        maxval: known(spec.maxval, 'maxval', 0.05, attr, layer, assumptions),
      });
    case 'orthogonal':
      return tf.initializers.orthogonal({ gain: known(spec.gain, 'gain', 1, attr, layer, assumptions) });
    case 'identity':
      return tf.initializers.identity({ gain: known(spec.gain, 'gain', 1, attr, layer, assumptions) });
    case 'varianceScaling':
      return varianceScaling(spec, attr, layer, model, assumptions);
    case 'unknown':
      return fallback(attr, layer, model, spec.reason, assumptions);
  }
}

function varianceScaling(
  spec: Extract<InitializerSpec, { kind: 'varianceScaling' }>,
  attr: InitializerAttr,
  layer: Layer,
  model: Model,
  assumptions: string[],
): ProbeInitializer {
  const where = `${layer.name}.${attr.key}`;
  if (model.dialect === 'pytorch' && (spec.scale === null || spec.mode === null || spec.distribution === null)) {
    return fallback(attr, layer, model, 'its gain, mode or distribution is not known statically', assumptions);
  }
  let scale = known(spec.scale, 'scale', 1, attr, layer, assumptions);
  const mode = spec.mode ?? 'fanIn';
  if (spec.mode === null) assumptions.push(`${where}: fan mode unknown; fanIn was used.`);
  if (model.dialect === 'tfjs') {
    if (attr.alias && /^(glorot|he|leCun)(Normal|Uniform)$/.test(attr.alias)) return attr.alias;
    return tf.initializers.varianceScaling({ scale, mode, distribution: spec.distribution === 'uniform' ? 'uniform' : 'normal' });
  }
  const fan = fanOf(mode, layer);
  if (model.dialect === 'pytorch') {
    // PyTorch's fans (e.g. ConvTranspose's stored layout) are the IR's; TF.js would compute its own from its kernel shape.
    if (fan === null) {
      assumptions.push(`${where}: the kernel's fans are unknown; TF.js's fans of its kernel shape were used.`);
      return tf.initializers.varianceScaling({ scale, mode, distribution: spec.distribution === 'uniform' ? 'uniform' : 'normal' });
    }
    const variance = scale / Math.max(1, fan);
    if (spec.distribution === 'uniform') return uniform(Math.sqrt(3 * variance));
    if (spec.distribution !== 'untruncatedNormal') {
      assumptions.push(`${where}: a truncated variance-scaling normal is not a PyTorch draw; drawn with the exact variance.`);
      return tf.initializers.truncatedNormal({ mean: 0, stddev: Math.sqrt(variance) / KERAS_TRUNCATED_STD_CORRECTION });
    }
    return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(variance) });
  }
  let distribution: 'normal' | 'uniform' | 'truncatedNormal' = spec.distribution === 'uniform' ? 'uniform' : 'truncatedNormal';
  if (spec.distribution === 'untruncatedNormal') {
    if (fan !== null) return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(scale / Math.max(1, fan)) });
    assumptions.push(`${where}: untruncated normal drawn as a truncated normal with Keras's variance (fans unknown).`);
    distribution = 'truncatedNormal';
  }
  // Keras widens its truncated normal so the realized variance is exact; TF.js does not. Match Keras.
  if (distribution === 'truncatedNormal') scale /= KERAS_TRUNCATED_STD_CORRECTION ** 2;
  return tf.initializers.varianceScaling({ scale, mode, distribution: distribution === 'uniform' ? 'uniform' : 'normal' });
}
