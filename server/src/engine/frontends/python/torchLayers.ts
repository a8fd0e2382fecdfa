// PyTorch layer constructors (nn.Linear, nn.Conv2d, nn.LSTM, activation modules, …) read into layer drafts with
// PyTorch's own defaults, fans as torch computes them, and TF.js-style config keys for shapes and the probe.
import type { ConfigValue, InitializerAttr, LayerType } from '../../ir';
import { activationIdOf } from '../../catalog/names';
import { kernelKeyOf } from '../../catalog/layerDefaults';
import { torchAttentionDefaultSpec, torchDefaultSpec, torchKernelFans } from '../../catalog/pytorch';
import type { PyLayerDraft } from './values';

interface TorchLayerSpec {
  type: LayerType;
  params: string[];
  /** Convolution rank (1, 2, 3) for Conv / ConvTranspose. */
  rank?: number;
  /** The activation an activation module applies (canonical id), for activation modules. */
  activation?: string | null;
}

const CONV_PARAMS = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode'];
const CONV_T_PARAMS = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation'];
const RNN_PARAMS = ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional'];

const ACTIVATION_MODULES: Record<string, string | null> = {
  ReLU: 'relu',
  ReLU6: 'relu6',
  LeakyReLU: 'leakyRelu',
  ELU: 'elu',
  SELU: 'selu',
  CELU: null,
  GELU: 'gelu',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
  Softmax: 'softmax',
  LogSoftmax: null,
  Softplus: 'softplus',
  Softsign: 'softsign',
  SiLU: 'swish',
  Mish: 'mish',
  Hardsigmoid: 'hardSigmoid',
  Hardtanh: null,
  Hardswish: null,
  PReLU: 'prelu',
  Identity: 'linear',
  Tanhshrink: null,
  Softshrink: null,
  Hardshrink: null,
  Threshold: null,
  RReLU: null,
  GLU: null,
  LogSigmoid: null,
};

const TORCH_LAYERS: Record<string, TorchLayerSpec> = {
  Linear: { type: 'dense', params: ['in_features', 'out_features', 'bias'] },
  LazyLinear: { type: 'dense', params: ['out_features', 'bias'] },
  Bilinear: { type: 'unknown', params: [] },
  Conv1d: { type: 'conv1d', params: CONV_PARAMS, rank: 1 },
  Conv2d: { type: 'conv2d', params: CONV_PARAMS, rank: 2 },
  Conv3d: { type: 'conv3d', params: CONV_PARAMS, rank: 3 },
  ConvTranspose1d: { type: 'conv2dTranspose', params: CONV_T_PARAMS, rank: 1 },
  ConvTranspose2d: { type: 'conv2dTranspose', params: CONV_T_PARAMS, rank: 2 },
  ConvTranspose3d: { type: 'conv2dTranspose', params: CONV_T_PARAMS, rank: 3 },
  Embedding: { type: 'embedding', params: ['num_embeddings', 'embedding_dim', 'padding_idx'] },
  LSTM: { type: 'lstm', params: RNN_PARAMS },
  GRU: { type: 'gru', params: RNN_PARAMS },
  RNN: {
    type: 'simpleRNN',
    params: ['input_size', 'hidden_size', 'num_layers', 'nonlinearity', 'bias', 'batch_first', 'dropout', 'bidirectional'],
  },
  BatchNorm1d: { type: 'batchNormalization', params: ['num_features', 'eps', 'momentum', 'affine'] },
  BatchNorm2d: { type: 'batchNormalization', params: ['num_features', 'eps', 'momentum', 'affine'] },
  BatchNorm3d: { type: 'batchNormalization', params: ['num_features', 'eps', 'momentum', 'affine'] },
  LayerNorm: { type: 'layerNormalization', params: ['normalized_shape', 'eps', 'elementwise_affine'] },
  GroupNorm: { type: 'unknown', params: ['num_groups', 'num_channels'] },
  Dropout: { type: 'dropout', params: ['p', 'inplace'] },
  Dropout1d: { type: 'dropout', params: ['p', 'inplace'] },
  Dropout2d: { type: 'dropout', params: ['p', 'inplace'] },
  Dropout3d: { type: 'dropout', params: ['p', 'inplace'] },
  AlphaDropout: { type: 'alphaDropout', params: ['p', 'inplace'] },
  Flatten: { type: 'flatten', params: ['start_dim', 'end_dim'] },
  MultiheadAttention: { type: 'dense', params: ['embed_dim', 'num_heads', 'dropout', 'bias'] },
};
for (const name of [
  'MaxPool1d',
  'MaxPool2d',
  'MaxPool3d',
  'AvgPool1d',
  'AvgPool2d',
  'AvgPool3d',
  'AdaptiveAvgPool1d',
  'AdaptiveAvgPool2d',
  'AdaptiveAvgPool3d',
  'AdaptiveMaxPool1d',
  'AdaptiveMaxPool2d',
]) {
  TORCH_LAYERS[name] = { type: 'pooling', params: ['kernel_size', 'stride', 'padding'] };
}
for (const [name, activation] of Object.entries(ACTIVATION_MODULES)) {
  TORCH_LAYERS[name] = {
    type: 'activation',
    params: name === 'LeakyReLU' ? ['negative_slope', 'inplace'] : name === 'ELU' ? ['alpha', 'inplace'] : [],
    activation,
  };
}

