// A model JSON object ({class_name: Sequential|Functional|Model, config: {layers}}) → an IR Model: graph, shapes, fans, folded activations.
import type { ConfigValue, Dialect, Layer, Model } from '../../ir';
import { arrayAt, containerSpan, isClosed, isObject, objectAt, stringAt, type ContainerSpans, type JsonObject } from './document';
import { foldActivationLayers, sharedLayerNote, unnamedModelName } from '../common';
import { readLayer, type LayerDraft } from './layers';
import { declaredInputShape, irOutputShape, layerShape, shapeFromBatchShape, type Shape, type ShapeContext } from '../../shapes';

/** A parsed model and the shape of its (last) output, which a model that nests it needs. */
export interface ModelRead {
  model: Model;
  output: Shape | null;
}

/** What reading a file's models shares: the text, its container spans, and a counter naming unnamed models. */
export interface ModelReadContext {
  text: string;
  spans: Map<object, ContainerSpans>;
  dialect: Dialect;
  nextModelNumber: number;
}

/** Reads a model object; `inputHint` is the shape fed to it when it is nested in another model. */
export function readModel(context: ModelReadContext, value: JsonObject, inputHint: Shape | null = null): ModelRead {
  const { text, spans, dialect } = context;
  const className = stringAt(value, 'className') ?? '';
  const config = value.config;
  // Keras before 2.2.3 wrote a Sequential's config as the bare layer list.
  const layerList = Array.isArray(config) ? config : arrayAt(config, 'layers');
  const functional = className === 'Functional' || className === 'Model' || (isObject(config) && config.inputLayers !== undefined);
  const modelNumber = context.nextModelNumber++;
  const notes: string[] = [];
  const model: Model = {
    name: stringAt(config, 'name') ?? unnamedModelName(modelNumber),
    kind: functional ? 'functional' : 'sequential',
    dialect,
    span: containerSpan(spans.get(value) as ContainerSpans),
    layers: [],
    inputShape: null,
    notes,
  };

  const drafts: LayerDraft[] = [];
  const byId = new Map<string, LayerDraft>();
  const elements = layerList ?? [];
  let cutOff = false;
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index];
    const elementSpans = typeof element === 'object' && element !== null ? spans.get(element) : undefined;
    if (elementSpans === undefined || !isClosed(text, elementSpans)) {
      if (elementSpans !== undefined && index === elements.length - 1) {
        cutOff = true;
        break;
      }
      notes.push(`Entry ${index} of the layer list is not a layer object ({"class_name", "config"}); skipped.`);
      continue;
    }
    const draft = readLayer(text, element, index, dialect, spans);
    if (draft === null) {
      notes.push(`Entry ${index} of the layer list is not a layer object ({"class_name", "config"}); skipped.`);
      continue;
    }
    if (byId.has(draft.layer.id)) draft.layer.id = `${draft.layer.id}#${index}`;
    byId.set(draft.layer.id, draft);
    drafts.push(draft);
  }
  const listSpans = layerList === undefined ? undefined : spans.get(layerList);
  if (layerList === undefined) notes.push(`The ${className || 'model'} config has no "layers" list.`);
  else if (cutOff || (listSpans !== undefined && !isClosed(text, listSpans))) {
    notes.push(`The layer list is cut off (incomplete JSON): the ${drafts.length} complete layer(s) before the cut were read.`);
  }

  const tensorShapes = new Map<Layer, (Shape | null)[]>();
  if (functional) {
    for (const draft of drafts) {
      const { names, shapes, calls } = inboundOf(draft.value);
      tensorShapes.set(draft.layer, shapes);
      if (calls > 1) notes.push(sharedLayerNote(draft.layer.name, calls));
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
  let previous: Shape | null =
    shapeFromBatchShape(isObject(config) ? config.buildInputShape : undefined) ??
    shapeFromBatchShape(objectAt(value, 'buildConfig')?.inputShape) ??
    inputHint;
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
    const firstInput = inputs[0];
    if (model.inputShape === null && layer.type !== 'input' && drafts[0] === draft && firstInput?.exactRank)
      model.inputShape = firstInput.dims;

    const shapeContext: ShapeContext = { wrapper: layer.wrapper, wrapperConfig: draft.wrapperConfig };
    if (draft.nestedModel !== undefined) {
      const outerInput = firstInput ?? null;
      // TimeDistributed applies the inner model to each step: it sees the input without the time axis.
      const innerInput =
        layer.wrapper !== 'TimeDistributed' || outerInput === null
          ? outerInput
          : outerInput.exactRank
            ? { dims: outerInput.dims.slice(1), exactRank: true }
            : outerInput;
      const inner = readModel(context, draft.nestedModel, innerInput);
      layer.inner = inner.model;
      shapeContext.innerOutput = inner.output;
    }
    const result = layerShape(layer.type, draft.className, layer.config, inputs, shapeContext);
    layer.fanIn = result.fanIn;
    layer.fanOut = result.fanOut;
    layer.outputSize = result.outputSize;
    layer.outputShape = irOutputShape(result.output, layer.config, layer.wrapper);
    if (layer.type === 'input' && model.inputShape === null && result.output?.exactRank) model.inputShape = result.output.dims;
    if (result.fanIn === null && layer.kernelInitializer !== undefined)
      notes.push(`The fan-in of layer '${layer.name}' is unknown (its input shape could not be derived).`);
    if (layer.type === 'unknown')
      notes.push(`Layer '${layer.name}' (${draft.className}) is not a known layer type; shapes after it may be unknown.`);
    outputs.set(layer.id, result.output);
    previous = result.output;
    model.layers.push(layer);
  }
  foldActivationLayers(model.layers);
  const last = drafts.length > 0 ? (outputs.get(drafts[drafts.length - 1].layer.id) ?? null) : null;
  return { model, output: last };
}

