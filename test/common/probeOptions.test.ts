// The shared probe options: settings validation, defaults in step with the engine and package.json, and the input-shape prompt's decisions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ProbeModelReport, ProbeReport } from '../../common/src/probe';
import {
  DEFAULT_PROBE_SETTINGS,
  INPUT_SHAPE_UNKNOWN,
  inputShapeArgument,
  inputShapeProblem,
  modelsNeedingInputShape,
  parseInputShape,
  probeOptionOverrides,
  probeOptionsOf,
  readProbeSettings,
  withModelReport,
} from '../../common/src/probeOptions';
import { DEFAULT_PROBE_OPTIONS } from '../../server/src/probe/training';
import { probeSettingsOf } from '../../server/src/lsp/settings';

const REPO_ROOT = join(__dirname, '..', '..', '..');

function modelReport(name: string, extra: Partial<ProbeModelReport> = {}): ProbeModelReport {
  return { name, line: 1, findings: [], layers: [], loss: [], timing: { buildMs: 0, stepMs: 0 }, assumptions: [], ...extra };
}

describe('probe settings (modelLint.probe.*)', () => {
  it('keeps valid values and replaces every invalid one with its default', () => {
    assert.deepEqual(readProbeSettings({ steps: 3, batchSize: 8, seed: 0, backend: 'cpu', maxParams: 1000, timeoutMs: 500 }), {
      steps: 3,
      batchSize: 8,
      seed: 0,
      backend: 'cpu',
      maxParams: 1000,
      timeoutMs: 500,
    });
    assert.deepEqual(
      readProbeSettings({ steps: 0, batchSize: 2.5, seed: -1, backend: 'gpu', maxParams: '10', timeoutMs: Number.NaN }),
      DEFAULT_PROBE_SETTINGS,
    );
    assert.deepEqual(
      readProbeSettings({ steps: Infinity, batchSize: -4, seed: 1.5, backend: 7, maxParams: null, timeoutMs: 0 }),
      DEFAULT_PROBE_SETTINGS,
    );
    assert.deepEqual(readProbeSettings(undefined), DEFAULT_PROBE_SETTINGS);
    assert.deepEqual(readProbeSettings('steps=3'), DEFAULT_PROBE_SETTINGS);
    assert.deepEqual(probeOptionOverrides({ steps: 5, batchSize: 'x', compareFixed: false }), { steps: 5 });
  });

  it('is read from the nested `probe` object of the modelLint section, as VS Code returns dotted settings', () => {
    assert.equal(probeSettingsOf({ enable: true, probe: { steps: 4 } }).steps, 4);
    assert.deepEqual(probeSettingsOf({ probe: 'nope' }), DEFAULT_PROBE_SETTINGS);
    assert.deepEqual(probeSettingsOf(null), DEFAULT_PROBE_SETTINGS);
  });

  it('has the probe engine defaults, and package.json contributes each setting with that default', () => {
    assert.equal(DEFAULT_PROBE_SETTINGS.steps, DEFAULT_PROBE_OPTIONS.steps);
    assert.equal(DEFAULT_PROBE_SETTINGS.batchSize, DEFAULT_PROBE_OPTIONS.batchSize);
    assert.equal(DEFAULT_PROBE_SETTINGS.seed, DEFAULT_PROBE_OPTIONS.seed);
    assert.equal(DEFAULT_PROBE_SETTINGS.maxParams, DEFAULT_PROBE_OPTIONS.maxParams);
    assert.equal(DEFAULT_PROBE_SETTINGS.timeoutMs, DEFAULT_PROBE_OPTIONS.timeoutMs);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: {
        configuration: { properties: Record<string, { default?: unknown; scope?: string; description?: string; enum?: string[] }> };
      };
    };
    const properties = manifest.contributes.configuration.properties;
    for (const [key, value] of Object.entries(DEFAULT_PROBE_SETTINGS)) {
      const property = properties[`modelLint.probe.${key}`];
      assert.ok(property, `package.json contributes modelLint.probe.${key}`);
      assert.equal(property.default, value, key);
      assert.equal(property.scope, 'resource', key);
      assert.ok(property.description, key);
    }
    assert.deepEqual(properties['modelLint.probe.backend']?.enum, ['auto', 'node', 'wasm', 'cpu']);
  });

  it('maps to the engine options, timeoutMs kept as timeoutMs', () => {
    assert.deepEqual(probeOptionsOf({ ...DEFAULT_PROBE_SETTINGS, steps: 2, timeoutMs: 900 }), {
      steps: 2,
      batchSize: 32,
      seed: 1,
      maxParams: 5_000_000,
      timeoutMs: 900,
    });
  });
});