/** The constructor spec of a torch.nn class name ('Linear'); undefined when not a layer model-lint knows. */
export function torchLayerSpec(className: string): TorchLayerSpec | undefined {
  return Object.hasOwn(TORCH_LAYERS, className) ? TORCH_LAYERS[className] : undefined;
}

/** Parameter names of a torch.nn layer constructor in order (for binding positional arguments). */
export function torchLayerParams(className: string): string[] {
  return torchLayerSpec(className)?.params ?? [];
}

/** The canonical activation id of a torch activation function name (relu, leaky_relu, gelu, silu, …); null when unknown. */
export function torchActivationId(name: string): string | null {
  if (name === 'identity') return 'linear';
  if (
    /^(log_softmax|logsigmoid|hardtanh|hardswish|celu|glu|rrelu|threshold|tanhshrink|softshrink|hardshrink|softmin)$/.test(
      name.toLowerCase(),
    )
  )
    return null;
  return activationIdOf(name);
}

const positiveInt = (value: ConfigValue | undefined): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;

/** A size that may be an int or a tuple of ints: the list of `rank` entries (null entries when unknown). */
function sizeList(value: ConfigValue | undefined, rank: number, fallback: number): (number | null)[] {
  if (value === undefined) return Array(rank).fill(fallback);
  if (typeof value === 'number') return Array(rank).fill(Number.isInteger(value) ? value : null);
  if (Array.isArray(value) && value.length === rank) return value.map((v) => (typeof v === 'number' && Number.isInteger(v) ? v : null));
  return Array(rank).fill(null);
}

/** A default (not written) PyTorch initializer attribute with the words that say where it comes from. */
function defaultAttr(key: string, type: LayerType, dims: { fanIn: number | null; hidden?: number | null }): InitializerAttr | undefined {
  const spec = torchDefaultSpec(type, key, dims);
  if (spec === undefined) return undefined;
  let label = 'PyTorch default';
  if (type === 'dense' || type.startsWith('conv'))
    label = key === 'biasInitializer' ? 'PyTorch default bias U(±1/√fan_in)' : 'PyTorch default U(±1/√fan_in) (kaiming_uniform_ with a=√5)';
  else if (type === 'lstm' || type === 'gru' || type === 'simpleRNN') {
    label =
      key === 'biasInitializer'
        ? 'PyTorch default U(±1/√hidden_size) for b_ih and b_hh, read as one bias of their summed variance'
        : 'PyTorch default U(±1/√hidden_size)';
  } else if (type === 'embedding') label = 'PyTorch default N(0, 1)';
  return { key, spec, explicit: false, alias: null, form: 'default', label };
}

/** TF.js padding of a torch padding argument: 'same' when it keeps the size at stride 1, 'valid' for 0, else unknown. */
function paddingOf(
  padding: ConfigValue | undefined,
  kernel: (number | null)[],
  stride: (number | null)[],
  dilation: (number | null)[],
): ConfigValue {
  if (padding === undefined) return 'valid';
  if (padding === 'same' || padding === 'valid') return padding;
  const pads = sizeList(padding, kernel.length, 0);
  if (pads.every((p) => p === 0)) return 'valid';
  const same = pads.every(
    (p, i) => p !== null && kernel[i] !== null && dilation[i] !== null && stride[i] === 1 && (kernel[i]! - 1) * dilation[i]! === 2 * p,
  );
  return same ? 'same' : { kind: 'unknown', reason: `padding ${JSON.stringify(padding)} has no TF.js equivalent` };
}

/**
 * The layer drafts a torch.nn constructor makes (one per IR layer: an LSTM with num_layers 3 makes three, a
 * MultiheadAttention its input and output projections). `args` holds the arguments bound to parameter names.
 */
