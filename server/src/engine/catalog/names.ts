// Name tables: initializer, activation and layer class names of TF.js and Keras mapped to canonical IR values.
import type { ConfigValue, Dialect, Distribution, FanMode, InitializerSpec, LayerType } from '../ir';
import { ownValue } from '../ownKeys';

/** Canonical initializer ids (TF.js camelCase). */
export const INITIALIZER_IDS = [
  'constant',
  'glorotNormal',
  'glorotUniform',
  'heNormal',
  'heUniform',
  'identity',
  'leCunNormal',
  'leCunUniform',
  'ones',
  'orthogonal',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
  'zeros',
] as const;
export type InitializerId = (typeof INITIALIZER_IDS)[number];

/** Variance-scaling aliases: scale, fan mode and distribution. */
export const VARIANCE_SCALING_ALIASES: Record<string, { scale: number; mode: FanMode; distribution: Distribution }> = {
  glorotNormal: { scale: 1, mode: 'fanAvg', distribution: 'normal' },
  glorotUniform: { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
  heNormal: { scale: 2, mode: 'fanIn', distribution: 'normal' },
  heUniform: { scale: 2, mode: 'fanIn', distribution: 'uniform' },
  leCunNormal: { scale: 1, mode: 'fanIn', distribution: 'normal' },
  leCunUniform: { scale: 1, mode: 'fanIn', distribution: 'uniform' },
};

/** Normalized keys already computed: a file repeats a handful of layer, activation and initializer names. */
const normalizedKeys = new Map<string, string>();

function normalizeKey(name: string): string {
  let key = normalizedKeys.get(name);
  if (key === undefined) {
    key = name.replace(/[_\s-]/g, '').toLowerCase();
    if (normalizedKeys.size >= 4096) normalizedKeys.clear(); // bounded: names come from user text
    normalizedKeys.set(name, key);
  }
  return key;
}

// Keys are lower-case with separators removed, so 'he_normal', 'HeNormal', 'heNormal' all meet.
const INITIALIZER_BY_KEY: Record<string, InitializerId> = {
  constant: 'constant',
  glorotnormal: 'glorotNormal',
  glorotuniform: 'glorotUniform',
  xaviernormal: 'glorotNormal',
  xavieruniform: 'glorotUniform',
  henormal: 'heNormal',
  heuniform: 'heUniform',
  kaimingnormal: 'heNormal',
  kaiminguniform: 'heUniform',
  identity: 'identity',
  identityinitializer: 'identity',
  lecunnormal: 'leCunNormal',
  lecununiform: 'leCunUniform',
  ones: 'ones',
  one: 'ones',
  orthogonal: 'orthogonal',
  orthogonalinitializer: 'orthogonal',
  randomnormal: 'randomNormal',
  normal: 'randomNormal',
  randomuniform: 'randomUniform',
  uniform: 'randomUniform',
  truncatednormal: 'truncatedNormal',
  variancescaling: 'varianceScaling',
  zeros: 'zeros',
  zero: 'zeros',
};

/** Canonical initializer id of any TF.js id, Keras string or class name; null when not a known initializer. */
export function initializerIdOf(name: string): InitializerId | null {
  return ownValue(INITIALIZER_BY_KEY, normalizeKey(name)) ?? null;
}

function numberOf(config: Record<string, ConfigValue>, key: string): number | null | undefined {
  if (!Object.hasOwn(config, key)) return undefined;
  const value = config[key];
  return typeof value === 'number' ? value : null; // present but not a known number: unknown
}

function modeOf(value: ConfigValue | undefined): FanMode | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return null;
  return ownValue<FanMode>({ fanin: 'fanIn', fanout: 'fanOut', fanavg: 'fanAvg' }, normalizeKey(value)) ?? null;
}

function distributionOf(value: ConfigValue | undefined): Distribution | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return null;
  const table: Record<string, Distribution> = {
    normal: 'normal',
    truncatednormal: 'truncatedNormal',
    untruncatednormal: 'untruncatedNormal',
    uniform: 'uniform',
  };
  return ownValue(table, normalizeKey(value)) ?? null;
}

