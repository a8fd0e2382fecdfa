// A model JSON object ({class_name: Sequential|Functional|Model, config: {layers}}) → an IR Model: graph, shapes, fans, folded activations.
import type { Node } from 'jsonc-parser';
import type { Dialect, Layer, Model } from '../../ir';
import { readLayer, type LayerDraft } from './layers';
import { declaredInputShape, layerShape, shapeFromBatchShape, type Shape, type ShapeContext } from './shapes';
import { arrayOf, configValueOf, isClosed, objectOf, stringOf, valueOf } from './tree';

/** A parsed model and the shape of its (first) output, which a model that nests it needs. */
export interface ModelRead {
  model: Model;
  output: Shape | null;
}

/** Counts models in one file so unnamed ones get distinct names. */
export interface ModelCounter {
  next: number;
}

/** Reads a model object; `inputHint` is the shape fed to it when it is nested in another model. */
export function readModel(text: string, node: Node, dialect: Dialect, counter: ModelCounter, inputHint: Shape | null = null): ModelRead {
  const className = stringOf(node, 'class_name') ?? '';
  const configNode = valueOf(node, 'config');
  // Keras before 2.2.3 wrote a Sequential's config as the bare layer list.
  const layersNode = configNode?.type === 'array' ? configNode : arrayOf(configNode, 'layers');
  const functional = className === 'Functional' || className === 'Model' || valueOf(configNode, 'input_layers') !== undefined;
  const modelIndex = counter.next++;
  const notes: string[] = [];
  const model: Model = {
    name: stringOf(configNode, 'name') ?? `model#${modelIndex}`,
    kind: functional ? 'functional' : 'sequential',
    dialect,
    span: { start: node.offset, end: node.offset + node.length },
    layers: [],
    inputShape: null,
    notes,
  };

  const drafts: LayerDraft[] = [];
  const byId = new Map<string, LayerDraft>();
  const elements = layersNode?.children ?? [];
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index];
    if (!isClosed(text, element)) {
      notes.push(`The layer list is cut off (incomplete JSON): the ${drafts.length} complete layer(s) before it were read.`);
      break;
    }
    const draft = readLayer(text, element, index, dialect);
    if (draft === null) {
      notes.push(`Entry ${index} of the layer list is not a layer object ({"class_name", "config"}); skipped.`);
      continue;
    }
    if (byId.has(draft.layer.id)) draft.layer.id = `${draft.layer.id}#${index}`;
    byId.set(draft.layer.id, draft);
    drafts.push(draft);
  }
  if (layersNode === undefined) notes.push(`The ${className || 'model'} config has no "layers" list.`);
  else if (!isClosed(text, layersNode) && drafts.length === elements.length) notes.push('The layer list is cut off (incomplete JSON) after its last complete layer.');

  const tensorShapes = new Map<Layer, (Shape | null)[]>();
  if (functional) {
    for (const draft of drafts) {
      const { names, shapes } = inboundOf(draft.node);
      tensorShapes.set(draft.layer, shapes);
      for (const name of names) {
        if (byId.has(name)) draft.layer.inbound.push(name);
        else notes.push(`Layer '${draft.layer.name}' reads from '${name}', which is not in the model; its input is unknown.`);
      }
    }
  } else {
    for (let i = 1; i < drafts.length; i++) drafts[i].layer.inbound.push(drafts[i - 1].layer.id);
  }

  const outputs = new Map<string, Shape | null>();
  // A Sequential states its input in build_input_shape (Keras 2) or build_config (Keras 3) when it has no InputLayer.
  let previous: Shape | null = shapeFromBatchShape(configValueOf(valueOf(configNode, 'build_input_shape') ?? nullNode))
    ?? shapeFromBatchShape(configValueOf(valueOf(objectOf(node, 'build_config'), 'input_shape') ?? nullNode))
    ?? inputHint;
  for (const draft of drafts) {
    const layer = draft.layer;
    let inputs: (Shape | null)[];
    if (functional) {
      const fromTensors = tensorShapes.get(layer) ?? [];
      inputs = layer.inbound.length > 0 ? layer.inbound.map((id, i) => outputs.get(id) ?? fromTensors[i] ?? null) : fromTensors;
      if (inputs.length === 0 && layer.type !== 'input' && draft === drafts[0]) inputs = [inputHint];
    } else {
      inputs = [previous];
    }
    // What a layer states about its own input (build_config, batch_input_shape) beats what was propagated to it.
    const declared = declaredInputOf(draft);
    if (declared !== null && inputs.length <= 1) inputs = [declared];
    if (model.inputShape === null && layer.type !== 'input' && drafts[0] === draft && inputs[0]?.exactRank) model.inputShape = inputs[0].dims;

    const context: ShapeContext = { wrapper: layer.wrapper, wrapperConfig: draft.wrapperConfig };
    if (draft.nestedModelNode !== undefined) {
      const outerInput = inputs[0] ?? null;
      // TimeDistributed applies the inner model to each step: it sees the input without the time axis.
      const innerInput = layer.wrapper !== 'TimeDistributed' || outerInput === null ? outerInput
        : outerInput.exactRank ? { dims: outerInput.dims.slice(1), exactRank: true } : outerInput;
      const inner = readModel(text, draft.nestedModelNode, dialect, counter, innerInput);
      layer.inner = inner.model;
      context.innerOutput = inner.output;
    }
    const result = layerShape(layer.type, draft.className, layer.config, inputs, context);
    layer.fanIn = result.fanIn;
    layer.fanOut = result.fanOut;
    layer.outputSize = result.outputSize;
    if (layer.type === 'input' && model.inputShape === null && result.output?.exactRank) model.inputShape = result.output.dims;
    if (result.fanIn === null && layer.kernelInitializer !== undefined) notes.push(`The fan-in of layer '${layer.name}' is unknown (its input shape could not be derived).`);
    if (layer.type === 'unknown') notes.push(`Layer '${layer.name}' (${draft.className}) is not a known layer type; shapes after it may be unknown.`);
    outputs.set(layer.id, result.output);
    previous = result.output;
    model.layers.push(layer);
  }
  foldActivationLayers(model);
  const last = drafts.length > 0 ? outputs.get(drafts[drafts.length - 1].layer.id) ?? null : null;
  return { model, output: last };
}

