// What PyTorch and Keras calls do to the reader's values: layer constructors, containers, functional activations,
// tensors in forward / call, Keras functional graphs and initializer objects.
import type { SyntaxNode } from '@lezer/common';
import type { ConfigValue, Span } from '../../ir';
import { calculateGain } from '../../catalog/pytorch';
import { canonicalPath, MAX_UNROLL, type Interpreter, type LibraryHooks } from './interpreter';
import { initCallHooks } from './torchInit';
import { kerasLayerDraft, kerasLayerParams, kerasActivationOf, type KerasArgument } from './kerasLayers';
import { builtin } from './builtins';
import { childNamed, hasError, quoteOf, spanOf } from './syntax';
import { torchActivationId, torchLayerDrafts, torchLayerParams, torchLayerSpec } from './torchLayers';
import {
  addNote, constValue, numberOf, unreadableReason, toConfig, unknownValue, type ContainerObject, type LayerObject, type PyLayerDraft, type Scope,
  type Tensor, type Value,
} from './values';

const TORCH_FUNCTIONAL = /^torch\.nn\.functional\.(\w+)$/;
const TORCH_TOP_ACTIVATION = /^torch\.(relu|tanh|sigmoid|selu|celu|softmax|log_softmax|special\.expit)$/;
const KERAS_ACTIVATION = /^(keras\.activations|keras\.ops|tensorflow\.nn|tensorflow\.math)\.(\w+)$/;
const TENSOR_ACTIVATION_METHODS = new Set(['relu', 'relu_', 'tanh', 'tanh_', 'sigmoid', 'sigmoid_', 'softmax', 'log_softmax']);
const TENSOR_FLATTEN_METHODS = new Set(['flatten', 'view', 'reshape']);
const LAYER_TRAVERSAL_METHODS = new Set(['modules', 'children', 'named_modules', 'named_children', 'parameters', 'named_parameters']);
const CONTAINER_METHODS = new Set(['append', 'add', 'extend', 'add_module', 'register_module', 'items', 'values', 'keys', 'compile', 'summary', 'build', 'fit']);
const SELF_RETURNING_METHODS = new Set(['to', 'cuda', 'cpu', 'train', 'eval', 'double', 'float', 'half', 'requires_grad_', 'type', 'share_memory']);

/** The tensors in a value (a tensor, or a tuple / list of tensors). */
export function tensorsIn(value: Value): Tensor[] {
  if (value.kind === 'tensor') return [value.tensor];
  if (value.kind === 'list') return value.items.flatMap(tensorsIn);
  if (value.kind === 'dict') return [...value.entries.values()].flatMap(tensorsIn);
  return [];
}

/** A fresh layer object from drafts. */
function layerObject(drafts: PyLayerDraft[], classPath: string): LayerObject {
  const weightless = drafts.every((d) => !d.kernelInitializer);
  return { drafts, classPath, path: null, weightless };
}

/** Reads Keras arguments bound to parameter names, with the spans a fix needs. */
function kerasArguments(call: SyntaxNode, className: string, it: Interpreter, scope: Scope): { args: Map<string, KerasArgument>; complete: boolean; unread?: string } {
  const params = kerasLayerParams(className);
  const read = it.argumentsOf(call, scope);
  const args = new Map<string, KerasArgument>();
  const entry = (value: Value, node: SyntaxNode, nameNode?: SyntaxNode): KerasArgument => {
    const argument: KerasArgument = { value, config: toConfig(value), valueSpan: spanOf(node), text: it.text(node), broken: hasError(node) };
    if (nameNode && nameNode !== node) {
      argument.keySpan = spanOf(nameNode);
      argument.propertySpan = { start: nameNode.from, end: node.to };
    }
    if (node.name === 'String') argument.quote = quoteOf(it.source, node);
    return argument;
  };
  read.positional.forEach((item, index) => {
    if (index < params.length) args.set(params[index], entry(item.value, item.node));
  });
  read.keywords.forEach((item, name) => args.set(name, entry(item.value, item.node, item.nameNode)));
  return { args, complete: read.complete, ...(read.unread === undefined ? {} : { unread: read.unread }) };
}