export function torchLayerDrafts(
  className: string,
  args: Record<string, ConfigValue>,
  base: Pick<PyLayerDraft, 'span' | 'properties' | 'configSpan' | 'insertion'>,
): PyLayerDraft[] {
  const spec = torchLayerSpec(className);
  const draft = (type: LayerType, config: Record<string, ConfigValue>): PyLayerDraft => ({
    framework: 'pytorch',
    type,
    className,
    config,
    ...base,
    properties: { ...base.properties },
    activation: { name: 'linear', explicit: false, source: 'default' },
    notes: [],
  });
  if (spec === undefined || spec.type === 'unknown') {
    const unknownDraft = draft('unknown', {});
    unknownDraft.activation = { name: null, explicit: false, source: 'default' };
    return [unknownDraft];
  }
  const bias = args.bias === undefined ? true : args.bias;
  switch (spec.type) {
    case 'dense': {
      if (className === 'MultiheadAttention') return multiheadAttention(args, draft);
      const inFeatures = positiveInt(args.in_features);
      const units = args.out_features ?? { kind: 'unknown', reason: 'out_features not given' };
      const d = draft('dense', { units, useBias: bias });
      d.fanIn = inFeatures;
      d.fanOut = positiveInt(units);
      if (inFeatures !== null) d.impliedInput = [inFeatures];
      d.kernelInitializer = defaultAttr('kernelInitializer', 'dense', { fanIn: inFeatures });
      if (bias !== false) d.biasInitializer = defaultAttr('biasInitializer', 'dense', { fanIn: inFeatures });
      return [d];
    }
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv2dTranspose': {
      const rank = spec.rank ?? 2;
      const type: LayerType = spec.type === 'conv2dTranspose' ? 'conv2dTranspose' : (['conv1d', 'conv2d', 'conv3d'] as const)[rank - 1];
      const kernel = sizeList(args.kernel_size, rank, NaN);
      const stride = sizeList(args.stride, rank, 1);
      const dilation = sizeList(args.dilation, rank, 1);
      const groups = args.groups === undefined ? 1 : positiveInt(args.groups);
      const inChannels = positiveInt(args.in_channels);
      const outChannels = positiveInt(args.out_channels);
      const config: Record<string, ConfigValue> = {
        filters: args.out_channels ?? { kind: 'unknown', reason: 'out_channels not given' },
        kernelSize: kernel.length === 1 ? kernel[0] : kernel,
        strides: stride.length === 1 ? stride[0] : stride,
        padding: paddingOf(args.padding, kernel, stride, dilation),
        useBias: bias,
      };
      if (dilation.some((d) => d !== 1)) config.dilationRate = dilation.length === 1 ? dilation[0] : dilation;
      if (groups !== 1) config.groups = groups;
      const d = draft(type, config);
      // torch's fans: weight [out, in/groups, *k] (transposed: [in, out/groups, *k], so fan_in counts out channels).
      const fans = torchKernelFans(type, { inChannels, outChannels, kernelSize: kernel, groups });
      d.fanIn = fans.fanIn;
      d.fanOut = fans.fanOut;
      if (inChannels !== null) d.impliedInput = [...Array(rank).fill(null), inChannels];
      d.kernelInitializer = defaultAttr('kernelInitializer', type, { fanIn: d.fanIn });
      if (bias !== false) d.biasInitializer = defaultAttr('biasInitializer', type, { fanIn: d.fanIn });
      if (spec.type === 'conv2dTranspose' && rank !== 2)
        d.notes.push(`${className} is read as a 2-D transposed convolution for shapes; its fans are torch's`);
      return [d];
    }
    case 'embedding': {
      const d = draft('embedding', { inputDim: args.num_embeddings ?? null, outputDim: args.embedding_dim ?? null });
      d.fanIn = positiveInt(args.num_embeddings);
      d.fanOut = positiveInt(args.embedding_dim);
      d.kernelInitializer = defaultAttr(kernelKeyOf('embedding')!, 'embedding', { fanIn: d.fanIn });
      d.activation = { name: 'linear', explicit: false, source: 'default' };
      return [d];
    }
    case 'lstm':
    case 'gru':
    case 'simpleRNN':
      return recurrent(spec.type, className, args, draft);
    case 'batchNormalization':
    case 'layerNormalization':
      return [draft(spec.type, {})];
    case 'dropout':
    case 'alphaDropout': {
      return [draft(spec.type, { rate: args.p === undefined ? 0.5 : args.p })];
    }
    case 'activation': {
      const d = draft('activation', {});
      const alpha =
        className === 'LeakyReLU'
          ? typeof args.negative_slope === 'number'
            ? args.negative_slope
            : args.negative_slope === undefined
              ? 0.01
              : undefined
          : className === 'ELU'
            ? typeof args.alpha === 'number'
              ? args.alpha
              : args.alpha === undefined
                ? 1
                : undefined
            : undefined;
      const known = (className === 'LeakyReLU' || className === 'ELU') && alpha === undefined ? null : (spec.activation ?? null);
      d.activation = { name: known, explicit: true, source: 'own', valueSpan: base.span, ...(alpha === undefined ? {} : { alpha }) };
      d.config = { activation: known === null ? { kind: 'unknown', reason: `${className} has no mean-field model` } : known };
      return [d];
    }
    // Pooling and flatten pass values through without an activation of their own, like Keras's.
    default:
      return [draft(spec.type, {})];
  }
}