describe('input shape prompt', () => {
  it('parses comma-separated positive integers and rejects anything else', () => {
    assert.deepEqual(parseInputShape('28,28,1'), [28, 28, 1]);
    assert.deepEqual(parseInputShape(' 784 '), [784]);
    assert.deepEqual(parseInputShape('08'), [8]);
    assert.deepEqual(parseInputShape('32, 32 ,3'), [32, 32, 3]);
    for (const bad of ['', ' ', '28,,1', '28,0', '-1,3', '2.5', '28x28', '[28,28]', '1e3', '0', '99999999999999999999']) {
      assert.equal(parseInputShape(bad), null, bad);
      assert.ok(inputShapeProblem(bad), bad);
    }
    assert.equal(inputShapeProblem('28,28,1'), undefined);
    assert.deepEqual(inputShapeArgument([8, 4]), [8, 4]);
    assert.equal(inputShapeArgument([8, 0]), undefined);
    assert.equal(inputShapeArgument([]), undefined);
    assert.equal(inputShapeArgument('8'), undefined);
  });

  it('asks only for the models that failed with input-shape-unknown, with their index in the file', () => {
    const report: ProbeReport = {
      backend: 'wasm',
      models: [
        modelReport('ok'),
        modelReport('shapeless', { error: 'The input shape of model ...', errorCode: INPUT_SHAPE_UNKNOWN }),
        modelReport('custom', { error: 'not a TF.js built-in layer' }),
      ],
    };
    assert.deepEqual(modelsNeedingInputShape(report, undefined), [{ name: 'shapeless', modelIndex: 1, reportIndex: 1 }]);
    const single: ProbeReport = { backend: 'wasm', models: [modelReport('shapeless', { error: 'x', errorCode: INPUT_SHAPE_UNKNOWN })] };
    assert.deepEqual(modelsNeedingInputShape(single, 4), [{ name: 'shapeless', modelIndex: 4, reportIndex: 0 }]);
    assert.deepEqual(modelsNeedingInputShape({ backend: 'cpu', models: [modelReport('ok')] }, 0), []);
  });

  it('puts the re-probed model in place of its error and says which input shape it used', () => {
    const report: ProbeReport = {
      backend: 'wasm',
      models: [modelReport('a'), modelReport('b', { error: 'x', errorCode: INPUT_SHAPE_UNKNOWN }), modelReport('c')],
    };
    const probed: ProbeReport = { backend: 'wasm', models: [modelReport('b', { loss: [1, 0.5], assumptions: ['backend note'] })] };
    const merged = withModelReport(report, 1, probed, [28, 28, 1]);
    assert.deepEqual(
      merged.models.map((m) => m.name),
      ['a', 'b', 'c'],
    );
    assert.equal(merged.models[1]?.error, undefined);
    assert.deepEqual(merged.models[1]?.loss, [1, 0.5]);
    assert.match(merged.models[1]?.assumptions[0] ?? '', /Input shape \[28, 28, 1\]/);
    assert.equal(merged.models[1]?.assumptions[1], 'backend note');
    assert.equal(report.models[1]?.error, 'x', 'the original report is not changed');
    assert.equal(withModelReport(report, 1, { backend: 'wasm', models: [] }, [1]), report);
  });
});
