// JSON front end: Keras 2 / Keras 3 / TF.js model JSON (model.to_json(), model.json, toJSON()) → IR models with source spans.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Dialect, Model, ParseResult } from '../ir';
import { isModelObject } from './json/layers';
import { readModel, type ModelCounter } from './json/model';
import { scanSuppressions } from './suppressions';
import { objectOf, stringOf, valueOf } from './json/tree';

export { snakeCaseKey } from './json/tree';

/** Where a model sits in a file, and the objects around it that say its dialect and loss. */
interface Topology {
  model: Node;
  /** The object holding keras_version / training_config (the topology, or the file root). */
  holder: Node;
  /** True for a TF.js model.json (modelTopology + weightsManifest / format "layers-model"). */
  tfjsFile: boolean;
  /** TF.js 4 writes the training config at the file root as trainingConfig. */
  rootTrainingConfig?: Node;
}

/** Parses model JSON into models; other JSON (package.json, tsconfig.json, ...) gives none. */
export function parseModelJson(text: string): ParseResult {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const result: ParseResult = { language: 'json', models: [], notes: [], suppressions: new Map() };
  const topology = root === undefined ? undefined : findTopology(root);
  if (topology === undefined) return result;
  result.suppressions = scanSuppressions(text);

  for (const error of errors) {
    result.notes.push({
      message: `Malformed JSON (${printParseErrorCode(error.error)}); the model was read as far as the text allows.`,
      span: { start: error.offset, end: error.offset + error.length },
    });
  }
  const dialect = dialectOf(topology);
  const counter: ModelCounter = { next: 1 };
  const { model } = readModel(text, topology.model, dialect, counter);
  model.loss = lossOf(topology);
  result.models.push(model);
  return result;
}

/** Finds the model object by content: a bare Keras topology, TF.js modelTopology (with or without model_config), or model_config. */
function findTopology(root: Node): Topology | undefined {
  if (root.type !== 'object') return undefined;
  const modelTopology = objectOf(root, 'modelTopology');
  if (modelTopology !== undefined) {
    const inner = objectOf(modelTopology, 'model_config') ?? modelTopology;
    if (!isModelObject(inner)) return undefined;
    return { model: inner, holder: modelTopology, tfjsFile: true, rootTrainingConfig: objectOf(root, 'trainingConfig') };
  }
  const modelConfig = objectOf(root, 'model_config');
  if (modelConfig !== undefined && isModelObject(modelConfig)) return { model: modelConfig, holder: root, tfjsFile: stringOf(root, 'format') === 'layers-model' };
  if (isModelObject(root)) return { model: root, holder: root, tfjsFile: false };
  return undefined;
}

/**
 * TF.js for a TF.js model.json or a tfjs-layers toJSON(); Keras 3 when its version says so or its objects carry
 * Keras 3 markers (module, registered_name, build_config); Keras 2 otherwise.
 */
function dialectOf(topology: Topology): Dialect {
  const version = stringOf(topology.holder, 'keras_version') ?? stringOf(topology.model, 'keras_version') ?? '';
  if (topology.tfjsFile || version.startsWith('tfjs')) return 'tfjs';
  if (/^3\./.test(version)) return 'keras3';
  if (/^2\./.test(version)) return 'keras2';
  const model = topology.model;
  if (hasKeras3Markers(model)) return 'keras3';
  const layers = valueOf(objectOf(model, 'config'), 'layers');
  const firstLayer = layers?.type === 'array' ? layers.children?.[0] : undefined;
  return firstLayer !== undefined && hasKeras3Markers(firstLayer) ? 'keras3' : 'keras2';
}

function hasKeras3Markers(node: Node): boolean {
  return valueOf(node, 'module') !== undefined || valueOf(node, 'registered_name') !== undefined || valueOf(node, 'build_config') !== undefined;
}

/** The loss of training_config (Keras, converted model.json) or trainingConfig (TF.js): a name, a class name, or null. */
function lossOf(topology: Topology): string | null {
  // Keras 2 / converted model.json: training_config; Keras 3: compile_config; TF.js: trainingConfig at the root.
  const trainingConfig = objectOf(topology.holder, 'training_config') ?? objectOf(topology.model, 'compile_config') ?? topology.rootTrainingConfig;
  const loss = valueOf(trainingConfig, 'loss');
  if (loss === undefined) return null;
  if (loss.type === 'string') return loss.value as string;
  if (loss.type === 'object') return stringOf(loss, 'class_name') ?? null;
  return null;
}