/**
 * True when a Keras 3 variance-scaling config names its own fan axes (`input_axes` and `output_axes`, both set):
 * Keras then multiplies those axes of the weight's shape, not the kernel fans the engine knows.
 */
function hasCustomFanAxes(config: Record<string, ConfigValue>): boolean {
  const given = (value: ConfigValue | undefined) => value !== undefined && value !== null;
  return given(config.inputAxes) && given(config.outputAxes);
}

/**
 * The canonical spec for an initializer name and its (camelCase) config, with the library's
 * defaults for absent values. TF.js fills fixed-scale defaults with `||`, so a written 0 becomes the default there.
 */
export function initializerSpecOf(
  name: string,
  config: Record<string, ConfigValue>,
  dialect: Dialect,
): { spec: InitializerSpec; alias: InitializerId | null } {
  const id = initializerIdOf(name);
  if (id === null) return { spec: { kind: 'unknown', reason: `unknown initializer '${name}'` }, alias: null };
  const tfjs = dialect === 'tfjs';
  if ((id === 'varianceScaling' || id in VARIANCE_SCALING_ALIASES) && hasCustomFanAxes(config)) {
    return {
      spec: { kind: 'unknown', reason: `'${name}' with input_axes and output_axes: fans from custom axes are not modeled` },
      alias: id,
    };
  }
  // TF.js: `config.stddev || 0.05`; Keras: the value as given (default 0.05).
  const orDefault = (value: number | null | undefined, fallback: number): number | null =>
    value === undefined ? fallback : value === null ? null : tfjs && value === 0 ? fallback : value;
  switch (id) {
    case 'zeros':
      return { spec: { kind: 'zeros' }, alias: id };
    case 'ones':
      return { spec: { kind: 'ones' }, alias: id };
    case 'constant':
      return { spec: { kind: 'constant', value: numberOf(config, 'value') ?? (Object.hasOwn(config, 'value') ? null : 0) }, alias: id };
    case 'randomNormal':
    case 'truncatedNormal':
      return {
        spec: { kind: id, mean: orDefault(numberOf(config, 'mean'), 0) ?? null, stddev: orDefault(numberOf(config, 'stddev'), 0.05) },
        alias: id,
      };
    case 'randomUniform':
      return {
        spec: {
          kind: 'randomUniform',
          minval: orDefault(numberOf(config, 'minval'), -0.05),
          maxval: orDefault(numberOf(config, 'maxval'), 0.05),
        },
        alias: id,
      };
    case 'orthogonal':
      return { spec: { kind: 'orthogonal', gain: numberOf(config, 'gain') ?? (Object.hasOwn(config, 'gain') ? null : 1) }, alias: id };
    case 'identity':
      return { spec: { kind: 'identity', gain: numberOf(config, 'gain') ?? (Object.hasOwn(config, 'gain') ? null : 1) }, alias: id };
    case 'varianceScaling': {
      const scale = numberOf(config, 'scale');
      const mode = modeOf(config.mode);
      const distribution = distributionOf(config.distribution);
      const spec: InitializerSpec = {
        kind: 'varianceScaling',
        scale: scale === undefined ? 1 : scale,
        mode: mode === undefined ? 'fanIn' : mode,
        distribution: distribution === undefined ? (tfjs ? 'normal' : 'truncatedNormal') : distribution,
      };
      return { spec, alias: aliasOfVarianceScaling(spec) };
    }
    default: {
      const alias = VARIANCE_SCALING_ALIASES[id];
      return { spec: { kind: 'varianceScaling', ...alias }, alias: id };
    }
  }
}