/** Where a keyword argument is inserted into a call: before its closing parenthesis, with the file's separators. */
function insertionOf(call: SyntaxNode, it: Interpreter): PyLayerDraft['insertion'] {
  const argList = childNamed(call, 'ArgList');
  const close = argList?.lastChild;
  if (!argList || close?.name !== ')') return undefined;
  const inner = it.source.text.slice(argList.from + 1, close.from);
  if (inner.trim() === '') return { offset: close.from, before: '', after: '' };
  const trailingComma = /,\s*$/.test(inner);
  const multiLine = /\n/.test(inner);
  if (multiLine) {
    const lastLine = /\n([ \t]*)\S[^\n]*\s*$/.exec(inner);
    const indent = lastLine ? lastLine[1] : '    ';
    const end = argList.from + 1 + inner.replace(/\s*$/, '').length;
    return trailingComma ? { offset: end, before: `\n${indent}`, after: ',' } : { offset: end, before: `,\n${indent}`, after: '' };
  }
  const end = argList.from + 1 + inner.replace(/\s*$/, '').length;
  return trailingComma ? { offset: end, before: ' ', after: '' } : { offset: end, before: ', ', after: '' };
}

function torchLayer(className: string, path: string, call: SyntaxNode, it: Interpreter, scope: Scope): Value {
  const params = torchLayerParams(className);
  const read = it.argumentsOf(call, scope);
  const args: Record<string, ConfigValue> = {};
  read.positional.forEach((item, index) => { if (index < params.length) args[params[index]] = toConfig(item.value); });
  read.keywords.forEach((item, name) => { args[name] = toConfig(item.value); });
  const drafts = torchLayerDrafts(className, args, { span: spanOf(call), properties: {} });
  if (!read.complete) drafts[0].notes.push(`${className}(…) has arguments from a spread model-lint cannot read (${read.unread})`);
  if (torchLayerSpec(className) === undefined) drafts[0].notes.push(`layer class 'nn.${className}' is not one model-lint models; the signal is not followed through it`);
  return { kind: 'layer', layer: layerObject(drafts, path) };
}

function kerasLayer(className: string, path: string, call: SyntaxNode, it: Interpreter, scope: Scope): Value {
  const { args, complete, unread } = kerasArguments(call, className, it, scope);
  const argList = childNamed(call, 'ArgList');
  const base = { span: spanOf(call), ...(argList ? { configSpan: spanOf(argList) } : {}), insertion: insertionOf(call, it) };
  if (className === 'Bidirectional' || className === 'TimeDistributed') {
    const inner = args.get('layer')?.value;
    if (inner?.kind === 'layer') {
      const drafts = inner.layer.drafts.map((d) => ({ ...d, wrapper: className, wrapperConfig: { mergeMode: toConfig(args.get('merge_mode')?.value ?? constValue('concat')) } }));
      return { kind: 'layer', layer: layerObject(drafts, inner.layer.classPath) };
    }
  }
  const draft = kerasLayerDraft(className, args, base);
  if (!complete) draft.notes.push(`${className}(…) has arguments from a spread model-lint cannot read (${unread})`);
  return { kind: 'layer', layer: layerObject([draft], path) };
}

/** A layer made on the fly for an activation function applied inline (F.relu(x), torch.tanh(x), x.relu()). */
function activationLayer(name: string | null, fn: string, span: Span, framework: 'pytorch' | 'keras', alpha?: number): LayerObject {
  const draft: PyLayerDraft = {
    framework, type: 'activation', className: fn, config: { activation: name ?? { kind: 'unknown', reason: `${fn} has no mean-field model` } },
    properties: {}, span, activation: { name, explicit: true, source: 'own', valueSpan: span, ...(alpha === undefined ? {} : { alpha }) }, notes: [],
  };
  return layerObject([draft], fn);
}

/** A weightless helper layer (flatten, add, concatenate) made by a function call or an operator. */
function helperLayer(type: 'flatten' | 'add' | 'concatenate', className: string, span: Span, framework: 'pytorch' | 'keras'): LayerObject {
  const draft: PyLayerDraft = {
    framework, type, className, config: type === 'concatenate' ? { axis: -1 } : {}, properties: {}, span,
    activation: { name: 'linear', explicit: false, source: 'default' }, notes: [],
  };
  return layerObject([draft], className);
}

