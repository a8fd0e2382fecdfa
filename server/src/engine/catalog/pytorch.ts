// PyTorch's init idioms as IR initializer specs: torch.nn.init functions, calculate_gain and in-place tensor methods.
import { isUnknown } from '../ir';
import type { ConfigValue, FanMode, InitializerSpec } from '../ir';
import { truncatedNormalMoments, TRUNCATION_BOUND } from './normal';

export { torchAttentionDefaultSpec, torchDefaultSpec, torchKernelFans } from './pytorchDefaults';
export type { TorchAttentionParameter } from './pytorchDefaults';

/** A Python signature as the caller binds it: parameter names in order (tensor or self first) and keyword defaults. */
export interface TorchSignature {
  params: string[];
  defaults: Record<string, ConfigValue>;
}

/**
 * Parameter names, in order, of each torch.nn.init function (tensor first), with their defaults. `generator` is the
 * trailing keyword PyTorch 2.2 added to the random ones; it never changes the statistics.
 */
export const TORCH_INIT_FUNCTIONS: Record<string, TorchSignature> = {
  uniform_: { params: ['tensor', 'a', 'b', 'generator'], defaults: { a: 0, b: 1 } },
  normal_: { params: ['tensor', 'mean', 'std', 'generator'], defaults: { mean: 0, std: 1 } },
  trunc_normal_: { params: ['tensor', 'mean', 'std', 'a', 'b', 'generator'], defaults: { mean: 0, std: 1, a: -2, b: 2 } },
  constant_: { params: ['tensor', 'val'], defaults: {} },
  ones_: { params: ['tensor'], defaults: {} },
  zeros_: { params: ['tensor'], defaults: {} },
  eye_: { params: ['tensor'], defaults: {} },
  dirac_: { params: ['tensor', 'groups'], defaults: { groups: 1 } },
  xavier_uniform_: { params: ['tensor', 'gain', 'generator'], defaults: { gain: 1 } },
  xavier_normal_: { params: ['tensor', 'gain', 'generator'], defaults: { gain: 1 } },
  kaiming_uniform_: {
    params: ['tensor', 'a', 'mode', 'nonlinearity', 'generator'],
    defaults: { a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' },
  },
  kaiming_normal_: {
    params: ['tensor', 'a', 'mode', 'nonlinearity', 'generator'],
    defaults: { a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu' },
  },
  orthogonal_: { params: ['tensor', 'gain', 'generator'], defaults: { gain: 1 } },
  sparse_: { params: ['tensor', 'sparsity', 'std', 'generator'], defaults: { std: 0.01 } },
};

/**
 * Binds a call's arguments to parameter names: positional values in order (the tensor or self first), then keywords.
 * Names the signature does not have are dropped, as are surplus positional values.
 */
export function bindTorchArguments(
  signature: TorchSignature,
  positional: ConfigValue[],
  keywords: Record<string, ConfigValue> = {},
): Record<string, ConfigValue> {
  const bound: Record<string, ConfigValue> = {};
  positional.forEach((value, index) => {
    if (index < signature.params.length) bound[signature.params[index]] = value;
  });
  for (const [name, value] of Object.entries(keywords)) if (signature.params.includes(name)) bound[name] = value;
  return bound;
}

/** The deprecated names without the trailing underscore that torch.nn.init still exports (each warns, then calls the new one). */
const DEPRECATED_INIT_ALIASES = new Set([
  'uniform',
  'normal',
  'constant',
  'eye',
  'dirac',
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
  'orthogonal',
  'sparse',
]);

/** The current name of an nn.init function ('xavier_uniform' -> 'xavier_uniform_'); null when it is not one. */
export function torchInitFunctionName(fn: string): string | null {
  if (Object.hasOwn(TORCH_INIT_FUNCTIONS, fn)) return fn;
  return DEPRECATED_INIT_ALIASES.has(fn) ? `${fn}_` : null;
}

/** Signature of an nn.init function by current or deprecated name; undefined when it is not one. */
export function torchInitSignature(fn: string): TorchSignature | undefined {
  const name = torchInitFunctionName(fn);
  return name === null ? undefined : TORCH_INIT_FUNCTIONS[name];
}

/** Nonlinearity names calculate_gain answers 1 for (the `nn.functional` names of linear maps, and sigmoid). */
const UNIT_GAIN = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid']);

/** leaky_relu's negative slope when calculate_gain gets no param. */
const DEFAULT_NEGATIVE_SLOPE = 0.01;

/**
 * calculate_gain's answer and its square (the variance scale kaiming_* uses, kept exact: √2² is not 2 in floating
 * point). Null for what PyTorch rejects and for unknown values.
 */
function gainOf(nonlinearity: ConfigValue, param?: ConfigValue): { gain: number; squared: number } | null {
  if (typeof nonlinearity !== 'string') return null;
  if (UNIT_GAIN.has(nonlinearity)) return { gain: 1, squared: 1 };
  switch (nonlinearity) {
    case 'tanh':
      return { gain: 5 / 3, squared: 25 / 9 };
    case 'relu':
      return { gain: Math.SQRT2, squared: 2 };
    case 'selu':
      return { gain: 3 / 4, squared: 9 / 16 };
    case 'leaky_relu': {
      const slope = param === undefined || param === null ? DEFAULT_NEGATIVE_SLOPE : param;
      if (typeof slope !== 'number') return null;
      const squared = 2 / (1 + slope * slope);
      return { gain: Math.sqrt(squared), squared };
    }
    default:
      return null;
  }
}

/**
 * torch.nn.init.calculate_gain(nonlinearity, param): linear, conv* and sigmoid 1, tanh 5/3, relu √2, selu 3/4,
 * leaky_relu √(2 / (1 + slope²)) with slope = param (0.01 when None). Null for what PyTorch rejects (an unknown
 * name, a bool or non-number slope) and for unknown values; param is read only for leaky_relu, as PyTorch does.
 */
export function calculateGain(nonlinearity: ConfigValue, param?: ConfigValue): number | null {
  return gainOf(nonlinearity, param)?.gain ?? null;
}

/** A bound argument, else the signature's default; undefined when neither exists (a required argument is missing). */
function argument(args: Record<string, ConfigValue>, signature: TorchSignature, name: string): ConfigValue | undefined {
  return Object.hasOwn(args, name) ? args[name] : Object.hasOwn(signature.defaults, name) ? signature.defaults[name] : undefined;
}

/** A number argument: the number, or null when unknown, missing or not a number. */
function numberArg(args: Record<string, ConfigValue>, signature: TorchSignature, name: string): number | null {
  const value = argument(args, signature, name);
  return typeof value === 'number' ? value : null;
}

/** kaiming_*'s mode ('fan_in' / 'fan_out', any case, as PyTorch lower-cases it); null when unknown or invalid. */
function kaimingMode(value: ConfigValue | undefined): FanMode | null {
  if (typeof value !== 'string') return null;
  const mode = value.toLowerCase();
  return mode === 'fan_in' ? 'fanIn' : mode === 'fan_out' ? 'fanOut' : null;
}

/** normal_ / uniform_ as PyTorch checks them: a negative std or a reversed range raises instead of drawing. */
function normalSpec(mean: number | null, std: number | null, where: string): InitializerSpec {
  if (std !== null && std < 0) return { kind: 'unknown', reason: `${where} with std ${std} raises in PyTorch (std must be >= 0)` };
  return { kind: 'randomNormal', mean, stddev: std };
}

function uniformSpec(from: number | null, to: number | null, where: string): InitializerSpec {
  if (from !== null && to !== null && from > to)
    return { kind: 'unknown', reason: `${where} from ${from} to ${to} raises in PyTorch (from > to)` };
  return { kind: 'randomUniform', minval: from, maxval: to };
}

/** gain², rounded where it is a round number up to float error (√2² = 2.0000000000000004 is He's 2: the rules compare exactly). */
const square = (value: number | null): number | null => {
  if (value === null) return null;
  const squared = value * value;
  const rounded = Math.round(squared * 1e9) / 1e9;
  return Math.abs(squared - rounded) <= 4 * Number.EPSILON * Math.max(1, squared) ? rounded : squared;
};

/**
 * trunc_normal_(mean, std, a, b) cuts at ABSOLUTE bounds a, b (not multiples of std). When the bounds sit exactly at
 * mean ± 2 std the result is the IR's truncatedNormal (cut at 2 std); otherwise it is a randomNormal carrying the
 * realized mean and std of the truncated draw: with std = 0.02 and the default ±2 the cut is 100 std out, so the
 * draw is an untruncated N(0, 0.02²) in all but name. Only the first two moments are kept, which is what the
 * variance propagation reads.
 */
function truncNormalSpec(mean: number | null, std: number | null, lower: number | null, upper: number | null): InitializerSpec {
  if (mean === null || std === null || lower === null || upper === null) return { kind: 'randomNormal', mean: null, stddev: null };
  const near = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x), Math.abs(y));
  if (std > 0 && near(lower, mean - TRUNCATION_BOUND * std) && near(upper, mean + TRUNCATION_BOUND * std)) {
    return { kind: 'truncatedNormal', mean, stddev: std };
  }
  const moments = truncatedNormalMoments(mean, std, lower, upper);
  if (moments === null)
    return { kind: 'unknown', reason: `trunc_normal_ with std ${std} on [${lower}, ${upper}] draws no valid normal values` };
  return { kind: 'randomNormal', mean: moments.mean, stddev: moments.stddev };
}

