// What PyTorch and Keras calls do to the reader's values: the library hooks of the interpreter, dispatching calls of
// library paths, methods, attributes and operators. Constructors are libraryObjects.ts, applications to tensors
// (functional activations, forward / call, Keras functional graphs) applications.ts.
import type { ConfigValue } from '../../ir';
import { calculateGain } from '../../catalog/pytorch';
import { activationLayer, applyValue, firstTensorArgument, helperLayer, tensorsIn, torchFunctionalActivation } from './applications';
import { builtin } from './builtins';
import type { LibraryHooks } from './interpreter';
import { kerasActivationOf } from './kerasLayers';
import { kerasLayer, layerObject, nameLayers, noteUnreadItems, torchContainer, torchLayer } from './libraryObjects';
import { canonicalPath } from './libraryPaths';
import { spanOf } from './syntax';
import { initCallHooks } from './torchInit';
import { torchActivationId, torchLayerDrafts } from './torchLayers';
import { addNote, constValue, unreadableReason, toConfig, unknownValue, type ContainerObject, type Value } from './values';

const TORCH_FUNCTIONAL = /^torch\.nn\.functional\.(\w+)$/;
const TORCH_TOP_ACTIVATION = /^torch\.(relu|tanh|sigmoid|selu|celu|softmax|log_softmax|special\.expit)$/;
const KERAS_ACTIVATION = /^(keras\.activations|keras\.ops|tensorflow\.nn|tensorflow\.math)\.(\w+)$/;
const TENSOR_ACTIVATION_METHODS = new Set(['relu', 'relu_', 'tanh', 'tanh_', 'sigmoid', 'sigmoid_', 'softmax', 'log_softmax']);
const TENSOR_FLATTEN_METHODS = new Set(['flatten', 'view', 'reshape']);
const LAYER_TRAVERSAL_METHODS = new Set(['modules', 'children', 'named_modules', 'named_children', 'parameters', 'named_parameters']);
const CONTAINER_METHODS = new Set([
  'append',
  'add',
  'extend',
  'add_module',
  'register_module',
  'items',
  'values',
  'keys',
  'compile',
  'summary',
  'build',
  'fit',
]);
const SELF_RETURNING_METHODS = new Set([
  'to',
  'cuda',
  'cpu',
  'train',
  'eval',
  'double',
  'float',
  'half',
  'requires_grad_',
  'type',
  'share_memory',
]);

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
          const drafts = torchLayerDrafts(fn === 'dropout' ? 'Dropout' : 'AlphaDropout', p === undefined ? {} : { p: toConfig(p) }, {
            span: spanOf(call),
            properties: {},
          });
          return tensors.length > 0
            ? it.apply(layerObject(drafts, path), tensors, spanOf(call))
            : unknownValue(`${path}() of a value model-lint cannot know`);
        }
        if (
          fn === 'max_pool2d' ||
          fn === 'avg_pool2d' ||
          fn === 'adaptive_avg_pool2d' ||
          fn === 'pad' ||
          fn === 'interpolate' ||
          fn === 'normalize'
        ) {
          return tensors.length > 0 ? { kind: 'tensor', tensor: tensors[0] } : unknownValue(`${path}() of a value model-lint cannot know`);
        }
        const activation = torchFunctionalActivation(fn, read);
        return it.apply(activationLayer(activation.name, fn, spanOf(call), 'pytorch', activation.alpha), tensors, spanOf(call));
      }
      if (path === 'torch.flatten')
        return it.apply(helperLayer('flatten', 'flatten', spanOf(call), 'pytorch'), firstTensorArgument(call, it, scope));
      if (path === 'torch.cat' || path === 'torch.concat' || path === 'torch.stack')
        return it.apply(helperLayer('concatenate', 'cat', spanOf(call), 'pytorch'), firstTensorArgument(call, it, scope));
      if (path === 'torch.add')
        return it.apply(
          helperLayer('add', 'add', spanOf(call), 'pytorch'),
          it.argumentsOf(call, scope).positional.flatMap((p) => tensorsIn(p.value)),
        );
      if (path === 'keras.Sequential') {
        const read = it.argumentsOf(call, scope);
        const layers = read.positional[0]?.value ?? read.keywords.get('layers')?.value;
        const container: ContainerObject = { kind: 'kerasSequential', framework: 'keras', items: [], span: spanOf(call) };
        const items = layers ? it.iterate(layers) : [];
        (items ?? []).forEach((value, index) => container.items.push({ name: String(index), value }));
        if (items === null)
          addNote(container, `a keras.Sequential is built from values model-lint cannot know (${unreadableReason(layers!)})`);
        noteUnreadItems(container, 'keras.Sequential');
        return { kind: 'container', container };
      }
      if (path === 'keras.Model') {
        const read = it.argumentsOf(call, scope);
        const inputs = read.positional[0]?.value ?? read.keywords.get('inputs')?.value;
        const outputs = read.positional[1]?.value ?? read.keywords.get('outputs')?.value;
        if (!inputs && !outputs) return unknownValue('keras.Model() without inputs and outputs');
        return {
          kind: 'keras-model',
          inputs: inputs ? tensorsIn(inputs) : [],
          outputs: outputs ? tensorsIn(outputs) : [],
          span: spanOf(call),
        };
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
          RandomNormal: ['mean', 'stddev'],
          TruncatedNormal: ['mean', 'stddev'],
          RandomUniform: ['minval', 'maxval'],
          Constant: ['value'],
          VarianceScaling: ['scale', 'mode', 'distribution'],
          Orthogonal: ['gain'],
          Identity: ['gain'],
        };
        const config: Record<string, ConfigValue> = {};
        const names = positionalNames[match[1]] ?? [];
        read.positional.forEach((p, index) => {
          if (index < names.length) config[names[index]] = toConfig(p.value);
        });
        read.keywords.forEach((v, k) => {
          config[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = toConfig(v.value);
        });
        const callee = it.text(call.firstChild!);
        return {
          kind: 'initializer',
          name: match[1],
          config,
          span: spanOf(call),
          callee: callee.slice(0, callee.length - match[1].length),
        };
      }
      match = KERAS_ACTIVATION.exec(path);
      if (match) {
        const tensors = firstTensorArgument(call, it, scope);
        const name = kerasActivationOf({ kind: 'path', path }).name;
        return it.apply(activationLayer(name, match[2], spanOf(call), 'keras'), tensors, spanOf(call));
      }
      if (path === 'torch.nn.init.calculate_gain') {
        const read = it.argumentsOf(call, scope);
        const gain = calculateGain(
          toConfig(read.positional[0]?.value ?? constValue(null)),
          read.positional[1] ? toConfig(read.positional[1].value) : undefined,
        );
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
        return {
          kind: 'list',
          items: entries.map(([k, v]) =>
            method === 'keys' ? constValue(k) : method === 'values' ? v : ({ kind: 'list', items: [constValue(k), v] } as Value),
          ),
        };
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
          for (const value of (args.positional[0] ? it.iterate(args.positional[0].value) : []) ?? [])
            container.items.push({ name: String(container.items.length), value });
          return constValue(null);
        }
        if (method === 'add_module' || method === 'register_module') {
          const name = args.positional[0]?.value;
          const value = args.positional[1]?.value;
          if (name?.kind === 'const' && typeof name.value === 'string' && value) container.items.push({ name: name.value, value });
          return constValue(null);
        }
        if (method === 'items' || method === 'values' || method === 'keys') {
          return {
            kind: 'list',
            items: container.items.map((item) =>
              method === 'keys'
                ? constValue(item.name)
                : method === 'values'
                  ? item.value
                  : ({ kind: 'list', items: [constValue(item.name), item.value] } as Value),
            ),
          };
        }
        if (method === 'compile' || method === 'summary' || method === 'build' || method === 'fit') return constValue(null);
      }
      if (receiver.kind === 'instance' || receiver.kind === 'container' || receiver.kind === 'layer') {
        if (SELF_RETURNING_METHODS.has(method)) return receiver;
        if (method === 'add_module' || method === 'register_module') {
          const args = it.argumentsOf(call, scope);
          const name = args.positional[0]?.value;
          const value = args.positional[1]?.value;
          if (receiver.kind === 'instance' && name?.kind === 'const' && typeof name.value === 'string' && value)
            receiver.instance.attrs.set(name.value, value);
          return constValue(null);
        }
        if (LAYER_TRAVERSAL_METHODS.has(method)) return init.traversal(receiver, method);
        if (method === 'forward' || method === 'call' || method === '__call__') {
          return (
            applyValue(
              receiver,
              it.argumentsOf(call, scope).positional.flatMap((p) => tensorsIn(p.value)),
              it,
            ) ?? unknownValue(`${method}() not traced`)
          );
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