/** The activation a torch.nn.functional / torch.* function applies, with alpha for leaky_relu / elu. */
function torchFunctionalActivation(fn: string, read: ReturnType<Interpreter['argumentsOf']>): { name: string | null; alpha?: number } {
  const id = torchActivationId(fn.replace(/_$/, ''));
  if (id === 'leakyRelu' || id === 'elu') {
    const written = read.positional[1]?.value ?? read.keywords.get(id === 'leakyRelu' ? 'negative_slope' : 'alpha')?.value;
    const alpha = written === undefined ? (id === 'leakyRelu' ? 0.01 : 1) : numberOf(written);
    return alpha === null ? { name: null } : { name: id, alpha };
  }
  return { name: id };
}

/** The tensors passed as a call's first argument (a tensor, or a list of them for cat / add). */
function firstTensorArgument(call: SyntaxNode, it: Interpreter, scope: Scope): Tensor[] {
  const first = it.argumentsOf(call, scope).positional[0];
  return first === undefined ? [] : tensorsIn(first.value);
}

/** Applies a module-like value to tensors: a layer, a container (in order), an instance (its forward / call). */
export function applyValue(value: Value, inputs: Tensor[], it: Interpreter, span?: Span): Value | undefined {
  if (value.kind === 'layer') return it.apply(value.layer, inputs, span);
  if (value.kind === 'container' && (value.container.kind === 'sequential' || value.container.kind === 'kerasSequential')) {
    let current: Value = inputs.length > 0 ? { kind: 'tensor', tensor: inputs[0] } : { kind: 'tensor', tensor: { producer: null } };
    for (const item of value.container.items.slice(0, MAX_UNROLL)) {
      // keras.Input(...) listed first in a Sequential is the model's input layer.
      if (item.value.kind === 'tensor' && value.container.kind === 'kerasSequential') { current = item.value; continue; }
      const next = applyValue(item.value, tensorsIn(current), it);
      if (next !== undefined) current = next;
    }
    return current;
  }
  if (value.kind === 'instance') {
    const method = value.instance.cls.framework === 'keras' ? 'call' : 'forward';
    const traced = it.traceMethod(value, method, inputs.map((tensor) => ({ kind: 'tensor', tensor }) as Value));
    return traced ?? undefined;
  }
  if (value.kind === 'activation') {
    const layer = activationLayer(value.name, value.fn, value.span ?? { start: 0, end: 0 }, value.fn.startsWith('torch') || value.fn.startsWith('F.') ? 'pytorch' : 'keras', value.alpha);
    return it.apply(layer, inputs, span);
  }
  return undefined;
}

/** Says which items of a container are not layers model-lint can read (an imported block, a value from run time). */
function noteUnreadItems(container: ContainerObject, what: string): void {
  for (const item of container.items) {
    if (item.value.kind === 'unknown') addNote(container, `item ${item.name} of ${what}(…) is not read: ${item.value.reason}`);
  }
}

/** The container a torch.nn.Sequential / ModuleList / ModuleDict call builds. */
function torchContainer(kind: 'Sequential' | 'ModuleList' | 'ModuleDict', call: SyntaxNode, it: Interpreter, scope: Scope): Value {
  const read = it.argumentsOf(call, scope);
  const container: ContainerObject = { kind: kind === 'Sequential' ? 'sequential' : kind === 'ModuleList' ? 'list' : 'dict', framework: 'pytorch', items: [], span: spanOf(call) };
  if (kind === 'Sequential') {
    const first = read.positional[0]?.value;
    if (read.positional.length === 1 && first?.kind === 'dict') first.entries.forEach((value, name) => container.items.push({ name, value }));
    else read.positional.forEach((p, index) => container.items.push({ name: String(index), value: p.value }));
  } else if (kind === 'ModuleList') {
    const items = read.positional[0] ? it.iterate(read.positional[0].value) : [];
    (items ?? []).forEach((value, index) => container.items.push({ name: String(index), value }));
    if (items === null) addNote(container, `an nn.ModuleList is built from values model-lint cannot know (${unreadableReason(read.positional[0].value)})`);
  } else {
    const first = read.positional[0]?.value;
    if (first?.kind === 'dict') first.entries.forEach((value, name) => container.items.push({ name, value }));
  }
  if (!read.complete) addNote(container, `nn.${kind}(…) has arguments from a spread model-lint cannot read (${read.unread})`);
  noteUnreadItems(container, `nn.${kind}`);
  return { kind: 'container', container };
}