/**
 * The spec an nn.init function produces, given its arguments bound by parameter name (TORCH_INIT_FUNCTIONS gives
 * the order for positional ones). Unknown values make the numbers they affect null; an unknown function name gives
 * { kind: 'unknown', reason }. Deprecated aliases without the trailing underscore work too.
 */
export function torchInitSpec(fn: string, args: Record<string, ConfigValue>): InitializerSpec {
  const name = torchInitFunctionName(fn);
  if (name === null) return { kind: 'unknown', reason: `'${fn}' is not a torch.nn.init function the catalog knows` };
  const signature = TORCH_INIT_FUNCTIONS[name];
  const num = (param: string): number | null => numberArg(args, signature, param);
  switch (name) {
    case 'uniform_':
      return uniformSpec(num('a'), num('b'), 'nn.init.uniform_');
    case 'normal_':
      return normalSpec(num('mean'), num('std'), 'nn.init.normal_');
    case 'trunc_normal_':
      return truncNormalSpec(num('mean'), num('std'), num('a'), num('b'));
    case 'constant_':
      return { kind: 'constant', value: num('val') };
    case 'ones_':
      return { kind: 'ones' };
    case 'zeros_':
      return { kind: 'zeros' };
    case 'eye_':
      return { kind: 'identity', gain: 1 };
    case 'dirac_': {
      // One 1 per output channel at the kernel's centre; with groups > 1 each group holds its own identity, whose
      // share of ones depends on the per-group channel counts, which the fans alone do not give.
      const groups = argument(args, signature, 'groups');
      if (groups === 1) return { kind: 'identity', gain: 1 };
      const why = isUnknown(groups) ? groups.reason : `groups=${JSON.stringify(groups)}`;
      return { kind: 'unknown', reason: `dirac_ with ${why}: the share of ones depends on per-group channels` };
    }
    case 'xavier_uniform_':
    case 'xavier_normal_':
      return {
        kind: 'varianceScaling',
        scale: square(num('gain')),
        mode: 'fanAvg',
        distribution: name === 'xavier_uniform_' ? 'uniform' : 'untruncatedNormal',
      };
    case 'kaiming_uniform_':
    case 'kaiming_normal_': {
      const nonlinearity = argument(args, signature, 'nonlinearity') ?? null;
      const gain = gainOf(nonlinearity, argument(args, signature, 'a'));
      return {
        kind: 'varianceScaling',
        scale: gain === null ? null : gain.squared,
        mode: kaimingMode(argument(args, signature, 'mode')),
        distribution: name === 'kaiming_uniform_' ? 'uniform' : 'untruncatedNormal',
      };
    }
    case 'orthogonal_':
      return { kind: 'orthogonal', gain: num('gain') };
    case 'sparse_': {
      // N(0, std²) with ceil(sparsity · rows) entries of each column set to 0: mean 0 and, up to that rounding,
      // variance (1 - sparsity) std². The moments are what propagation reads; the zeros themselves break no symmetry.
      const sparsity = num('sparsity');
      const std = num('std');
      if (sparsity !== null && (sparsity < 0 || sparsity > 1))
        return { kind: 'unknown', reason: `sparse_ with sparsity ${sparsity} outside [0, 1]` };
      return { kind: 'randomNormal', mean: 0, stddev: sparsity === null || std === null ? null : std * Math.sqrt(1 - sparsity) };
    }
    default:
      return { kind: 'unknown', reason: `'${fn}' has no spec in the catalog` };
  }
}

