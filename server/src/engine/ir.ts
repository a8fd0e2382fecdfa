// The model IR: what the front ends produce and what propagation, rules and the probe consume.

/** A half-open span of character offsets into the analysed text. */
export interface Span {
  start: number;
  end: number;
}

/** A config value that could not be resolved statically (never guessed). */
export interface UnknownValue {
  kind: 'unknown';
  /** Why it is unknown, e.g. "identifier 'width' is not a const". */
  reason: string;
}

/** A statically known config value (JSON-like), or unknown. */
export type ConfigValue = number | string | boolean | null | ConfigValue[] | { [key: string]: ConfigValue } | UnknownValue;

export function isUnknown(value: unknown): value is UnknownValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { kind?: unknown }).kind === 'unknown' &&
    typeof (value as { reason?: unknown }).reason === 'string'
  );
}

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type Distribution = 'normal' | 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/**
 * Canonical initializer. Numbers are the values the library will really use
 * (TF.js `stddev || 0.05` quirk applied by the front end, see catalog), or null when unknown.
 */
export type InitializerSpec =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number | null }
  | { kind: 'randomNormal'; mean: number | null; stddev: number | null }
  | { kind: 'truncatedNormal'; mean: number | null; stddev: number | null }
  | { kind: 'randomUniform'; minval: number | null; maxval: number | null }
  | { kind: 'varianceScaling'; scale: number | null; mode: FanMode | null; distribution: Distribution | null }
  | { kind: 'orthogonal'; gain: number | null }
  | { kind: 'identity'; gain: number | null }
  | { kind: 'unknown'; reason: string };

/** How an initializer was written, so a fix can write a replacement in the same form. */
export type InitializerForm =
  | 'string' // TS/JS string id: 'heNormal'
  | 'call' // TS/JS tf.initializers.heNormal({...}) (callee text kept in `callee`)
  | 'object' // TS/JS object literal / other expression
  | 'json-string' // JSON "he_normal"
  | 'json-object' // JSON {"class_name": ..., "config": ...}
  | 'python-string' // Keras Python kernel_initializer='he_normal'
  | 'python-call' // Keras Python kernel_initializer=initializers.HeNormal() (callee text kept in `callee`)
  | 'torch-init' // PyTorch nn.init.xavier_uniform_(self.fc.weight) (callee text before the function name in `callee`)
  | 'torch-method' // PyTorch self.fc.weight.data.normal_(0, 0.01), nn.Parameter(torch.zeros(...))
  | 'default'; // not written: the library default

/** One initializer attribute of a layer (kernel, recurrent or bias). */
export interface InitializerAttr {
  /** The camelCase config key it belongs to: 'kernelInitializer', 'depthwiseInitializer', 'embeddingsInitializer', ... */
  key: string;
  spec: InitializerSpec;
  /** false when the library default applies (the attribute is absent). */
  explicit: boolean;
  /** The canonical library alias if it is one: 'glorotNormal', 'heUniform', 'leCunNormal', ... (TF.js camelCase ids). */
  alias: string | null;
  form: InitializerForm;
  /** Span of the value expression (absent for defaults). */
  valueSpan?: Span;
  /** Span of the whole `key: value` property (absent for defaults). */
  propertySpan?: Span;
  /** For form 'call': the callee text before the alias, e.g. 'tf.initializers.'. */
  callee?: string;
  /** Quote character used by the file for strings (TS/JS, Python). */
  quote?: "'" | '"' | '`';
  /**
   * Where the initializer comes from in the user's words, when the front end can say it better than the spec:
   * "PyTorch's default U(±1/√fan_in)", "nn.init.xavier_uniform_ on line 42", "self.apply(init_weights) on line 30".
   */
  label?: string;
  /** PyTorch: source text of the tensor an init call writes (`self.fc1.weight`), so a fix can call another init on it. */
  target?: string;
}

/** Where to insert an attribute that is absent, with the separators that keep the file's formatting. */
export interface InsertionPoint {
  offset: number;
  /** Text to put before `key: value` (e.g. ",\n    " or ", "). */
  before: string;
  /** Text to put after it. */
  after: string;
}

export type LayerType =
  | 'dense'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv2dTranspose'
  | 'separableConv2d'
  | 'depthwiseConv2d'
  | 'lstm'
  | 'gru'
  | 'simpleRNN'
  | 'embedding'
  | 'batchNormalization'
  | 'layerNormalization'
  | 'activation'
  | 'dropout'
  | 'alphaDropout'
  | 'flatten'
  | 'add'
  | 'concatenate'
  | 'input'
  | 'reshape'
  | 'pooling'
  | 'model'
  | 'unknown';

