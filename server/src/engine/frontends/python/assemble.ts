// Turns what the reader traced into IR models: the layer applications reachable from a model's outputs, in order,
// with inbound edges, shapes, torch's own fans, names in each framework's words, and activation layers folded.
import type { Dialect, Layer, Model, Span } from '../../ir';
import { declaredInputShape, irOutputShape, layerShape, type Shape } from '../../shapes';
import { foldActivationLayers, sharedLayerNote, unnamedLayerName } from '../common';
import type { Interpreter } from './interpreter';
import { applyValue, tensorsIn } from './applications';
import { layersUnder, submodulesOf } from './modules';
import { indentAt, lineBreakOf } from './syntax';
import { initModuleOf } from './torchInit';
import type { Application, LayerObject, PyLayerDraft, Tensor, Value } from './values';

/** What a model root is: the value and the name and span it is shown with. */
export interface ModelRoot {
  name: string;
  value: Value;
  span: Span;
}

/** The tensors a model root produces when traced from one fresh input (null for a Keras functional model's own inputs). */
function trace(root: ModelRoot, it: Interpreter): { outputs: Tensor[]; notes: string[]; input: Tensor | null } {
  const notes: string[] = [];
  const value = root.value;
  if (value.kind === 'keras-model') return { outputs: value.outputs, notes, input: null };
  const input: Tensor = { producer: null };
  const before = it.applications.length;
  const result = applyValue(value, [input], it);
  const outputs = result === undefined ? [] : tensorsIn(result);
  if (it.applications.length > before && outputs.length > 0) return { outputs, notes, input };
  const registered = layersUnder(value);
  if (registered.length === 0) return { outputs: [], notes, input };
  // No forward / call to follow: the registered layers in order, as nn.Sequential would run them.
  const what =
    value.kind === 'instance' ? `${value.instance.cls.name}.${value.instance.cls.framework === 'keras' ? 'call' : 'forward'}` : 'the model';
  notes.push(`${what} could not be traced; the layers are read in the order they were assigned`);
  let current: Tensor = input;
  for (const { layer } of registered) {
    const out = it.apply(layer, [current]);
    if (out.kind === 'tensor') current = out.tensor;
  }
  return { outputs: current === input ? [] : [current], notes, input };
}

/**
 * When the traced input feeds more than one layer (a residual `x + f(x)` on the model input), an input layer is put
 * first so that every consumer can name it as an inbound; its shape is the one the first layer implies.
 */
function inputApplication(
  input: Tensor,
  applications: Application[],
  framework: PyLayerDraft['framework'],
  span: Span,
): Application | null {
  // Counted per consumer: self-attention's attn(x, x, x) reads x once.
  if (applications.filter((a) => a.inputs.includes(input)).length < 2) return null;
  const implied = applications.flatMap((a) => a.layer.drafts).find((d) => d.impliedInput !== undefined)?.impliedInput;
  const draft: PyLayerDraft = {
    framework,
    type: 'input',
    className: 'input',
    config: implied ? { inputShape: implied } : {},
    properties: {},
    span,
    activation: { name: 'linear', explicit: false, source: 'default' },
    notes: [],
  };
  const application: Application = {
    layer: { drafts: [draft], classPath: 'input', path: 'input', weightless: true },
    inputs: [],
    order: -1,
  };
  input.producer = application;
  return application;
}

/** The notes of the root and of every instance and container under it (what could not be read while building them). */
function ownedNotes(value: Value): string[] {
  const owners = [identityOf(value), ...nestedObjects(value)] as ({ notes?: string[] } | null)[];
  return owners.flatMap((owner) => owner?.notes ?? []);
}

/** The applications reachable backwards from the outputs, in application order. */
function reachable(outputs: Tensor[]): Application[] {
  const seen = new Set<Application>();
  const stack = outputs.map((t) => t.producer).filter((a): a is Application => a !== null);
  while (stack.length > 0) {
    const application = stack.pop()!;
    if (seen.has(application)) continue;
    seen.add(application);
    for (const input of application.inputs) if (input.producer) stack.push(input.producer);
  }
  return [...seen].sort((a, b) => a.order - b.order);
}