/**
 * Gives every layer in a value assigned by one statement the text that names it there (`self.fc1`, `self.hidden[2]`,
 * `model[0]`) and the statement's end, where a PyTorch init line for it may be inserted. The first name wins.
 */
export function nameLayers(value: Value, reference: string, statementEnd: number, depth = 0): void {
  if (depth > 8) return;
  if (value.kind === 'layer') {
    if (value.layer.statementEnd === undefined) {
      value.layer.statementEnd = statementEnd;
      value.layer.reference = reference;
    }
    return;
  }
  if (value.kind !== 'container' || value.container.framework !== 'pytorch') return;
  for (const item of value.container.items) {
    const key = value.container.kind === 'dict' ? `[${JSON.stringify(item.name)}]` : `[${item.name}]`;
    nameLayers(item.value, `${reference}${key}`, statementEnd, depth + 1);
  }
}

/** Builds the library hooks of the interpreter. */
export function libraryHooks(): LibraryHooks {
  const init = initCallHooks();
  const hooks: LibraryHooks = {
    callPath(rawPath, call, it, scope) {
      const path = canonicalPath(rawPath);
      const fromBuiltin = builtin(path, call, it, scope);
      if (fromBuiltin !== undefined) return fromBuiltin;
      const initResult = init.callPath(path, call, it, scope);
      if (initResult !== undefined) return initResult;
      let match = /^torch\.nn\.(Sequential|ModuleList|ModuleDict)$/.exec(path);
      if (match) return torchContainer(match[1] as 'Sequential', call, it, scope);
      match = /^torch\.nn\.([A-Z]\w*)$/.exec(path);
      if (match && match[1] !== 'Module' && match[1] !== 'Parameter') return torchLayer(match[1], path, call, it, scope);
      match = TORCH_FUNCTIONAL.exec(path) ?? TORCH_TOP_ACTIVATION.exec(path);
      if (match) {
        const fn = match[1].replace('special.expit', 'sigmoid');
        const read = it.argumentsOf(call, scope);
        const tensors = read.positional.length > 0 ? tensorsIn(read.positional[0].value) : [];
        if (fn === 'dropout' || fn === 'alpha_dropout') {
          // F.dropout(x, p=0.5): a dropout layer like nn.Dropout's, so its 1/(1 - p) scaling is followed too.
          const p = read.positional[1]?.value ?? read.keywords.get('p')?.value;
          const drafts = torchLayerDrafts(fn === 'dropout' ? 'Dropout' : 'AlphaDropout', p === undefined ? {} : { p: toConfig(p) }, { span: spanOf(call), properties: {} });
          return tensors.length > 0 ? it.apply(layerObject(drafts, path), tensors, spanOf(call)) : unknownValue(`${path}() of a value model-lint cannot know`);
        }
        if (fn === 'max_pool2d' || fn === 'avg_pool2d' || fn === 'adaptive_avg_pool2d' || fn === 'pad' || fn === 'interpolate' || fn === 'normalize') {
          return tensors.length > 0 ? { kind: 'tensor', tensor: tensors[0] } : unknownValue(`${path}() of a value model-lint cannot know`);
        }
        const activation = torchFunctionalActivation(fn, read);
        return it.apply(activationLayer(activation.name, fn, spanOf(call), 'pytorch', activation.alpha), tensors, spanOf(call));
      }
      if (path === 'torch.flatten') return it.apply(helperLayer('flatten', 'flatten', spanOf(call), 'pytorch'), firstTensorArgument(call, it, scope));
      if (path === 'torch.cat' || path === 'torch.concat' || path === 'torch.stack') return it.apply(helperLayer('concatenate', 'cat', spanOf(call), 'pytorch'), firstTensorArgument(call, it, scope));
      if (path === 'torch.add') return it.apply(helperLayer('add', 'add', spanOf(call), 'pytorch'), it.argumentsOf(call, scope).positional.flatMap((p) => tensorsIn(p.value)));
      if (path === 'keras.Sequential') {
        const read = it.argumentsOf(call, scope);
        const layers = read.positional[0]?.value ?? read.keywords.get('layers')?.value;
        const container: ContainerObject = { kind: 'kerasSequential', framework: 'keras', items: [], span: spanOf(call) };
        const items = layers ? it.iterate(layers) : [];
        (items ?? []).forEach((value, index) => container.items.push({ name: String(index), value }));
        if (items === null) addNote(container, `a keras.Sequential is built from values model-lint cannot know (${unreadableReason(layers!)})`);
        noteUnreadItems(container, 'keras.Sequential');
        return { kind: 'container', container };
      }
      if (path === 'keras.Model') {
        const read = it.argumentsOf(call, scope);
        const inputs = read.positional[0]?.value ?? read.keywords.get('inputs')?.value;
        const outputs = read.positional[1]?.value ?? read.keywords.get('outputs')?.value;
        if (!inputs && !outputs) return unknownValue('keras.Model() without inputs and outputs');
        return { kind: 'keras-model', inputs: inputs ? tensorsIn(inputs) : [], outputs: outputs ? tensorsIn(outputs) : [], span: spanOf(call) };
      }
      if (path === 'keras.Input') {
        const layer = kerasLayer('InputLayer', 'keras.layers.InputLayer', call, it, scope);
        return layer.kind === 'layer' ? it.apply(layer.layer, []) : layer;
      }
      match = /^keras\.layers\.(add|concatenate|multiply|average|subtract|maximum|minimum)$/.exec(path);
      if (match) {
        const tensors = firstTensorArgument(call, it, scope);
        return it.apply(helperLayer(match[1] === 'concatenate' ? 'concatenate' : 'add', match[1], spanOf(call), 'keras'), tensors);
      }
      match = /^keras\.layers\.([A-Z]\w*)$/.exec(path);
      if (match) return kerasLayer(match[1], path, call, it, scope);
      match = /^keras\.initializers\.([A-Z]\w*|\w+)$/.exec(path);
      if (match) {
        const read = it.argumentsOf(call, scope);
        const positionalNames: Record<string, string[]> = {
          RandomNormal: ['mean', 'stddev'], TruncatedNormal: ['mean', 'stddev'], RandomUniform: ['minval', 'maxval'], Constant: ['value'],
          VarianceScaling: ['scale', 'mode', 'distribution'], Orthogonal: ['gain'], Identity: ['gain'],
        };
        const config: Record<string, ConfigValue> = {};
        const names = positionalNames[match[1]] ?? [];
        read.positional.forEach((p, index) => { if (index < names.length) config[names[index]] = toConfig(p.value); });
        read.keywords.forEach((v, k) => { config[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = toConfig(v.value); });
        const callee = it.text(call.firstChild!);
        return { kind: 'initializer', name: match[1], config, span: spanOf(call), callee: callee.slice(0, callee.length - match[1].length) };
      }
      match = KERAS_ACTIVATION.exec(path);
      if (match) {
        const tensors = firstTensorArgument(call, it, scope);
        const name = kerasActivationOf({ kind: 'path', path }).name;
        return it.apply(activationLayer(name, match[2], spanOf(call), 'keras'), tensors, spanOf(call));
      }
      if (path === 'torch.nn.init.calculate_gain') {
        const read = it.argumentsOf(call, scope);
        const gain = calculateGain(toConfig(read.positional[0]?.value ?? constValue(null)), read.positional[1] ? toConfig(read.positional[1].value) : undefined);
        return gain === null ? unknownValue('calculate_gain() of a value model-lint cannot know') : constValue(gain);
      }
      return unknownValue(`'${rawPath}(…)' is not a call model-lint reads`);
    },

    callMethod(receiver, method, call, it, scope) {
      const fromInit = init.callMethod(receiver, method, call, it, scope);
      if (fromInit !== undefined) return fromInit;
      if (receiver.kind === 'tensor') {
        if (TENSOR_ACTIVATION_METHODS.has(method)) {
          const name = torchActivationId(method.replace(/_$/, ''));
          return it.apply(activationLayer(name, method.replace(/_$/, ''), spanOf(call), 'pytorch'), [receiver.tensor], spanOf(call));
        }
        if (TENSOR_FLATTEN_METHODS.has(method)) return it.apply(helperLayer('flatten', method, spanOf(call), 'pytorch'), [receiver.tensor]);
        return receiver;
      }
      if (receiver.kind === 'list' && (method === 'append' || method === 'extend')) {
        const value = it.argumentsOf(call, scope).positional[0]?.value;
        if (value) {
          if (method === 'append') receiver.items.push(value);
          else receiver.items.push(...(it.iterate(value) ?? []));
        }
        return constValue(null);
      }
      if (receiver.kind === 'dict' && (method === 'items' || method === 'keys' || method === 'values')) {
        const entries = [...receiver.entries];
        return { kind: 'list', items: entries.map(([k, v]) => (method === 'keys' ? constValue(k) : method === 'values' ? v : ({ kind: 'list', items: [constValue(k), v] }) as Value)) };
      }
      if (receiver.kind === 'container' && CONTAINER_METHODS.has(method)) {
        const { container } = receiver;
        const args = it.argumentsOf(call, scope);
        if (method === 'append' || method === 'add') {
          const value = args.positional[0]?.value;
          if (value) container.items.push({ name: String(container.items.length), value });
          return constValue(null);
        }
        if (method === 'extend') {
          for (const value of (args.positional[0] ? it.iterate(args.positional[0].value) : []) ?? []) container.items.push({ name: String(container.items.length), value });
          return constValue(null);
        }
        if (method === 'add_module' || method === 'register_module') {
          const name = args.positional[0]?.value;
          const value = args.positional[1]?.value;
          if (name?.kind === 'const' && typeof name.value === 'string' && value) container.items.push({ name: name.value, value });
          return constValue(null);
        }
        if (method === 'items' || method === 'values' || method === 'keys') {
          return { kind: 'list', items: container.items.map((item) => (method === 'keys' ? constValue(item.name) : method === 'values' ? item.value : ({ kind: 'list', items: [constValue(item.name), item.value] }) as Value)) };
        }
        if (method === 'compile' || method === 'summary' || method === 'build' || method === 'fit') return constValue(null);
      }
      if (receiver.kind === 'instance' || receiver.kind === 'container' || receiver.kind === 'layer') {
        if (SELF_RETURNING_METHODS.has(method)) return receiver;
        if (method === 'add_module' || method === 'register_module') {
          const args = it.argumentsOf(call, scope);
          const name = args.positional[0]?.value;
          const value = args.positional[1]?.value;
          if (receiver.kind === 'instance' && name?.kind === 'const' && typeof name.value === 'string' && value) receiver.instance.attrs.set(name.value, value);
          return constValue(null);
        }
        if (LAYER_TRAVERSAL_METHODS.has(method)) return init.traversal(receiver, method);
        if (method === 'forward' || method === 'call' || method === '__call__') {
          return applyValue(receiver, it.argumentsOf(call, scope).positional.flatMap((p) => tensorsIn(p.value)), it) ?? unknownValue(`${method}() not traced`);
        }
      }
      return undefined;
    },

    attribute(receiver, name, node) {
      return init.attribute(receiver, name, node);
    },

    callValue(callee, call, it, scope) {
      if (callee.kind === 'layer' || callee.kind === 'container' || callee.kind === 'instance' || callee.kind === 'activation') {
        const args = it.argumentsOf(call, scope);
        const inputs = args.positional.flatMap((p) => tensorsIn(p.value));
        return applyValue(callee, inputs, it, spanOf(call));
      }
      if (callee.kind === 'keras-model') {
        // A functional model used as a layer: its graph is followed as if inlined from its outputs.
        return callee.outputs.length > 0 ? { kind: 'tensor', tensor: callee.outputs[0] } : undefined;
      }
      return undefined;
    },

    assignAttribute(receiver, name, value, statement, it) {
      if (receiver.kind === 'instance') {
        receiver.instance.attrs.set(name, value);
        const owner = statement.firstChild?.firstChild;
        if (owner) nameLayers(value, `${it.text(owner)}.${name}`, statement.to);
        return;
      }
      init.assignAttribute(receiver, name, value, statement, it);
    },

    nameValue(value, name, statementEnd) {
      nameLayers(value, name, statementEnd);
    },

    binary(op, left, right, node, it) {
      if (left.kind === 'tensor' && right.kind === 'tensor' && (op === '+' || op === '-')) {
        return it.apply(helperLayer('add', 'add', spanOf(node), 'pytorch'), [left.tensor, right.tensor]);
      }
      if (left.kind === 'tensor') return left;
      if (right.kind === 'tensor') return right;
      return init.binary(op, left, right, node, it);
    },
  };
  return hooks;
}

