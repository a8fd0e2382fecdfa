// PyTorch's initialization idioms: nn.init.*_ calls, in-place tensor methods (.data.normal_), nn.Parameter(torch.zeros(…)),
// self.apply(fn), and the module / parameter traversals (modules(), named_parameters()) init code loops over.
import type { SyntaxNode } from '@lezer/common';
import type { ConfigValue, InitializerAttr, InitializerSpec } from '../../ir';
import { kernelKeyOf } from '../../catalog/layerDefaults';
import { aliasOfVarianceScaling } from '../../catalog/names';
import {
  bindTorchArguments,
  torchInitFunctionName,
  torchInitSignature,
  torchInitSpec,
  TORCH_TENSOR_METHODS,
  torchTensorMethodSpec,
} from '../../catalog/pytorch';
import type { Evaluator } from './evaluator';
import type { Interpreter } from './interpreter';
import { layersUnder } from './modules';
import { spanOf } from './syntax';
import { constValue, numberOf, toConfig, unknownValue, type LayerObject, type PyLayerDraft, type Scope, type Value } from './values';

const RECURRENT_PARAM = /^(weight_ih|weight_hh|bias_ih|bias_hh)_l(\d+)(_reverse)?$/;

/** The draft and IR key a parameter name of a layer object writes; null when model-lint does not model that tensor. */
export function parameterSlot(
  layer: LayerObject,
  name: string,
): { draft: PyLayerDraft; key: 'kernelInitializer' | 'biasInitializer' | 'recurrentInitializer' | 'embeddingsInitializer' } | null {
  const first = layer.drafts[0];
  if (first === undefined) return null;
  const recurrent = RECURRENT_PARAM.exec(name);
  if (recurrent) {
    const draft = layer.drafts[Number(recurrent[2])];
    if (!draft) return null;
    const key =
      recurrent[1] === 'weight_ih' ? 'kernelInitializer' : recurrent[1] === 'weight_hh' ? 'recurrentInitializer' : 'biasInitializer';
    return draft[key] ? { draft, key } : null;
  }
  if (name === 'weight' || name === 'in_proj_weight') {
    const key = kernelKeyOf(first.type) as 'kernelInitializer' | 'embeddingsInitializer' | null;
    return key !== null && first.kernelInitializer ? { draft: first, key } : null;
  }
  if (name === 'bias' || name === 'in_proj_bias') return first.biasInitializer ? { draft: first, key: 'biasInitializer' } : null;
  return null;
}

/** The parameter names of a layer object that carry an initializer, as named_parameters() lists them. */
function parameterNames(layer: LayerObject): string[] {
  const first = layer.drafts[0];
  if (!first?.kernelInitializer) return [];
  if (first.type === 'lstm' || first.type === 'gru' || first.type === 'simpleRNN') {
    return layer.drafts.flatMap((draft, k) => [
      `weight_ih_l${k}`,
      `weight_hh_l${k}`,
      ...(draft.biasInitializer ? [`bias_ih_l${k}`, `bias_hh_l${k}`] : []),
    ]);
  }
  if (layer.classPath.endsWith('MultiheadAttention')) return ['in_proj_weight', ...(first.biasInitializer ? ['in_proj_bias'] : [])];
  return ['weight', ...(first.biasInitializer ? ['bias'] : [])];
}

/**
 * The library alias of a spec. A gain² such as √2 · √2 = 2.0000000000000004 is compared at 12 digits, and PyTorch's
 * untruncated normal counts as the normal of heNormal / glorotNormal (the variance is the same).
 */
function aliasOf(spec: InitializerSpec): InitializerAttr['alias'] {
  if (spec.kind === 'varianceScaling') {
    const scale = spec.scale === null ? null : Number(spec.scale.toPrecision(12));
    return aliasOfVarianceScaling({
      ...spec,
      scale,
      distribution: spec.distribution === 'untruncatedNormal' ? 'normal' : spec.distribution,
    });
  }
  if (spec.kind === 'unknown') return null;
  return spec.kind;
}

/** How an init was written, for the attribute the slot gets. */
interface InitSource {
  form: InitializerAttr['form'];
  span: { start: number; end: number };
  callee?: string;
  target?: string;
  label: string;
}