/** The activation applied to a layer's output. */
export interface ActivationAttr {
  /** Canonical TF.js-style id: 'relu', 'leakyRelu', 'tanh', 'linear', ... or null when unknown. */
  name: string | null;
  explicit: boolean;
  /** 'own' = the layer's activation config; 'layer' = a following activation layer; 'default'. */
  source: 'own' | 'layer' | 'default';
  valueSpan?: Span;
  /** For leakyRelu/elu: alpha when known. */
  alpha?: number;
}

/** One layer of a model. */
export interface Layer {
  /** Unique within its model; stable across re-analysis of the same text where possible (e.g. 'dense_2' or the config name). */
  id: string;
  /** The user-facing name: config `name` if given, else `${className}#${index}`. */
  name: string;
  type: LayerType;
  /** Class name as written: 'dense', 'Dense', 'tf.layers.dense', 'MyLayer'. */
  className: string;
  /** Statically known config, camelCase keys (JSON snake_case keys are converted), unknowns as UnknownValue. */
  config: Record<string, ConfigValue>;
  /** Effective output activation (own, or folded from a following activation layer). */
  activation: ActivationAttr;
  kernelInitializer?: InitializerAttr;
  recurrentInitializer?: InitializerAttr;
  biasInitializer?: InitializerAttr;
  /**
   * Fans of the kernel as the library's initializer computes them (its variance comes from these), null when not
   * derivable: [in, out] for a dense kernel, times the receptive field for convolutions (transposed: swapped), and for
   * LSTM / GRU the combined kernel [features, gates * units], so fanOut = 4 * units / 3 * units.
   */
  fanIn: number | null;
  fanOut: number | null;
  /** Output feature size (units / filters / channels) when known. */
  outputSize: number | null;
  /** Output shape without the batch dimension (channels last) when the front end derived it; unknown dims null. Propagation uses its spatial positions. */
  outputShape?: (number | null)[] | null;
  /** Span of the whole layer expression (`tf.layers.dense({...})` or the JSON layer object). */
  span: Span;
  /** Span of the config object literal, if any. */
  configSpan?: Span;
  /** Spans of each written config property, by camelCase key. */
  properties: Record<string, { keySpan: Span; valueSpan: Span; propertySpan: Span }>;
  /** Where a missing attribute would be inserted; absent when the config is not editable (e.g. a spread-only config). */
  insertion?: InsertionPoint;
  /** Ids of the layers feeding this one (empty for the first layer of a sequential model / inputs). */
  inbound: string[];
  /** Set when the layer was produced by unrolling a loop or map; `count` null when the bound is unknown (treated as repeated). */
  repeated?: { index: number; count: number | null; note?: string };
  /** Wrapper class name when wrapped: 'Bidirectional', 'TimeDistributed'. */
  wrapper?: string;
  /** For nested models ('model' type): the inner model. */
  inner?: Model;
  /**
   * PyTorch: where a line that initializes this layer's weight may be inserted (after the statement that assigned the
   * layer), the text naming the layer object there (`self.fc1`) and the file's `nn.init` spelling (`nn.init.`).
   */
  initStatement?: { offset: number; indent: string; reference: string; initModule: string; lineBreak: string };
  /** Config values no library accepts, found by configChecks.ts (they were replaced by unknowns); the invalid-config rule reports them. */
  invalidValues?: { key: string; message: string; span: Span }[];
}

/** 'tfjs' for TS/JS code and TF.js JSON; 'keras2'/'keras3' for Keras JSON and Keras Python code; 'pytorch' for PyTorch code. Decides defaults and fix dialect. */
export type Dialect = 'tfjs' | 'keras2' | 'keras3' | 'pytorch';

/** A model: a graph of layers in topological order. */
export interface Model {
  /** Variable name, config name, or 'model#N'. */
  name: string;
  kind: 'sequential' | 'functional';
  dialect: Dialect;
  /** Span of the model's defining expression (tf.sequential(...) call, tf.model(...) call, or JSON model_config). */
  span: Span;
  layers: Layer[];
  /** Input shape without batch dim when known (e.g. [784]); entries may be null. */
  inputShape: (number | null)[] | null;
  /** Loss from a compile call / training_config when known. */
  loss?: string | null;
  /** Things the front end assumed or could not read, in words (shown to users). */
  notes: string[];
}

/** Output of a front end. */
export interface ParseResult {
  language: 'typescript' | 'json' | 'python';
  models: Model[];
  /** Problems of the input itself (syntax errors, truncated JSON), for information only. */
  notes: { message: string; span?: Span }[];
  /** Comment suppressions: line (0-based) → rule ids silenced on that line ('*' = all); FILE_WIDE (-1) → in the whole file. */
  suppressions: Map<number, Set<string>>;
}
