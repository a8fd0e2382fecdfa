// JSON front end: Keras 2 / Keras 3 / TF.js model JSON (model.to_json(), model.json, toJSON()) → IR models with source spans.
import { printParseErrorCode } from 'jsonc-parser';
import type { ConfigValue, Dialect, ParseResult } from '../ir';
import { dropInsertionsAtErrors } from './common';
import { arrayAt, isObject, objectAt, parseJsonDocument, stringAt, type JsonObject } from './json/document';
import { jsonDepthNote } from './json/depth';
import { isModelObject } from './json/layers';
import { readModel, type ModelReadContext } from './json/model';
import { scanSuppressions } from './suppressions';

export { camelCaseKey, snakeCaseKey } from './json/document';

/** Where a model sits in a file, and the objects around it that say its dialect and loss. */
interface Topology {
  model: JsonObject;
  /** The object holding keras_version / training_config (the topology, or the file root). */
  holder: JsonObject;
  /** True for a TF.js model.json (modelTopology + weightsManifest / format "layers-model"). */
  tfjsFile: boolean;
  /** TF.js writes the training config at the file root as trainingConfig. */
  rootTrainingConfig?: JsonObject;
}

/** Parses model JSON into models; other JSON (package.json, tsconfig.json, ...) gives none. */
export function parseModelJson(text: string): ParseResult {
  const document = parseJsonDocument(text);
  const result: ParseResult = { language: 'json', models: [], notes: [], suppressions: new Map() };
  const topology = findTopology(document.root);
  if (topology === undefined) return result;
  result.suppressions = scanSuppressions(text);
  for (const error of document.errors) {
    result.notes.push({
      message: `Malformed JSON (${printParseErrorCode(error.error)}); the model was read as far as the text allows.`,
      span: { start: error.offset, end: error.offset + error.length },
    });
  }
  if (document.tooDeepAt !== undefined)
    result.notes.push({ message: jsonDepthNote(), span: { start: document.tooDeepAt, end: document.tooDeepAt + 1 } });
  const context: ModelReadContext = { text, spans: document.spans, dialect: dialectOf(topology), nextModelNumber: 1 };
  const { model } = readModel(context, topology.model);
  model.loss = lossOf(topology);
  result.models.push(model);
  dropInsertionsAtErrors(
    result.models,
    document.errors.map((error) => error.offset),
  );
  return result;
}

/** Finds the model object by content: a bare Keras topology, TF.js modelTopology (with or without model_config), or model_config. */
function findTopology(root: ConfigValue | undefined): Topology | undefined {
  if (!isObject(root)) return undefined;
  const modelTopology = objectAt(root, 'modelTopology');
  if (modelTopology !== undefined) {
    const inner = objectAt(modelTopology, 'modelConfig') ?? modelTopology;
    if (!isModelObject(inner)) return undefined;
    return { model: inner, holder: modelTopology, tfjsFile: true, rootTrainingConfig: objectAt(root, 'trainingConfig') };
  }
  const modelConfig = objectAt(root, 'modelConfig');
  if (isModelObject(modelConfig)) return { model: modelConfig, holder: root, tfjsFile: stringAt(root, 'format') === 'layers-model' };
  if (isModelObject(root)) return { model: root, holder: root, tfjsFile: false };
  return undefined;
}

/**
 * TF.js for a TF.js model.json or a tfjs-layers toJSON(); Keras 3 when its version says so or its objects carry
 * Keras 3 markers (module, registered_name, build_config); Keras 2 otherwise.
 */
function dialectOf(topology: Topology): Dialect {
  const version = stringAt(topology.holder, 'kerasVersion') ?? stringAt(topology.model, 'kerasVersion') ?? '';
  if (topology.tfjsFile || version.startsWith('tfjs')) return 'tfjs';
  if (/^3\./.test(version)) return 'keras3';
  if (/^2\./.test(version)) return 'keras2';
  if (hasKeras3Markers(topology.model)) return 'keras3';
  const firstLayer = arrayAt(topology.model.config, 'layers')?.[0];
  return isObject(firstLayer) && hasKeras3Markers(firstLayer) ? 'keras3' : 'keras2';
}

function hasKeras3Markers(value: JsonObject): boolean {
  return value.module !== undefined || value.registeredName !== undefined || value.buildConfig !== undefined;
}

/** The loss of training_config (Keras 2, converted model.json), compile_config (Keras 3) or trainingConfig (TF.js). */
function lossOf(topology: Topology): string | null {
  const trainingConfig =
    objectAt(topology.holder, 'trainingConfig') ?? objectAt(topology.model, 'compileConfig') ?? topology.rootTrainingConfig;
  const loss = trainingConfig?.loss;
  if (typeof loss === 'string') return loss;
  return stringAt(loss, 'className') ?? null;
}