/** Writes an initializer into the slot a parameter names (the last write wins, as in PyTorch). */
function writeInit(layer: LayerObject, name: string, spec: InitializerSpec, source: InitSource): void {
  const slot = parameterSlot(layer, name);
  if (slot === null) return;
  const attr: InitializerAttr = {
    key: slot.key,
    spec,
    explicit: true,
    alias: aliasOf(spec),
    form: source.form,
    valueSpan: source.span,
    label: source.label,
    ...(source.callee !== undefined ? { callee: source.callee } : {}),
    ...(source.target !== undefined ? { target: source.target } : {}),
  };
  if (slot.key === 'recurrentInitializer') slot.draft.recurrentInitializer = attr;
  else if (slot.key === 'biasInitializer') slot.draft.biasInitializer = attr;
  else slot.draft.kernelInitializer = attr;
  if (/^(bias_ih|bias_hh)_l/.test(name))
    slot.draft.notes.push(`${name} is one of PyTorch's two added RNN biases; model-lint reads the written one as the layer's bias`);
}

/** A tensor factory's values as a spec: torch.zeros → zeros, torch.randn → N(0, 1), torch.rand → U(0, 1), … */
function factorySpec(fn: string, args: { value: Value }[]): InitializerSpec | null {
  switch (fn) {
    case 'zeros':
    case 'zeros_like':
      return { kind: 'zeros' };
    case 'ones':
    case 'ones_like':
      return { kind: 'ones' };
    case 'randn':
    case 'randn_like':
      return { kind: 'randomNormal', mean: 0, stddev: 1 };
    case 'rand':
    case 'rand_like':
      return { kind: 'randomUniform', minval: 0, maxval: 1 };
    case 'full':
      return { kind: 'constant', value: numberOf(args[1]?.value) };
    case 'empty':
    case 'empty_like':
      return { kind: 'unknown', reason: 'torch.empty leaves memory uninitialized' };
    default:
      return null;
  }
}

/** A spec scaled by a constant factor (torch.randn(…) * 0.01); null when the factor or the spec cannot be scaled. */
function scaled(spec: InitializerSpec, factor: number): InitializerSpec | null {
  switch (spec.kind) {
    case 'zeros':
      return spec;
    case 'ones':
      return { kind: 'constant', value: factor };
    case 'constant':
      return { kind: 'constant', value: spec.value === null ? null : spec.value * factor };
    case 'randomNormal':
      return {
        kind: 'randomNormal',
        mean: spec.mean === null ? null : spec.mean * factor,
        stddev: spec.stddev === null ? null : spec.stddev * Math.abs(factor),
      };
    case 'randomUniform': {
      if (spec.minval === null || spec.maxval === null) return { kind: 'randomUniform', minval: null, maxval: null };
      const [a, b] = [spec.minval * factor, spec.maxval * factor];
      return { kind: 'randomUniform', minval: Math.min(a, b), maxval: Math.max(a, b) };
    }
    default:
      return null;
  }
}

/** The `nn.init.` spelling the file can call: from its imports (`nn.init.`, `torch.nn.init.`, `init.`). */
export function initModuleOf(it: Interpreter): string {
  if (it.initModule === null) it.initModule = findInitModule(it);
  return it.initModule;
}

function findInitModule(it: Interpreter): string {
  for (const [name, value] of it.globals.names) {
    if (value.kind !== 'path') continue;
    if (value.path === 'torch.nn.init') return `${name}.`;
  }
  for (const [name, value] of it.globals.names) {
    if (value.kind === 'path' && value.path === 'torch.nn') return `${name}.init.`;
  }
  return 'torch.nn.init.';
}