/** In-place tensor methods that (re)fill a weight: parameter names in order (self first) and keyword defaults. */
export const TORCH_TENSOR_METHODS: Record<string, TorchSignature> = {
  zero_: { params: ['self'], defaults: {} },
  fill_: { params: ['self', 'value'], defaults: {} },
  normal_: { params: ['self', 'mean', 'std', 'generator'], defaults: { mean: 0, std: 1 } },
  uniform_: { params: ['self', 'from', 'to', 'generator'], defaults: { from: 0, to: 1 } },
  copy_: { params: ['self', 'src', 'non_blocking'], defaults: { non_blocking: false } },
};

/**
 * The spec an in-place tensor method leaves in a weight (same binding convention as torchInitSpec). copy_ and
 * every method not in TORCH_TENSOR_METHODS give { kind: 'unknown', reason }: the values come from elsewhere or
 * depend on what was there before.
 */
export function torchTensorMethodSpec(method: string, args: Record<string, ConfigValue>): InitializerSpec {
  const signature = Object.hasOwn(TORCH_TENSOR_METHODS, method) ? TORCH_TENSOR_METHODS[method] : undefined;
  if (signature === undefined)
    return { kind: 'unknown', reason: `tensor method '${method}' is not one the catalog reads as an initialization` };
  const num = (param: string): number | null => numberArg(args, signature, param);
  switch (method) {
    case 'zero_':
      return { kind: 'zeros' };
    case 'fill_':
      return { kind: 'constant', value: num('value') };
    case 'normal_':
      return normalSpec(num('mean'), num('std'), 'Tensor.normal_');
    case 'uniform_':
      return uniformSpec(num('from'), num('to'), 'Tensor.uniform_');
    case 'copy_':
      return { kind: 'unknown', reason: 'copy_ takes its values from another tensor' };
    default:
      return { kind: 'unknown', reason: `tensor method '${method}' has no spec in the catalog` };
  }
}
