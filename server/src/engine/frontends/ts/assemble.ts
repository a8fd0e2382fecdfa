// Model assembly of the TS/JS front end: the layer drafts the interpreter collected become IR layers, with ids,
// inbound edges, shapes and fans, folded activations and the model's notes.
import type { Layer, Model } from '../../ir';
import { foldActivationLayers, sharedLayerNote, unnamedLayerName } from '../common';
import { declaredInputShape, irOutputShape, layerShape, type Shape, type ShapeContext, type ShapeResult } from '../../shapes';
import type { LayerDraft } from './layerConfig';
import type { LayerNode } from './scopes';

/** Fills a functional model with the layers reachable from its outputs, in application order (a topological order). */
export function assembleFunctional(model: Model, outputs: (LayerNode | null)[], inputs: (LayerNode | null)[]): void {
  const reachable = new Set<LayerNode>();
  const stack = outputs.filter((node): node is LayerNode => node !== null);
  while (stack.length > 0) {
    const node = stack.pop() as LayerNode;
    if (reachable.has(node)) continue;
    reachable.add(node);
    for (const producer of node.inbound ?? []) if (producer) stack.push(producer);
  }
  const nodes = [...reachable].sort((a, b) => a.order - b.order);
  const ids = new Map<LayerNode, string>();
  nodes.forEach((node, position) => {
    const id = `${model.name}/${position}`;
    ids.set(node, id);
    const inbound = (node.inbound ?? [])
      .filter((producer): producer is LayerNode => producer !== null && ids.has(producer))
      .map((producer) => ids.get(producer) as string);
    if ((node.inbound ?? []).some((producer) => producer === null) && node.draft.type !== 'input') {
      model.notes.push(`an input of layer ${node.draft.className} #${position} could not be traced`);
    }
    model.layers.push(toLayer(node.draft, id, position, inbound, node.shape));
    if ((node.applications ?? 1) > 1) model.notes.push(sharedLayerNote(model.layers[model.layers.length - 1].name, node.applications ?? 1));
  });
  const firstInput = inputs.find((node) => node !== null);
  const inputShape = firstInput?.shape?.output ?? null;
  model.inputShape = inputShape !== null && inputShape.exactRank ? inputShape.dims : null;
  foldActivationLayers(model.layers);
  collectNotes(
    model,
    nodes.map((node) => node.draft),
  );
}

/** Fills a sequential model with its layers in order, each fed by the one before. */
export function assembleSequential(model: Model, drafts: LayerDraft[]): void {
  let shape: Shape | null = null;
  drafts.forEach((draft, position) => {
    const input = position === 0 ? declaredInputOf(draft) : shape;
    if (position === 0) model.inputShape = input === null ? null : input.dims;
    const result = shapeOfDraft(draft, [input]);
    shape = result.output;
    const inbound = position === 0 ? [] : [`${model.name}/${position - 1}`];
    model.layers.push(toLayer(draft, `${model.name}/${position}`, position, inbound, result));
  });
  foldActivationLayers(model.layers);
  collectNotes(model, drafts);
}

/**
 * The input shape a layer states about itself. A wrapper's own shape is the one TF.js builds from (the wrapped
 * layer's is then unused: for TimeDistributed it would be one step's), as the JSON front end reads it too.
 */
export function declaredInputOf(draft: LayerDraft): Shape | null {
  const fromWrapper = draft.wrapperConfig === undefined ? null : declaredInputShape(draft.type, draft.wrapperConfig);
  return fromWrapper ?? declaredInputShape(draft.type, draft.config);
}

/** Shapes through a layer, seeing through wrappers and models used as layers. */
export function shapeOfDraft(draft: LayerDraft, inputs: (Shape | null)[]): ShapeResult {
  const context: ShapeContext = { wrapper: draft.wrapper };
  if (draft.wrapperConfig !== undefined) context.wrapperConfig = draft.wrapperConfig;
  if (draft.inner) context.innerOutput = modelOutputOf(draft.inner);
  return layerShape(draft.type, draft.className, draft.config, inputs, context);
}

/** The output shape of a model used as a layer: its last layer's. */
function modelOutputOf(model: Model): Shape | null {
  const last = model.layers[model.layers.length - 1];
  if (last === undefined) return null;
  if (last.outputShape) return { dims: last.outputShape, exactRank: true };
  return last.outputSize === null ? null : { dims: [last.outputSize], exactRank: false };
}

/** The IR layer of a draft, given its place in the model. */
function toLayer(draft: LayerDraft, id: string, position: number, inbound: string[], shape: ShapeResult | null): Layer {
  const layer: Layer = {
    id,
    name: typeof draft.config.name === 'string' ? draft.config.name : unnamedLayerName(draft.className, position),
    type: draft.type,
    className: draft.className,
    config: draft.config,
    activation: { ...draft.activation },
    fanIn: shape?.fanIn ?? null,
    fanOut: shape?.fanOut ?? null,
    outputSize: shape?.outputSize ?? null,
    outputShape: irOutputShape(shape?.output ?? null, draft.config, draft.wrapper),
    span: draft.span,
    properties: draft.properties,
    inbound,
  };
  if (draft.configSpan) layer.configSpan = draft.configSpan;
  if (draft.insertion) layer.insertion = draft.insertion;
  if (draft.kernelInitializer) layer.kernelInitializer = draft.kernelInitializer;
  if (draft.recurrentInitializer) layer.recurrentInitializer = draft.recurrentInitializer;
  if (draft.biasInitializer) layer.biasInitializer = draft.biasInitializer;
  if (draft.repeated) layer.repeated = { ...draft.repeated };
  if (draft.wrapper) layer.wrapper = draft.wrapper;
  if (draft.inner) layer.inner = draft.inner;
  return layer;
}

/** The model's notes: its own, then each layer's (loop and condition notes, unknown layers), once each. */
function collectNotes(model: Model, drafts: LayerDraft[]): void {
  const notes = new Set(model.notes);
  for (const draft of drafts) {
    if (draft.repeated?.note && draft.repeated.count === null) notes.add(draft.repeated.note);
    for (const note of draft.notes) notes.add(note);
  }
  model.notes = [...notes];
}
