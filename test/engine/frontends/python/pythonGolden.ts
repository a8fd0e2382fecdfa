// Golden IR of the Python fixtures: a compact projection of each model (what a reviewer checks by reading), compared
// with test/fixtures/python/<name>.ir.json and rewritten with UPDATE_GOLDEN=1.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../../server/src/engine/analyze';
import type { InitializerAttr, Layer, Model } from '../../../../server/src/engine/ir';

/** The folder of the Python fixtures (sources and goldens). */
export const PYTHON_FIXTURES = join(__dirname, '../../../../../test/fixtures/python');

/** The fixture file names (`torch_init.py`, …), sorted. */
export const PYTHON_FIXTURE_NAMES = readdirSync(PYTHON_FIXTURES)
  .filter((name) => name.endsWith('.py'))
  .sort();

/** A fixture's text. */
export function pythonFixture(name: string): string {
  return readFileSync(join(PYTHON_FIXTURES, name), 'utf8');
}

/** The models analyze() reads from a fixture. */
export function fixtureModels(name: string): Model[] {
  return analyze(pythonFixture(name), name).models.map((m) => m.model);
}

function initializerView(attr: InitializerAttr | undefined, text: string): unknown {
  if (attr === undefined) return undefined;
  return {
    spec: attr.spec,
    explicit: attr.explicit,
    ...(attr.label !== undefined ? { label: attr.label } : {}),
    ...(attr.valueSpan ? { source: text.slice(attr.valueSpan.start, attr.valueSpan.end) } : {}),
  };
}

/** Config keys the golden keeps beside the fans: the ones a rule or the probe reads and a reviewer checks. */
const GOLDEN_CONFIG_KEYS = ['units', 'filters', 'kernelSize', 'strides', 'padding', 'rate', 'useBias', 'unitForgetBias', 'inputShape'];

function layerView(layer: Layer, text: string): unknown {
  const view: Record<string, unknown> = {
    name: layer.name,
    type: layer.type,
    className: layer.className,
    fanIn: layer.fanIn,
    fanOut: layer.fanOut,
    activation: layer.activation.name,
    ...(layer.activation.alpha !== undefined ? { alpha: layer.activation.alpha } : {}),
  };
  for (const key of ['kernelInitializer', 'recurrentInitializer', 'biasInitializer'] as const) {
    const attr = initializerView(layer[key], text);
    if (attr !== undefined) view[key] = attr;
  }
  const config = Object.fromEntries(
    GOLDEN_CONFIG_KEYS.filter((key) => layer.config[key] !== undefined).map((key) => [key, layer.config[key]]),
  );
  if (Object.keys(config).length > 0) view.config = config;
  if (layer.wrapper) view.wrapper = layer.wrapper;
  view.inbound = layer.inbound.map((id) => id.slice(id.lastIndexOf('/') + 1));
  return view;
}

/** The compact projection of a file's models that the golden stores. */
export function goldenProjection(text: string, models: Model[]): unknown {
  return models.map((model) => ({
    name: model.name,
    dialect: model.dialect,
    kind: model.kind,
    inputShape: model.inputShape,
    notes: model.notes,
    layers: model.layers.map((layer) => layerView(layer, text)),
  }));
}

/** Compares a fixture's projection with its golden file, or writes the golden under UPDATE_GOLDEN=1. */
export function checkGolden(name: string): void {
  const text = pythonFixture(name);
  const rendered = `${JSON.stringify(
    goldenProjection(
      text,
      analyze(text, name).models.map((m) => m.model),
    ),
    null,
    2,
  )}\n`;
  const goldenFile = join(PYTHON_FIXTURES, name.replace(/\.py$/, '.ir.json'));
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(goldenFile, rendered);
    return;
  }
  assert.ok(existsSync(goldenFile), `no golden ${goldenFile}; run with UPDATE_GOLDEN=1 and review it`);
  assert.equal(
    rendered,
    readFileSync(goldenFile, 'utf8'),
    `${name}: the IR differs from its golden (UPDATE_GOLDEN=1 rewrites it; review the diff)`,
  );
}

/** The model of that name among a fixture's models (fails listing the names read). */
export function modelNamed(models: Model[], name: string): Model {
  const found = models.find((m) => m.name === name);
  assert.ok(found, `model '${name}' in ${models.map((m) => m.name).join(', ')}`);
  return found;
}

/** The layer of that name in a model (fails listing the names read). */
export function layerNamed(model: Model, name: string): Layer {
  const found = model.layers.find((l) => l.name === name);
  assert.ok(found, `layer '${name}' in ${model.name}: ${model.layers.map((l) => l.name).join(', ')}`);
  return found;
}

/** The source text an initializer was read from (undefined for a library default). */
export function initSource(text: string, attr: InitializerAttr | undefined): string | undefined {
  return attr?.valueSpan ? text.slice(attr.valueSpan.start, attr.valueSpan.end) : undefined;
}

/** [name, type, activation] of each layer: the shape of a model at a glance. */
export function outline(model: Model): [string, string, string | null][] {
  return model.layers.map((l) => [l.name, l.type, l.activation.name]);
}
