// Modules and functions applied to tensors: layers, containers in order, instances through forward / call, and the
// layers made on the fly for inline activations (F.relu(x), x.tanh()) and helpers (flatten, add, concatenate).
import type { SyntaxNode } from '@lezer/common';
import type { Span } from '../../ir';
import type { Interpreter } from './interpreter';
import { layerObject } from './libraryObjects';
import { MAX_UNROLL } from './readerState';
import { torchActivationId } from './torchLayers';
import { numberOf, type LayerObject, type PyLayerDraft, type Scope, type Tensor, type Value } from './values';

/** The tensors in a value (a tensor, or a tuple / list of tensors). */
export function tensorsIn(value: Value): Tensor[] {
  if (value.kind === 'tensor') return [value.tensor];
  if (value.kind === 'list') return value.items.flatMap(tensorsIn);
  if (value.kind === 'dict') return [...value.entries.values()].flatMap(tensorsIn);
  return [];
}

/** A layer made on the fly for an activation function applied inline (F.relu(x), torch.tanh(x), x.relu()). */
export function activationLayer(name: string | null, fn: string, span: Span, framework: 'pytorch' | 'keras', alpha?: number): LayerObject {
  const draft: PyLayerDraft = {
    framework,
    type: 'activation',
    className: fn,
    config: { activation: name ?? { kind: 'unknown', reason: `${fn} has no mean-field model` } },
    properties: {},
    span,
    activation: { name, explicit: true, source: 'own', valueSpan: span, ...(alpha === undefined ? {} : { alpha }) },
    notes: [],
  };
  return layerObject([draft], fn);
}

/** A weightless helper layer (flatten, add, concatenate) made by a function call or an operator. */
export function helperLayer(
  type: 'flatten' | 'add' | 'concatenate',
  className: string,
  span: Span,
  framework: 'pytorch' | 'keras',
): LayerObject {
  const draft: PyLayerDraft = {
    framework,
    type,
    className,
    config: type === 'concatenate' ? { axis: -1 } : {},
    properties: {},
    span,
    activation: { name: 'linear', explicit: false, source: 'default' },
    notes: [],
  };
  return layerObject([draft], className);
}

/** The activation a torch.nn.functional / torch.* function applies, with alpha for leaky_relu / elu. */
export function torchFunctionalActivation(
  fn: string,
  read: ReturnType<Interpreter['argumentsOf']>,
): { name: string | null; alpha?: number } {
  const id = torchActivationId(fn.replace(/_$/, ''));
  if (id === 'leakyRelu' || id === 'elu') {
    const written = read.positional[1]?.value ?? read.keywords.get(id === 'leakyRelu' ? 'negative_slope' : 'alpha')?.value;
    const alpha = written === undefined ? (id === 'leakyRelu' ? 0.01 : 1) : numberOf(written);
    return alpha === null ? { name: null } : { name: id, alpha };
  }
  return { name: id };
}

/** The tensors passed as a call's first argument (a tensor, or a list of them for cat / add). */
export function firstTensorArgument(call: SyntaxNode, it: Interpreter, scope: Scope): Tensor[] {
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
      if (item.value.kind === 'tensor' && value.container.kind === 'kerasSequential') {
        current = item.value;
        continue;
      }
      const next = applyValue(item.value, tensorsIn(current), it);
      if (next !== undefined) current = next;
    }
    return current;
  }
  if (value.kind === 'instance') {
    const method = value.instance.cls.framework === 'keras' ? 'call' : 'forward';
    const traced = it.traceMethod(
      value,
      method,
      inputs.map((tensor) => ({ kind: 'tensor', tensor }) as Value),
    );
    return traced ?? undefined;
  }
  if (value.kind === 'activation') {
    const layer = activationLayer(
      value.name,
      value.fn,
      value.span ?? { start: 0, end: 0 },
      value.fn.startsWith('torch') || value.fn.startsWith('F.') ? 'pytorch' : 'keras',
      value.alpha,
    );
    return it.apply(layer, inputs, span);
  }
  return undefined;
}
