// Settings resolution for the language server: an edit of an open .modellintrc.json parses it once, however many documents it governs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { parseConfigText, type ParsedConfig } from '../../server/src/config';
import { ConfigResolver } from '../../server/src/lsp/configFile';
import { SettingsCache } from '../../server/src/lsp/settings';

const OPEN_MODELS = 8;

/** The parts of a connection SettingsCache uses, answering workspace/configuration with empty user settings. */
function stubConnection(): Connection {
  return {
    workspace: { getConfiguration: async () => ({}) },
    console: { warn: (message: string) => assert.fail(message), error: (message: string) => assert.fail(message) },
  } as unknown as Connection;
}

test(`one keystroke in an open config file parses it once with ${OPEN_MODELS} open models, and every model gets the new options`, async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'model-lint-config-cache-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const configPath = join(folder, '.modellintrc.json');
  writeFileSync(configPath, '{}\n');
  mkdirSync(join(folder, 'src'));
  const configUri = pathToFileURL(configPath).toString();
  const modelUris = Array.from({ length: OPEN_MODELS }, (_, i) => pathToFileURL(join(folder, 'src', `model${i}.ts`)).toString());

  // The editor's buffers: the open config's unsaved text wins over the file on disk.
  const openTexts = new Map<string, string>([[configUri, '{ "rules": { "symmetric-init": "off" } }\n']]);
  const reports: { uri: string; diagnostics: Diagnostic[] }[] = [];
  let parses = 0;
  const countingParse = (text: string): ParsedConfig => {
    parses++;
    return parseConfigText(text);
  };
  const configs = new ConfigResolver(
    (uri) => openTexts.get(uri),
    (uri, diagnostics) => reports.push({ uri, diagnostics }),
    countingParse,
  );
  const settings = new SettingsCache(stubConnection(), (user, path) => configs.merge(user, path));
  settings.setSupportsConfiguration(true);

  /** What the server does on didChange of the config document: drop settings, report the config, re-resolve every model. */
  async function configEdited(text: string) {
    openTexts.set(configUri, text);
    parses = 0;
    reports.length = 0;
    settings.clear();
    configs.reportOpenConfig(configUri);
    const resolved = await Promise.all(modelUris.map((uri) => settings.get(uri)));
    return { parses, reports: [...reports], resolved };
  }

  await Promise.all(modelUris.map((uri) => settings.get(uri)));
  const keystrokes = [
    '{ "rules": { "symmetric-init": "warning" } }\n',
    '{ "rules": { "symmetric-init": "warning" }, "thresholdz": {} }\n',
    '{ "rules": { "symmetric-init": "error" }, "thresholds": { "vanishingRatio": 1e-4 } }\n',
  ];
  const parsesPerKeystroke: number[] = [];
  for (const text of keystrokes) {
    const outcome = await configEdited(text);
    parsesPerKeystroke.push(outcome.parses);
    const expected = parseConfigText(text);
    for (const { options } of outcome.resolved) {
      assert.deepEqual(options.rules, expected.options.rules);
      assert.deepEqual(options.thresholds, expected.options.thresholds);
    }
    // The config's problems still reach the config file: the latest report is this text's problems.
    const latest = outcome.reports.filter((r) => r.uri === configUri).at(-1);
    assert.ok(latest, 'the edited config was reported');
    assert.deepEqual(
      latest.diagnostics.map((d) => d.message),
      expected.problems.map((p) => p.message),
    );
    assert.ok(outcome.reports.every((r) => r.uri === configUri));
    assert.equal(outcome.reports.length, 1, `config reports for one keystroke: ${outcome.reports.length} (parses: ${outcome.parses})`);
  }
  assert.deepEqual(
    parsesPerKeystroke,
    keystrokes.map(() => 1),
    `parses per keystroke with ${OPEN_MODELS} open models`,
  );
});