/** The hooks of the init idioms; the library hooks call them first. */
export function initCallHooks() {
  /** Set while self.apply(fn) visits layers: the words that say an init came through it. */
  let applyLabel: { code: string; place: string } | null = null;
  // Source text in a label is quoted with backticks: it is the user's code, not a number the engine computed.
  const labelFor = (what: string, it: Interpreter, offset: number): string =>
    `${what === 'an assignment' ? what : `\`${what}\``} ${it.placeOf(offset)}${applyLabel === null ? '' : `, via \`${applyLabel.code}\` ${applyLabel.place}`}`;

  const traversal = (receiver: Value, method: string): Value => {
    const layers = layersUnder(receiver);
    switch (method) {
      case 'modules':
      case 'children':
        return { kind: 'list', items: layers.map(({ layer }) => ({ kind: 'layer', layer }) as Value) };
      case 'named_modules':
      case 'named_children':
        return {
          kind: 'list',
          items: layers.map(({ path, layer }) => ({ kind: 'list', items: [constValue(path), { kind: 'layer', layer }] }) as Value),
        };
      case 'parameters':
      case 'named_parameters': {
        const items: Value[] = [];
        for (const { path, layer } of layers) {
          for (const name of parameterNames(layer)) {
            const param: Value = { kind: 'param', owner: layer, name, node: null as never };
            items.push(
              method === 'parameters' ? param : { kind: 'list', items: [constValue(path === '' ? name : `${path}.${name}`), param] },
            );
          }
        }
        return { kind: 'list', items };
      }
      default:
        return unknownValue(`${method}() is not followed`);
    }
  };

  return {
    traversal,

    callPath(path: string, call: SyntaxNode, it: Interpreter, scope: Scope): Value | undefined {
      const initMatch = /^torch\.nn\.init\.(\w+)$/.exec(path);
      if (initMatch && initMatch[1] !== 'calculate_gain') {
        const fn = torchInitFunctionName(initMatch[1]);
        const signature = fn === null ? undefined : torchInitSignature(fn);
        const read = it.argumentsOf(call, scope);
        const tensorArgument = read.positional[0] ?? read.keywords.get('tensor');
        const tensor = tensorArgument?.value;
        if (fn === null || signature === undefined || tensor?.kind !== 'param') return tensor ?? constValue(null);
        const keywords: Record<string, ConfigValue> = {};
        read.keywords.forEach((v, k) => {
          keywords[k] = toConfig(v.value);
        });
        const spec = torchInitSpec(
          fn,
          bindTorchArguments(
            signature,
            read.positional.map((p) => toConfig(p.value)),
            keywords,
          ),
        );
        const callee = it.text(call.firstChild!);
        writeInit(tensor.owner, tensor.name, spec, {
          form: 'torch-init',
          span: spanOf(call),
          callee: callee.slice(0, callee.length - initMatch[1].length),
          target: tensorArgument ? it.text(tensorArgument.node) : undefined,
          label: labelFor(`${callee.replace(/^torch\.nn\.init\./, 'nn.init.')}`, it, call.from),
        });
        return tensor;
      }
      const factory = /^torch\.(\w+)$/.exec(path);
      if (factory) {
        const spec = factorySpec(factory[1], it.argumentsOf(call, scope).positional);
        if (spec !== null) return { kind: 'spec', spec, span: spanOf(call), text: it.text(call) };
      }
      if (path === 'torch.nn.Parameter' || path === 'torch.nn.parameter.Parameter') {
        const value = it.argumentsOf(call, scope).positional[0]?.value;
        return value ?? unknownValue('nn.Parameter() without a tensor');
      }
      return undefined;
    },

    callMethod(receiver: Value, method: string, call: SyntaxNode, it: Interpreter, scope: Scope): Value | undefined {
      if (method === 'apply' && (receiver.kind === 'instance' || receiver.kind === 'container' || receiver.kind === 'layer')) {
        const fnValue = it.argumentsOf(call, scope).positional[0]?.value;
        if (fnValue?.kind !== 'function') {
          it.note(`'${it.text(call).slice(0, 60)}' applies a function model-lint cannot read`);
          return receiver;
        }
        const previous = applyLabel;
        applyLabel = { code: it.text(call).replace(/\s+/g, ' ').slice(0, 60), place: it.placeOf(call.from) };
        try {
          for (const { layer } of layersUnder(receiver)) it.callFunction(fnValue.fn, null, scope, [{ kind: 'layer', layer }]);
        } finally {
          applyLabel = previous;
        }
        return receiver;
      }
      if (receiver.kind === 'param' && (method === 'detach' || method === 'data')) return receiver;
      if (receiver.kind === 'param' && method.endsWith('_')) {
        const signature = Object.hasOwn(TORCH_TENSOR_METHODS, method) ? TORCH_TENSOR_METHODS[method] : undefined;
        const read = it.argumentsOf(call, scope);
        const keywords: Record<string, ConfigValue> = {};
        read.keywords.forEach((v, k) => {
          keywords[k] = toConfig(v.value);
        });
        const spec =
          signature === undefined
            ? { kind: 'unknown' as const, reason: `tensor method '${method}' changes the weight in a way model-lint does not model` }
            : torchTensorMethodSpec(
                method,
                bindTorchArguments(signature, [null, ...read.positional.map((p) => toConfig(p.value))], keywords),
              );
        const callee = it.text(call.firstChild!);
        const written = it.text(call).replace(/\s+/g, ' ');
        writeInit(receiver.owner, receiver.name, spec, {
          form: 'torch-method',
          span: spanOf(call),
          target: callee.slice(0, callee.lastIndexOf('.')).replace(/\.data$/, ''),
          callee: initModuleOf(it),
          label: labelFor(written.length <= 60 ? written : `.${method}()`, it, call.from),
        });
        return receiver;
      }
      if (receiver.kind === 'spec' && method.endsWith('_')) {
        const signature = Object.hasOwn(TORCH_TENSOR_METHODS, method) ? TORCH_TENSOR_METHODS[method] : undefined;
        const read = it.argumentsOf(call, scope);
        const spec =
          signature === undefined
            ? { kind: 'unknown' as const, reason: `tensor method '${method}'` }
            : torchTensorMethodSpec(method, bindTorchArguments(signature, [null, ...read.positional.map((p) => toConfig(p.value))]));
        return { kind: 'spec', spec, span: spanOf(call), text: it.text(call) };
      }
      return undefined;
    },

    attribute(receiver: Value, name: string, node: SyntaxNode): Value | undefined {
      if (receiver.kind === 'layer') {
        if (name === 'out_proj' && receiver.layer.drafts.length === 2 && receiver.layer.classPath.endsWith('MultiheadAttention')) {
          return {
            kind: 'layer',
            layer: { drafts: [receiver.layer.drafts[1]], classPath: 'torch.nn.Linear', path: null, weightless: false },
          };
        }
        if (/^(weight|bias|in_proj_weight|in_proj_bias)$/.test(name) || RECURRENT_PARAM.test(name))
          return { kind: 'param', owner: receiver.layer, name, node };
        const config = receiver.layer.drafts[0]?.config ?? {};
        const fromConfig: Record<string, string> = {
          out_features: 'units',
          out_channels: 'filters',
          hidden_size: 'units',
          embedding_dim: 'outputDim',
          num_embeddings: 'inputDim',
        };
        if (Object.hasOwn(fromConfig, name) && config[fromConfig[name]] !== undefined) return constValue(config[fromConfig[name]]);
        if (name === 'in_features' || name === 'in_channels') {
          const fanIn = receiver.layer.drafts[0]?.fanIn;
          return typeof fanIn === 'number' && name === 'in_features' ? constValue(fanIn) : unknownValue(`${name} is not kept`);
        }
        return unknownValue(`attribute '${name}' of a layer is not followed`);
      }
      if (receiver.kind === 'param' && (name === 'data' || name === 'weight')) return receiver;
      if (receiver.kind === 'tensor') return receiver;
      return undefined;
    },

    assignAttribute(receiver: Value, name: string, value: Value, statement: SyntaxNode, it: Interpreter): void {
      const target =
        receiver.kind === 'param' && name === 'data'
          ? { owner: receiver.owner, name: receiver.name }
          : receiver.kind === 'layer'
            ? { owner: receiver.layer, name }
            : null;
      if (target === null) return;
      const spec: InitializerSpec =
        value.kind === 'spec'
          ? value.spec
          : { kind: 'unknown', reason: `'${it.text(statement).slice(0, 60)}' assigns values model-lint cannot read` };
      writeInit(target.owner, target.name, spec, {
        form: 'torch-method',
        span: value.kind === 'spec' ? value.span : spanOf(statement),
        label: labelFor(value.kind === 'spec' ? value.text.replace(/\s+/g, ' ').slice(0, 50) : 'an assignment', it, statement.from),
      });
    },

    binary(op: string, left: Value, right: Value, node: SyntaxNode, it: Evaluator): Value | undefined {
      const spec = left.kind === 'spec' ? left : right.kind === 'spec' ? right : null;
      const factor = numberOf(left.kind === 'spec' ? right : left);
      if (spec === null || factor === null) return undefined;
      const k = op === '*' ? factor : op === '/' && left.kind === 'spec' && factor !== 0 ? 1 / factor : null;
      const result = k === null ? null : scaled(spec.spec, k);
      return result === null ? undefined : { kind: 'spec', spec: result, span: spanOf(node), text: it.text(node) };
    },
  };
}
