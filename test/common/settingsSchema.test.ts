// One settings schema: the config file (what the CLI reads) and the editor's settings accept and reject the same
// values with the same message, and package.json's contributes.configuration says what the schema says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText } from '../../server/src/config';
import { userSettingsToOptions } from '../../server/src/lsp/settings';
import { parseLintArguments, parseRuleOverride, UsageError } from '../../server/src/cli/args';
import {
  ENABLE_SETTING,
  MAX_FILE_SIZE_SETTING,
  PROBE_SETTINGS,
  SEVERITY_SETTINGS,
  THRESHOLD_SETTINGS,
  type NumberSetting,
} from '../../common/src/settingsSchema';
import { DEFAULT_MAX_FILE_SIZE, DEFAULT_THRESHOLDS } from '../../server/src/engine/analyze';
import { DEFAULT_PROBE_SETTINGS, readProbeSettings } from '../../common/src/probeOptions';
import { RULES } from '../../server/src/engine/rules';
import { parseProbeArguments } from '../../server/src/cli/probe';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Values at, just inside and just beyond every bound of a numeric setting, plus wrong types. */
function probesOf(setting: NumberSetting): unknown[] {
  const values: unknown[] = ['1', null, true, [], {}, -1e300, 1e300, 0, 1, 0.5, 1.5, -1];
  for (const bound of [setting.minimum, setting.exclusiveMinimum, setting.maximum]) {
    if (bound === undefined) continue;
    const step = Math.max(Math.abs(bound) * 1e-9, 1e-12);
    values.push(bound, bound - step, bound + step, bound - 1, bound + 1);
  }
  values.push(setting.default);
  return values;
}

describe('the editor rejects a threshold exactly as the CLI does', () => {
  for (const [name, setting] of Object.entries(THRESHOLD_SETTINGS)) {
    it(name, () => {
      for (const value of probesOf(setting)) {
        const config = parseConfigText(JSON.stringify({ thresholds: { [name]: value } }));
        const editor = userSettingsToOptions({ thresholds: { [name]: value } });
        const cliAccepts = config.problems.length === 0;
        const editorAccepts = editor.problems.length === 0;
        assert.equal(editorAccepts, cliAccepts, `${name} = ${JSON.stringify(value)}: CLI ${cliAccepts}, editor ${editorAccepts}`);
        assert.equal(
          editor.options.thresholds?.[name as keyof typeof THRESHOLD_SETTINGS],
          config.options.thresholds?.[name as keyof typeof THRESHOLD_SETTINGS],
        );
        if (!cliAccepts) assert.equal(editor.problems[0], `modelLint.${config.problems[0]!.message}`);
      }
    });
  }

  it('maxFileSize, severities and unknown keys', () => {
    for (const value of probesOf(MAX_FILE_SIZE_SETTING)) {
      const config = parseConfigText(JSON.stringify({ maxFileSize: value }));
      const editor = userSettingsToOptions({ maxFileSize: value });
      assert.equal(editor.problems.length === 0, config.problems.length === 0, `maxFileSize = ${JSON.stringify(value)}`);
      assert.equal(editor.options.maxFileSize, config.options.maxFileSize);
    }
    const id = RULES[0]!.meta.id;
    for (const severity of [...SEVERITY_SETTINGS, 'fatal', 3, 'Error']) {
      const configAccepts = parseConfigText(JSON.stringify({ rules: { [id]: severity } })).problems.length === 0;
      const editorAccepts = userSettingsToOptions({ rules: { [id]: severity } }).problems.length === 0;
      assert.equal(editorAccepts, configAccepts, `${id} = ${String(severity)}`);
      if (typeof severity !== 'string') continue;
      let flagAccepts = true;
      try {
        parseRuleOverride(`${id}=${severity}`);
      } catch (error) {
        assert.ok(error instanceof UsageError);
        flagAccepts = false;
      }
      assert.equal(flagAccepts, configAccepts, `--rule ${id}=${severity}`);
    }
    assert.equal(
      userSettingsToOptions({ thresholds: { depth: 3 } }).problems.length,
      parseConfigText('{"thresholds": {"depth": 3}}').problems.length,
    );
  });
});

