// Protocol test: typing in an open .modellintrc.json re-lints every open model once and reports the config's problems once per edit.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';
import { TS_MODEL } from './fixtures';

const OPEN_MODELS = 6;

function ruleIds(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

describe('editing an open .modellintrc.json', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'model-lint-config-edits-'));
    client = await LspTestClient.start({ rootUri: pathToFileURL(folder).toString() });
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it(`publishes the config's problems once per keystroke with ${OPEN_MODELS} models open, and re-lints each model with the new config`, async () => {
    const configPath = join(folder, '.modellintrc.json');
    writeFileSync(configPath, '{}\n');
    const configUri = pathToFileURL(configPath).toString();
    mkdirSync(join(folder, 'src'));
    const modelUris = Array.from({ length: OPEN_MODELS }, (_, i) => pathToFileURL(join(folder, 'src', `model${i}.ts`)).toString());
    for (const uri of modelUris) {
      await client.open(uri, 'typescript', TS_MODEL);
      assert.ok(ruleIds(await client.waitForPublished(uri, 1)).includes('symmetric-init'));
    }

    /** Sends one config edit and waits until every model was re-published; config reports precede them on the wire. */
    const edit = async (send: () => Promise<unknown>): Promise<{ configPublishes: Diagnostic[][]; models: Diagnostic[][] }> => {
      const configBefore = client.publishCount(configUri);
      const modelCounts = modelUris.map((uri) => client.publishCount(uri));
      await send();
      const models = await Promise.all(modelUris.map((uri, i) => client.waitForNextPublish(uri, modelCounts[i]!)));
      const configPublishes = (client.published.get(configUri) ?? []).slice(configBefore).map((p) => p.diagnostics);
      return { configPublishes, models };
    };

    const opened = await edit(() => client.open(configUri, 'json', '{ "rules": { "symmetric-init": "warning" } }\n'));
    assert.ok(opened.configPublishes.length <= 1, `config publishes on open: ${opened.configPublishes.length}`);

    const typed = await edit(() => client.change(configUri, [{ text: '{ "rules": { "symmetric-init": "off" }, "thresholdz": {} }\n' }]));
    for (const diagnostics of typed.models)
      assert.ok(!ruleIds(diagnostics).includes('symmetric-init'), JSON.stringify(ruleIds(diagnostics)));
    assert.equal(
      typed.configPublishes.length,
      1,
      `config publishes for one keystroke with ${OPEN_MODELS} open models: ${typed.configPublishes.length}`,
    );
    assert.equal(typed.configPublishes[0]!.length, 1);
    assert.match(typed.configPublishes[0]![0]!.message as string, /thresholdz/);

    const fixed = await edit(() => client.change(configUri, [{ text: '{ "rules": { "symmetric-init": "error" } }\n' }]));
    for (const diagnostics of fixed.models) assert.ok(ruleIds(diagnostics).includes('symmetric-init'));
    assert.deepEqual(fixed.configPublishes, [[]], 'the fixed config clears its problems with one publish');
    await client.close(configUri);
  });
});