/** The named alias (heNormal, ...) a variance-scaling spec is equal to, else 'varianceScaling'. */
export function aliasOfVarianceScaling(spec: Extract<InitializerSpec, { kind: 'varianceScaling' }>): InitializerId {
  for (const [alias, v] of Object.entries(VARIANCE_SCALING_ALIASES)) {
    const normalLike = (d: Distribution | null) => d === 'normal' || d === 'truncatedNormal' || d === 'untruncatedNormal';
    const sameDistribution = v.distribution === 'uniform' ? spec.distribution === 'uniform' : normalLike(spec.distribution);
    if (spec.scale === v.scale && spec.mode === v.mode && sameDistribution) return alias as InitializerId;
  }
  return 'varianceScaling';
}

const ACTIVATION_BY_KEY: Record<string, string> = {
  elu: 'elu',
  exponential: 'exponential',
  gelu: 'gelu',
  gelunew: 'gelu',
  hardsigmoid: 'hardSigmoid',
  hardsilu: 'hardSilu',
  hardswish: 'hardSilu',
  leakyrelu: 'leakyRelu',
  linear: 'linear',
  none: 'linear',
  mish: 'mish',
  prelu: 'prelu',
  relu: 'relu',
  relu6: 'relu6',
  selu: 'selu',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  silu: 'swish',
  tanh: 'tanh',
  // ThresholdedReLU (x > theta ? x : 0) is deliberately absent: it is not relu, and an unknown beats a wrong guess.
  // So are the Keras 3 activations the engine has no math for (log_softmax, celu, hard_tanh, log_sigmoid, ...).
};

/** Canonical activation id of a TF.js / Keras activation name; null when unknown. */
export function activationIdOf(name: string): string | null {
  return ownValue(ACTIVATION_BY_KEY, normalizeKey(name)) ?? null;
}

const LAYER_BY_KEY: Record<string, LayerType> = {
  dense: 'dense',
  conv1d: 'conv1d',
  conv2d: 'conv2d',
  conv3d: 'conv3d',
  conv2dtranspose: 'conv2dTranspose',
  deconvolution2d: 'conv2dTranspose',
  separableconv2d: 'separableConv2d',
  depthwiseconv2d: 'depthwiseConv2d',
  lstm: 'lstm',
  gru: 'gru',
  simplernn: 'simpleRNN',
  embedding: 'embedding',
  batchnormalization: 'batchNormalization',
  layernormalization: 'layerNormalization',
  activation: 'activation',
  relu: 'activation',
  leakyrelu: 'activation',
  elu: 'activation',
  prelu: 'activation',
  softmax: 'activation',
  thresholdedrelu: 'activation',
  dropout: 'dropout',
  spatialdropout1d: 'dropout',
  spatialdropout2d: 'dropout',
  alphadropout: 'alphaDropout',
  flatten: 'flatten',
  add: 'add',
  concatenate: 'concatenate',
  inputlayer: 'input',
  input: 'input',
  reshape: 'reshape',
  maxpooling1d: 'pooling',
  maxpooling2d: 'pooling',
  maxpooling3d: 'pooling',
  averagepooling1d: 'pooling',
  averagepooling2d: 'pooling',
  averagepooling3d: 'pooling',
  globalaveragepooling1d: 'pooling',
  globalaveragepooling2d: 'pooling',
  globalmaxpooling1d: 'pooling',
  globalmaxpooling2d: 'pooling',
  maxpool2d: 'pooling',
  avgpool2d: 'pooling',
  sequential: 'model',
  functional: 'model',
  model: 'model',
};

/** IR layer type of a TF.js factory name or Keras class name ('dense', 'Dense', 'MaxPooling2D'); 'unknown' otherwise. */
export function layerTypeOf(className: string): LayerType {
  return ownValue(LAYER_BY_KEY, normalizeKey(className)) ?? 'unknown';
}

/** For advanced activation layers (reLU, leakyReLU, elu, prelu, softmax): the activation they apply. */
export function impliedActivationOf(className: string): string | null {
  const key = normalizeKey(className);
  if (key === 'activation') return null;
  return ownValue(LAYER_BY_KEY, key) === 'activation' ? (ownValue(ACTIVATION_BY_KEY, key) ?? null) : null;
}