describe('the schema is the one source of defaults and bounds', () => {
  it('gives the engine and the probe their defaults', () => {
    assert.deepEqual(DEFAULT_THRESHOLDS, Object.fromEntries(Object.entries(THRESHOLD_SETTINGS).map(([name, s]) => [name, s.default])));
    assert.equal(DEFAULT_MAX_FILE_SIZE, MAX_FILE_SIZE_SETTING.default);
    assert.deepEqual(DEFAULT_PROBE_SETTINGS, Object.fromEntries(Object.entries(PROBE_SETTINGS).map(([name, s]) => [name, s.default])));
  });

  it('validates the probe options of the settings and of the config file by the same bounds', () => {
    for (const [name, setting] of Object.entries(PROBE_SETTINGS)) {
      const values = setting.type === 'string' ? [...setting.enum, 'gpu', 3] : probesOf(setting);
      for (const value of values) {
        const editorKeeps = readProbeSettings({ [name]: value })[name as keyof typeof DEFAULT_PROBE_SETTINGS] === value;
        const config = parseConfigText(JSON.stringify({ probe: { [name]: value } }));
        assert.equal(config.problems.length === 0, editorKeeps || value === setting.default, `probe.${name} = ${JSON.stringify(value)}`);
      }
    }
  });

  it('the probe command line accepts the whole numbers the settings accept', () => {
    const flags = { steps: '--steps', batchSize: '--batch', seed: '--seed', maxParams: '--max-params', timeoutMs: '--timeout-ms' } as const;
    for (const [name, flag] of Object.entries(flags)) {
      for (const value of [-1, 0, 1, 2, 1.5]) {
        const settingKeeps = readProbeSettings({ [name]: value })[name as keyof typeof flags] === value;
        let flagAccepts = true;
        try {
          parseProbeArguments([flag, String(value), 'model.ts']);
        } catch {
          flagAccepts = false;
        }
        assert.equal(flagAccepts, settingKeeps, `${flag} ${value}`);
      }
    }
  });

  it("package.json's contributes.configuration matches it: names, types, enums, bounds, defaults", () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
    };
    const properties = manifest.contributes.configuration.properties;
    const bounds = (setting: Record<string, unknown>) => ({
      type: setting.type,
      default: setting.default,
      minimum: setting.minimum,
      exclusiveMinimum: setting.exclusiveMinimum,
      maximum: setting.maximum,
      enum: setting.enum,
    });
    const expected: Record<string, Record<string, unknown>> = {
      'modelLint.enable': { ...ENABLE_SETTING },
      'modelLint.maxFileSize': { ...MAX_FILE_SIZE_SETTING },
      ...Object.fromEntries(Object.entries(PROBE_SETTINGS).map(([name, s]) => [`modelLint.probe.${name}`, { ...s }])),
    };
    for (const [key, setting] of Object.entries(expected)) {
      assert.ok(properties[key], `package.json contributes ${key}`);
      assert.deepEqual(bounds(properties[key]!), bounds(setting), key);
    }
    const rules = properties['modelLint.rules']!;
    assert.deepEqual(rules.default, {});
    assert.deepEqual((rules.additionalProperties as Record<string, unknown>).enum, SEVERITY_SETTINGS);
    const thresholds = properties['modelLint.thresholds']!;
    assert.equal(thresholds.additionalProperties, false);
    const contributed = thresholds.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(contributed), Object.keys(THRESHOLD_SETTINGS));
    for (const [name, setting] of Object.entries(THRESHOLD_SETTINGS))
      assert.deepEqual(bounds(contributed[name]!), bounds({ ...setting }), name);
    // Every modelLint setting is in the schema, except the client's own trace switch.
    const schemaKeys = new Set([...Object.keys(expected), 'modelLint.rules', 'modelLint.thresholds', 'modelLint.trace.server']);
    assert.deepEqual(
      Object.keys(properties).filter((key) => !schemaKeys.has(key)),
      [],
    );
  });
});

describe('lint command line', () => {
  it('switches take no value and turn their option on', () => {
    const parsed = parseLintArguments(['--fix-dry-run', '--summary', '--exit-zero', 'a.ts']);
    assert.deepEqual([parsed.fix, parsed.fixDryRun, parsed.summary, parsed.exitZero, parsed.paths], [false, true, true, true, ['a.ts']]);
    assert.equal(parseLintArguments(['--fix']).fix, true);
    for (const flag of ['--fix', '--fix-dry-run', '--summary', '--exit-zero']) {
      assert.throws(
        () => parseLintArguments([`${flag}=1`]),
        (error: unknown) => error instanceof UsageError && error.message === `${flag} takes no value.`,
      );
    }
    assert.throws(() => parseLintArguments(['--fix', '--fix-dry-run']), /cannot be used together/);
  });
});