/**
 * The input shape a layer declares: Keras 3 build_config.input_shape, or a batch_input_shape in its config. A wrapper's
 * own shape comes first: Keras and TF.js build from it, and a shape on the wrapped layer is then unused (for
 * TimeDistributed it is one step's, not the wrapper's input).
 */
function declaredInputOf(draft: LayerDraft): Shape | null {
  if (draft.layer.type === 'input') return null;
  const buildShape = objectAt(draft.value, 'buildConfig')?.inputShape;
  // A list of shapes (merge layers) is not one input shape.
  if (Array.isArray(buildShape) && !buildShape.some((entry) => Array.isArray(entry))) return shapeFromBatchShape(buildShape);
  return (
    (draft.wrapperConfig === undefined ? null : declaredInputShape(draft.layer.type, draft.wrapperConfig)) ??
    declaredInputShape(draft.layer.type, draft.layer.config)
  );
}

/**
 * Names of the layers feeding a functional-model layer (its first call), with the tensor shapes Keras 3 writes, and
 * how many calls the layer has (more than one: shared weights).
 * Keras 2 / TF.js: `[[["dense", 0, 0, {}], ...]]`; Keras 3: `[{"args": [keras tensors], "kwargs": {}}]`.
 */
function inboundOf(layerValue: JsonObject): { names: string[]; shapes: (Shape | null)[]; calls: number } {
  const names: string[] = [];
  const shapes: (Shape | null)[] = [];
  const nodes = arrayAt(layerValue, 'inboundNodes');
  const first = nodes?.[0];
  if (Array.isArray(first)) {
    for (const entry of first) {
      if (Array.isArray(entry) && typeof entry[0] === 'string') {
        names.push(entry[0]);
        shapes.push(null);
      }
    }
  } else if (isObject(first)) {
    collectKerasTensors(first.args, names, shapes, 0);
  }
  return { names, shapes, calls: nodes?.length ?? 0 };
}

function collectKerasTensors(value: ConfigValue | undefined, names: string[], shapes: (Shape | null)[], depth: number): void {
  if (value === undefined || depth > 4) return;
  if (Array.isArray(value)) {
    for (const child of value) collectKerasTensors(child, names, shapes, depth + 1);
  } else if (stringAt(value, 'className') === '__keras_tensor__') {
    const config = objectAt(value, 'config');
    const source = arrayAt(config, 'kerasHistory')?.[0];
    if (typeof source !== 'string') return;
    names.push(source);
    shapes.push(shapeFromBatchShape(config?.shape));
  }
}