/** Dotted attribute paths of every layer object under the root (PyTorch's state_dict names). */
function pathsOf(value: Value): Map<LayerObject, string> {
  const paths = new Map<LayerObject, string>();
  for (const { path, layer } of layersUnder(value)) if (!paths.has(layer)) paths.set(layer, path);
  return paths;
}

/**
 * A layer's name: PyTorch's state_dict path (`fc1`, `blocks.0.up`, `lstm.l1`; a Sequential's children as Python
 * indexes them, `model[3]`); for Keras its `name=` argument, else the attribute path in a subclassed model (`d1`,
 * `block.dense`), else `Dense#3`. An inserted input layer is `input`.
 */
function layerName(
  draft: PyLayerDraft,
  layer: LayerObject,
  paths: Map<LayerObject, string>,
  index: number,
  count: number,
  position: number,
  modelName: string,
  namedByPath: boolean,
): string {
  const path = paths.get(layer) ?? (draft.type === 'input' ? (layer.path ?? undefined) : undefined);
  if (draft.framework === 'pytorch' && path) {
    // A Sequential's children are named by index ('0', '3'): shown as Python indexes them, model[3], model[0][1], model[2].fc.
    const shown = /^\d/.test(path)
      ? path.split('.').reduce((text, part) => (/^\d+$/.test(part) ? `${text}[${part}]` : `${text}.${part}`), modelName)
      : path;
    if (count === 1) return shown;
    return layer.classPath.endsWith('MultiheadAttention') ? `${shown}.${index === 0 ? 'in_proj' : 'out_proj'}` : `${shown}.l${index}`;
  }
  if (typeof draft.config.name === 'string') return draft.config.name;
  if (path && (namedByPath || draft.type === 'input')) return path;
  return unnamedLayerName(draft.className, position);
}