function recurrent(
  type: 'lstm' | 'gru' | 'simpleRNN',
  className: string,
  args: Record<string, ConfigValue>,
  draft: (type: LayerType, config: Record<string, ConfigValue>) => PyLayerDraft,
): PyLayerDraft[] {
  const hidden = positiveInt(args.hidden_size);
  const inputSize = positiveInt(args.input_size);
  const layers = args.num_layers === undefined ? 1 : positiveInt(args.num_layers);
  const bidirectional = args.bidirectional === true;
  const bias = args.bias === undefined ? true : args.bias;
  const gates = type === 'lstm' ? 4 : type === 'gru' ? 3 : 1;
  const activation = type === 'simpleRNN' && args.nonlinearity === 'relu' ? 'relu' : 'tanh';
  const count = layers ?? 1;
  const drafts: PyLayerDraft[] = [];
  for (let index = 0; index < Math.min(count, 64); index++) {
    const config: Record<string, ConfigValue> = { units: args.hidden_size ?? null, returnSequences: true, useBias: bias };
    if (type !== 'simpleRNN') config.recurrentActivation = 'sigmoid';
    if (type === 'lstm') config.unitForgetBias = false;
    if (type === 'gru') config.resetAfter = true;
    config.activation = activation;
    const d = draft(type, config);
    const features = index === 0 ? inputSize : hidden === null ? null : hidden * (bidirectional ? 2 : 1);
    d.fanIn = features;
    d.fanOut = hidden === null ? null : gates * hidden;
    d.activation = { name: activation, explicit: type === 'simpleRNN' && args.nonlinearity !== undefined, source: 'own' };
    if (index === 0 && inputSize !== null) d.impliedInput = [null, inputSize];
    d.kernelInitializer = defaultAttr('kernelInitializer', type, { fanIn: features, hidden });
    d.recurrentInitializer = defaultAttr('recurrentInitializer', type, { fanIn: hidden, hidden });
    if (bias !== false) d.biasInitializer = defaultAttr('biasInitializer', type, { fanIn: features, hidden });
    if (bidirectional) {
      d.wrapper = 'Bidirectional';
      d.wrapperConfig = { mergeMode: 'concat' };
    }
    if (count > 1) d.notes.push(`${className} layer ${index} of ${count}`);
    drafts.push(d);
  }
  if (layers === null) drafts[0].notes.push(`${className} num_layers is not known statically: read as one layer`);
  return drafts;
}

/** MultiheadAttention as its two projections: in_proj (xavier_uniform_ on [3E, E], zero bias) and out_proj (a Linear). */
/** MultiheadAttention's projection bias: PyTorch starts it at 0 (not the Linear default). */
function zeroBias(): InitializerAttr {
  return { key: 'biasInitializer', spec: { kind: 'zeros' }, explicit: false, alias: 'zeros', form: 'default', label: 'PyTorch default 0' };
}

function multiheadAttention(
  args: Record<string, ConfigValue>,
  draft: (type: LayerType, config: Record<string, ConfigValue>) => PyLayerDraft,
): PyLayerDraft[] {
  const embed = positiveInt(args.embed_dim);
  const bias = args.bias === undefined ? true : args.bias;
  const inProj = draft('dense', { units: embed === null ? null : 3 * embed, useBias: bias });
  inProj.fanIn = embed;
  inProj.fanOut = embed === null ? null : 3 * embed;
  inProj.kernelInitializer = {
    key: 'kernelInitializer',
    spec: torchAttentionDefaultSpec('inProjWeight'),
    explicit: false,
    alias: 'glorotUniform',
    form: 'default',
    label: 'PyTorch default for in_proj_weight: xavier_uniform_',
  };
  if (bias !== false) inProj.biasInitializer = zeroBias();
  inProj.notes.push(
    'MultiheadAttention is read as its input projection (queries, keys and values in one [3E, E] matrix) and its output projection',
  );
  const outProj = draft('dense', { units: embed, useBias: bias });
  outProj.fanIn = embed;
  outProj.fanOut = embed;
  outProj.kernelInitializer = defaultAttr('kernelInitializer', 'dense', { fanIn: embed });
  if (bias !== false) outProj.biasInitializer = zeroBias();
  if (embed !== null) inProj.impliedInput = [null, embed];
  return [inProj, outProj];
}
