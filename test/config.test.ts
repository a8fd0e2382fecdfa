// .modellintrc.json loader: validation with node offsets, nearest-file lookup, merging order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILE_NAME, findConfigFile, loadConfigFile, loadConfigForFile, mergeOptions, parseConfigText } from '../server/src/config';
import { RULES } from '../server/src/engine/rules';

/** A registered rule id, or a stand-in when the registry is still empty (then rule-id tests expect 'unknown'). */
const KNOWN_RULE = RULES[0]?.meta.id;

function problemText(text: string, problem: { offset: number; length: number }): string {
  return text.slice(problem.offset, problem.offset + problem.length);
}

test('a valid config becomes options without problems', () => {
  const rules = KNOWN_RULE ? `"${KNOWN_RULE}": "off"` : '';
  const text = `{
    // comments and trailing commas are fine in this file
    "$schema": "./node_modules/model-lint/schema.json",
    "rules": { ${rules} },
    "thresholds": { "vanishingRatio": 1e-4, "explodingRatio": 1e4, "scaleMismatchFactor": 8, },
    "maxFileSize": 200000,
    "probe": { "steps": 20, "backend": "wasm" },
  }`;
  const parsed = parseConfigText(text);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.options.thresholds, { vanishingRatio: 1e-4, explodingRatio: 1e4, scaleMismatchFactor: 8 });
  assert.equal(parsed.options.maxFileSize, 200000);
  assert.deepEqual(parsed.options.rules, KNOWN_RULE ? { [KNOWN_RULE]: 'off' } : {});
  assert.deepEqual(parsed.probe, { steps: 20, backend: 'wasm' });
});

test('every registered rule id is accepted with every severity', () => {
  for (const rule of RULES) {
    for (const severity of ['off', 'hint', 'info', 'warning', 'error']) {
      const parsed = parseConfigText(JSON.stringify({ rules: { [rule.meta.id]: severity } }));
      assert.deepEqual(parsed.problems, [], `${rule.meta.id}=${severity}`);
      assert.equal(parsed.options.rules?.[rule.meta.id], severity);
    }
  }
});

test('unknown keys, unknown rule ids and wrong types are problems at the offending node, and are left out', () => {
  const text = `{
  "rulez": {},
  "rules": { "no-such-rule": "error"${KNOWN_RULE ? `, "${KNOWN_RULE}": "fatal"` : ''} },
  "thresholds": { "vanishingRatio": "small", "explodingRatio": 0.5, "depth": 3, "scaleMismatchFactor": 6 },
  "maxFileSize": -1,
  "probe": 12
}`;
  const parsed = parseConfigText(text);
  const located = parsed.problems.map((problem) => [problemText(text, problem), problem.message]);
  const find = (snippet: string) => located.find(([at]) => at === snippet);
  assert.match(find('"rulez"')?.[1] ?? '', /Unknown key 'rulez'/);
  assert.match(find('"no-such-rule"')?.[1] ?? '', /Unknown rule id 'no-such-rule'/);
  if (KNOWN_RULE) assert.match(find('"fatal"')?.[1] ?? '', /must be one of "off", "hint", "info", "warning", "error"/);
  assert.match(find('"small"')?.[1] ?? '', /vanishingRatio must be a number greater than 0/);
  assert.match(find('0.5')?.[1] ?? '', /explodingRatio must be a number of at least 1/);
  assert.match(find('"depth"')?.[1] ?? '', /Unknown threshold 'depth'/);
  assert.match(find('-1')?.[1] ?? '', /maxFileSize/);
  assert.match(find('12')?.[1] ?? '', /"probe" must be an object/);
  assert.equal(parsed.problems.length, KNOWN_RULE ? 8 : 7);
  // The valid parts still apply.
  assert.deepEqual(parsed.options.thresholds, { scaleMismatchFactor: 6 });
  assert.deepEqual(parsed.options.rules, {});
  assert.equal(parsed.options.maxFileSize, undefined);
});

test('broken JSON gives syntax problems with offsets and keeps what parsed', () => {
  const text = '{ "maxFileSize": 1000, "rules": { ';
  const parsed = parseConfigText(text);
  assert.ok(parsed.problems.length > 0);
  assert.ok(parsed.problems.every((problem) => problem.offset >= 0 && problem.offset <= text.length));
  assert.match(parsed.problems[0].message, /^Invalid JSON: /);
  assert.equal(parsed.options.maxFileSize, 1000);
});

test('a non-object root and an empty file are problems, not exceptions', () => {
  assert.match(parseConfigText('[1, 2]').problems[0].message, /must be a JSON object; found array/);
  assert.match(parseConfigText('').problems[0].message, /empty/);
  assert.match(parseConfigText('"rules"').problems[0].message, /found string/);
});

test('the nearest config file wins, looking upwards from the file folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'model-lint-config-'));
  try {
    const nested = join(root, 'project', 'src', 'models');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(root, CONFIG_FILE_NAME), '{"maxFileSize": 10}');
    writeFileSync(join(root, 'project', CONFIG_FILE_NAME), '{"maxFileSize": 20}');
    assert.equal(findConfigFile(nested), join(root, 'project', CONFIG_FILE_NAME));
    assert.equal(loadConfigForFile(join(nested, 'model.ts'))?.options.maxFileSize, 20);
    assert.equal(loadConfigForFile(join(root, 'other.ts'))?.options.maxFileSize, 10);
    // A folder with the config's name is not a config file.
    mkdirSync(join(nested, CONFIG_FILE_NAME));
    assert.equal(findConfigFile(nested), join(root, 'project', CONFIG_FILE_NAME));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an unreadable config file is a problem', () => {
  const loaded = loadConfigFile(join(tmpdir(), 'model-lint-no-such-dir', CONFIG_FILE_NAME));
  assert.equal(loaded.text, '');
  assert.match(loaded.problems[0].message, /Cannot read the config file \(ENOENT\)/);
});

test('a byte-order mark does not shift problem offsets', () => {
  const root = mkdtempSync(join(tmpdir(), 'model-lint-config-'));
  try {
    writeFileSync(join(root, CONFIG_FILE_NAME), '\ufeff{"oops": 1}');
    const loaded = loadConfigFile(join(root, CONFIG_FILE_NAME));
    assert.equal(problemText(loaded.text, loaded.problems[0]), '"oops"');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('mergeOptions: the override wins key by key and keeps what it does not set', () => {
  const user = {
    rules: { a: 'warning' as const, b: 'error' as const },
    thresholds: { vanishingRatio: 1e-2, explodingRatio: 50 },
    maxFileSize: 100,
  };
  const file = { rules: { b: 'off' as const }, thresholds: { vanishingRatio: 1e-5, explodingRatio: undefined } };
  assert.deepEqual(mergeOptions(user, file), {
    rules: { a: 'warning', b: 'off' },
    thresholds: { vanishingRatio: 1e-5, explodingRatio: 50 },
    maxFileSize: 100,
  });
  assert.deepEqual(mergeOptions({}, {}), {});
  assert.deepEqual(mergeOptions({}, { maxFileSize: 5 }), { maxFileSize: 5 });
});