/** Builds the IR model of one root. */
export function assembleModel(root: ModelRoot, it: Interpreter, dialect: Dialect): Model {
  const model: Model = { name: root.name, kind: 'sequential', dialect, span: root.span, layers: [], inputShape: null, notes: [] };
  const { outputs, notes, input } = trace(root, it);
  for (const note of [...notes, ...ownedNotes(root.value)]) if (!model.notes.includes(note)) model.notes.push(note);
  const applications = reachable(outputs);
  const inputLayer = input === null ? null : inputApplication(input, applications, dialect === 'pytorch' ? 'pytorch' : 'keras', root.span);
  if (inputLayer !== null) applications.unshift(inputLayer);
  const paths = pathsOf(root.value);
  const namedByPath = root.value.kind === 'instance';
  // A layer with weights applied several times is one IR node (shared weights); weightless ones are one node per call.
  const canonical = new Map<LayerObject, Application>();
  const calls = new Map<LayerObject, number>();
  const outputIdOf = new Map<Application, string>();
  const shapeOf = new Map<Application, Shape | null>();
  let inputShape: Shape | null = null;
  for (const application of applications) {
    const { layer } = application;
    if (!layer.weightless) {
      calls.set(layer, (calls.get(layer) ?? 0) + 1);
      const first = canonical.get(layer);
      if (first !== undefined) {
        outputIdOf.set(application, outputIdOf.get(first)!);
        shapeOf.set(application, shapeOf.get(first) ?? null);
        continue;
      }
      canonical.set(layer, application);
    }
    let inbound = application.inputs
      .map((t) => (t.producer ? outputIdOf.get(t.producer) : undefined))
      .filter((id): id is string => id !== undefined);
    let inputShapes: (Shape | null)[] = application.inputs.map((t) => {
      if (t.producer) return shapeOf.get(t.producer) ?? null;
      return inputShape;
    });
    layer.drafts.forEach((draft, index) => {
      const position = model.layers.length;
      if (position === 0 && inputShape === null) {
        const declared = declaredInputShape(draft.type, draft.config);
        inputShape = declared ?? (draft.impliedInput ? { dims: draft.impliedInput, exactRank: true } : null);
        if (draft.type !== 'input') inputShapes = inputShapes.map((s) => s ?? inputShape);
        model.inputShape = inputShape?.dims ?? null;
      }
      const context = draft.wrapper
        ? { wrapper: draft.wrapper, ...(draft.wrapperConfig ? { wrapperConfig: draft.wrapperConfig } : {}) }
        : {};
      const shape = layerShape(draft.type, draft.className, draft.config, inputShapes.length > 0 ? inputShapes : [null], context);
      const id = `${model.name}/${position}`;
      const irLayer: Layer = {
        id,
        name: layerName(draft, layer, paths, index, layer.drafts.length, position, model.name, namedByPath),
        type: draft.type,
        className: draft.className,
        config: draft.config,
        activation: { ...draft.activation },
        fanIn: draft.fanIn !== undefined ? draft.fanIn : shape.fanIn,
        fanOut: draft.fanOut !== undefined ? draft.fanOut : shape.fanOut,
        outputSize: shape.outputSize,
        outputShape: irOutputShape(shape.output, draft.config, draft.wrapper),
        span: application.span && draft.type === 'activation' ? application.span : draft.span,
        properties: draft.properties,
        inbound,
      };
      if (draft.configSpan) irLayer.configSpan = draft.configSpan;
      if (draft.insertion) irLayer.insertion = draft.insertion;
      if (draft.kernelInitializer) irLayer.kernelInitializer = draft.kernelInitializer;
      if (draft.recurrentInitializer) irLayer.recurrentInitializer = draft.recurrentInitializer;
      if (draft.biasInitializer) irLayer.biasInitializer = draft.biasInitializer;
      if (draft.wrapper) irLayer.wrapper = draft.wrapper;
      if (
        draft.framework === 'pytorch' &&
        layer.statementEnd !== undefined &&
        layer.reference &&
        index === 0 &&
        layer.drafts.length === 1
      ) {
        irLayer.initStatement = {
          offset: layer.statementEnd,
          indent: indentAt(it.source.text, layer.statementEnd),
          reference: layer.reference,
          initModule: initModuleOf(it),
          lineBreak: lineBreakOf(it.source.text),
        };
      }
      model.layers.push(irLayer);
      for (const note of draft.notes) if (!model.notes.includes(note)) model.notes.push(note);
      inbound = [id];
      inputShapes = [shape.output];
    });
    outputIdOf.set(application, model.layers[model.layers.length - 1]?.id ?? '');
    shapeOf.set(application, inputShapes[0] ?? null);
  }
  for (const [layer, count] of calls) {
    if (count > 1) model.notes.push(sharedLayerNote(paths.get(layer) ?? layer.drafts[0].className, count));
  }
  const branching = model.layers.some(
    (l, i) => l.inbound.length !== (i === 0 ? 0 : 1) || (i > 0 && l.inbound[0] !== model.layers[i - 1].id),
  );
  model.kind = branching ? 'functional' : 'sequential';
  foldActivationLayers(model.layers);
  if (model.layers.length === 0) model.notes.push('no layers could be read from this model');
  return model;
}

/** True when a value is something a model is made of (used to decide which roots are models of their own). */
export function isModelValue(value: Value): boolean {
  if (value.kind === 'container') return value.container.kind === 'sequential' || value.container.kind === 'kerasSequential';
  if (value.kind === 'instance') return value.instance.cls.framework !== null;
  return value.kind === 'keras-model';
}

/** Objects nested inside a root (its submodules, recursively): a nested value is not a model of its own. */
export function nestedObjects(value: Value, into = new Set<object>(), depth = 0): Set<object> {
  if (depth > 64) return into;
  for (const child of submodulesOf(value)) {
    const key = child.value.kind === 'instance' ? child.value.instance : child.value.kind === 'container' ? child.value.container : null;
    if (key === null || into.has(key)) continue;
    into.add(key);
    nestedObjects(child.value, into, depth + 1);
  }
  return into;
}

/** The identity of a model value (for de-duplicating roots). */
export function identityOf(value: Value): object | null {
  if (value.kind === 'instance') return value.instance;
  if (value.kind === 'container') return value.container;
  if (value.kind === 'keras-model') return value;
  return null;
}

/** Which library's defaults a root follows. */
export function dialectOf(value: Value): Dialect {
  if (value.kind === 'instance') return value.instance.cls.framework === 'keras' ? 'keras3' : 'pytorch';
  if (value.kind === 'container') return value.container.framework === 'keras' ? 'keras3' : 'pytorch';
  return 'keras3';
}