const nullNode: Node = { type: 'null', offset: 0, length: 0, value: null };

/** The input shape a layer declares: Keras 3 build_config.input_shape, or a batch_input_shape in its config. */
function declaredInputOf(draft: LayerDraft): Shape | null {
  if (draft.layer.type === 'input') return null;
  const buildShape = valueOf(objectOf(draft.node, 'build_config'), 'input_shape');
  // A list of shapes (merge layers) is not one input shape.
  if (buildShape !== undefined && buildShape.type === 'array' && !buildShape.children?.some((c) => c.type === 'array')) {
    return shapeFromBatchShape(configValueOf(buildShape));
  }
  // A wrapper (Bidirectional, TimeDistributed) states it in its own config, not in the wrapped layer's.
  return declaredInputShape(draft.layer.config) ?? (draft.wrapperConfig === undefined ? null : declaredInputShape(draft.wrapperConfig));
}

/**
 * Names of the layers feeding a functional-model layer (its first call), with the tensor shapes Keras 3 writes.
 * Keras 2 / TF.js: `[[["dense", 0, 0, {}], ...]]`; Keras 3: `[{"args": [keras tensors], "kwargs": {}}]`.
 */
function inboundOf(layerNode: Node): { names: string[]; shapes: (Shape | null)[] } {
  const names: string[] = [];
  const shapes: (Shape | null)[] = [];
  const first = arrayOf(layerNode, 'inbound_nodes')?.children?.[0];
  if (first === undefined) return { names, shapes };
  if (first.type === 'array') {
    for (const entry of first.children ?? []) {
      const head = entry.type === 'array' ? entry.children?.[0] : undefined;
      if (head?.type === 'string') {
        names.push(head.value as string);
        shapes.push(null);
      }
    }
  } else if (first.type === 'object') {
    collectKerasTensors(arrayOf(first, 'args'), names, shapes, 0);
  }
  return { names, shapes };
}

function collectKerasTensors(node: Node | undefined, names: string[], shapes: (Shape | null)[], depth: number): void {
  if (node === undefined || depth > 4) return;
  if (node.type === 'array') {
    for (const child of node.children ?? []) collectKerasTensors(child, names, shapes, depth + 1);
  } else if (node.type === 'object' && stringOf(node, 'class_name') === '__keras_tensor__') {
    const config = objectOf(node, 'config');
    const history = arrayOf(config, 'keras_history')?.children?.[0];
    if (history?.type !== 'string') return;
    names.push(history.value as string);
    const shape = valueOf(config, 'shape');
    shapes.push(shape === undefined ? null : shapeFromBatchShape(configValueOf(shape)));
  }
}

/**
 * A weight layer with a linear output whose only consumer is an activation layer (Activation, ReLU, ...)
 * really outputs that activation: fold it in, pointing at the activation layer.
 */
function foldActivationLayers(model: Model): void {
  const consumers = new Map<string, Layer[]>();
  for (const layer of model.layers) {
    for (const id of layer.inbound) {
      const list = consumers.get(id);
      if (list === undefined) consumers.set(id, [layer]);
      else list.push(layer);
    }
  }
  for (const layer of model.layers) {
    if (layer.kernelInitializer === undefined || layer.activation.name !== 'linear') continue;
    const next = consumers.get(layer.id);
    if (next === undefined || next.length !== 1) continue;
    const follower = next[0];
    if (follower.type !== 'activation' || follower.inbound.length !== 1 || follower.activation.name === null) continue;
    layer.activation = {
      name: follower.activation.name,
      explicit: follower.activation.explicit,
      source: 'layer',
      valueSpan: follower.activation.valueSpan ?? follower.span,
      ...(follower.activation.alpha === undefined ? {} : { alpha: follower.activation.alpha }),
    };
  }
}
