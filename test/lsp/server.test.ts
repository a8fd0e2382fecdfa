// Protocol tests of the built language server over stdio: diagnostics, code actions, hover, code lenses (push mode).
import assert from 'node:assert/strict';
import * as jsonc from 'jsonc-parser';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { byRule, codeActions } from './assertions';
import { LspTestClient } from './lspClient';
import { JSON_MODEL, TS_MODEL, TS_NOT_A_MODEL, deepSigmoidModel, typescriptSyntaxErrors } from './fixtures';

const TS_URI = 'file:///workspace/models/mlp.ts';
const JSON_URI = 'file:///workspace/models/classifier.json';
const DOCS_PREFIX = 'https://github.com/model-lint/model-lint/blob/main/docs/rules/';

function textAt(client: LspTestClient, uri: string, diagnostic: Diagnostic): string {
  const document = client.documents.get(uri)!;
  return document.getText(diagnostic.range);
}

describe('language server over stdio (push diagnostics)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('publishes rule diagnostics for a TS model with source, code, docs link and exact ranges', async () => {
    await client.open(TS_URI, 'typescript', TS_MODEL);
    const diagnostics = await client.waitForPublished(TS_URI, 1);
    const symmetric = byRule(diagnostics, 'symmetric-init');
    const glorot = byRule(diagnostics, 'glorot-with-relu');
    for (const d of [symmetric, glorot]) {
      assert.equal(d.source, 'model-lint');
      assert.equal(d.codeDescription?.href, `${DOCS_PREFIX}${d.code}.md`);
      assert.ok(typeof d.message === 'string' && d.message.length > 20, 'the message explains the problem');
    }
    assert.equal(symmetric.severity, 1, 'symmetric-init is an error');
    assert.equal(glorot.severity, 2, 'explicit glorot before relu is a warning');
    assert.equal(symmetric.range.start.line, 4);
    assert.equal(glorot.range.start.line, 5);
    assert.match(textAt(client, TS_URI, symmetric), /zeros/);
    assert.match(textAt(client, TS_URI, glorot), /glorotNormal/);
  });

  it('re-validates after an incremental edit and drops the fixed problem', async () => {
    const line = client.text(TS_URI).split('\n')[5]!;
    const column = line.indexOf('glorotNormal');
    const version = await client.change(TS_URI, [
      { range: { start: { line: 5, character: column }, end: { line: 5, character: column + 'glorotNormal'.length } }, text: 'heNormal' },
    ]);
    const diagnostics = await client.waitForPublished(TS_URI, version);
    assert.ok(!diagnostics.some((d) => d.code === 'glorot-with-relu'), JSON.stringify(diagnostics));
    byRule(diagnostics, 'symmetric-init');
    // Put the problem back for the next tests.
    const back = await client.change(TS_URI, [
      { range: { start: { line: 5, character: column }, end: { line: 5, character: column + 'heNormal'.length } }, text: 'glorotNormal' },
    ]);
    byRule(await client.waitForPublished(TS_URI, back), 'glorot-with-relu');
  });

  it('offers one preferred quick fix, disable-line and documentation; applying the fix removes the diagnostic and the file parses', async () => {
    const document = client.documents.get(TS_URI)!;
    const diagnostics = client.published.get(TS_URI)!.find((p) => p.version === document.version)!.diagnostics;
    const symmetric = byRule(diagnostics, 'symmetric-init');
    const actions = await codeActions(client, TS_URI, [symmetric]);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(preferred[0]!.kind, 'quickfix');
    assert.ok(actions.some((a) => a.title === 'Disable symmetric-init for this line'));
    const docs = actions.find((a) => a.title === 'Show documentation for symmetric-init');
    assert.equal(docs?.command?.command, 'modelLint.showRuleDocumentation');
    assert.deepEqual(docs?.command?.arguments, [{ ruleId: 'symmetric-init', url: `${DOCS_PREFIX}symmetric-init.md` }]);

    const version = await client.applyEdit(TS_URI, preferred[0]!.edit!);
    const after = await client.waitForPublished(TS_URI, version);
    assert.ok(!after.some((d) => d.code === 'symmetric-init'), JSON.stringify(after));
    assert.deepEqual(typescriptSyntaxErrors(client.text(TS_URI)), []);
    assert.doesNotMatch(client.text(TS_URI), /'zeros'/);
  });

  it('"Disable <rule> for this line" inserts the comment above and silences the problem', async () => {
    const document = client.documents.get(TS_URI)!;
    const diagnostics = client.published.get(TS_URI)!.find((p) => p.version === document.version)!.diagnostics;
    const glorot = byRule(diagnostics, 'glorot-with-relu');
    const actions = await codeActions(client, TS_URI, [glorot]);
    const disable = actions.find((a) => a.title === 'Disable glorot-with-relu for this line');
    assert.ok(disable?.edit, JSON.stringify(actions.map((a) => a.title)));
    const version = await client.applyEdit(TS_URI, disable.edit);
    const lines = client.text(TS_URI).split('\n');
    assert.equal(lines[glorot.range.start.line], '    // model-lint-disable-next-line glorot-with-relu');
    const after = await client.waitForPublished(TS_URI, version);
    assert.ok(!after.some((d) => d.code === 'glorot-with-relu'), JSON.stringify(after));
    assert.deepEqual(typescriptSyntaxErrors(client.text(TS_URI)), []);
  });

  it('source.fixAll.modelLint applies every safe fix as one versioned edit', async () => {
    const uri = 'file:///workspace/models/fixall.ts';
    await client.open(uri, 'typescript', TS_MODEL);
    const before = await client.waitForPublished(uri, 1);
    assert.ok(before.length >= 2);
    const actions = await codeActions(client, uri, [], ['source.fixAll.modelLint']);
    assert.equal(actions.length, 1, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(actions[0]!.kind, 'source.fixAll.modelLint');
    const change = actions[0]!.edit!.documentChanges![0] as { textDocument: { version: number } };
    assert.equal(change.textDocument.version, 1, 'the edit is versioned');
    const version = await client.applyEdit(uri, actions[0]!.edit!);
    const after = await client.waitForPublished(uri, version);
    assert.ok(!after.some((d) => d.code === 'symmetric-init' || d.code === 'glorot-with-relu'), JSON.stringify(after));
    assert.deepEqual(typescriptSyntaxErrors(client.text(uri)), []);
    // Nothing is fixable any more: the quick-fix "fix all" is gone too.
    const quickFixes = await codeActions(client, uri, after);
    assert.ok(!quickFixes.some((a) => a.isPreferred), JSON.stringify(quickFixes.map((a) => a.title)));
    const fixAllAgain = await codeActions(client, uri, [], ['source.fixAll']);
    assert.deepEqual(fixAllAgain, []);
    // The quick-fix variant is offered while problems are fixable.
    const fresh = 'file:///workspace/models/fixall2.ts';
    await client.open(fresh, 'typescript', TS_MODEL);
    const freshDiagnostics = await client.waitForPublished(fresh, 1);
    const menu = await codeActions(client, fresh, freshDiagnostics);
    const fixAll = menu.find((a) => a.title === 'Fix all model-lint problems in this file');
    assert.equal(fixAll?.kind, 'quickfix');
    await client.close(fresh);
    await client.close(uri);
  });

  it('hovers a layer with its initializer, Var(W) at its fan-in, activation, predicted scales and the recommendation', async () => {
    const uri = 'file:///workspace/models/hover.ts';
    await client.open(uri, 'typescript', TS_MODEL);
    await client.waitForPublished(uri, 1);
    const line = TS_MODEL.split('\n')[5]!;
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 5, character: line.indexOf('units') },
    })) as Hover | null;
    assert.ok(hover, 'a hover inside a layer');
    const value = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.match(value, /layer 2 of 3/);
    assert.match(value, /`glorotNormal`/);
    assert.match(value, /Var\(W\) at fan-in 256 \| \d/);
    assert.match(value, /`relu`/);
    assert.match(value, /Forward scale \| q = \d/);
    assert.match(value, /Gradient scale \| χ = \d/);
    assert.match(value, /Recommended for relu \| `heNormal`/);
    assert.equal(hover.range?.start.line, 5);
    const outside = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 3 },
    });
    assert.equal(outside, null);
    await client.close(uri);
  });

  it('puts a summary lens and a "Probe gradients" lens above each model', async () => {
    const uri = 'file:///workspace/models/lens.ts';
    // A zeros kernel makes the ratio undefined, so the first model gets He there.
    const healthy = TS_MODEL.replace("'zeros'", "'heNormal'");
    const text = `${healthy}\n${deepSigmoidModel(12).replace(/^import .*\n/, '')}`;
    await client.open(uri, 'typescript', text);
    await client.waitForPublished(uri, 1);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses.length, 4, JSON.stringify(lenses));
    assert.match(lenses[0]!.command!.title, /^model-lint: 3 layers · gradient ratio \d[^ ]* · healthy$/);
    assert.equal(lenses[0]!.range.start.line, 2);
    assert.equal(lenses[1]!.command!.title, 'Probe gradients');
    // No initializationOptions.probeCommand: the server runs the probe itself (probeCommand.test.ts covers 'client').
    assert.equal(lenses[1]!.command!.command, 'modelLint.probe');
    assert.deepEqual(lenses[1]!.command!.arguments, [{ uri, modelIndex: 0, modelName: 'model' }]);
    assert.match(lenses[2]!.command!.title, /^model-lint: 14 layers · gradient ratio \d[^ ]* · vanishing$/);
    assert.deepEqual(lenses[3]!.command!.arguments, [{ uri, modelIndex: 1, modelName: 'deep' }]);
    await client.close(uri);
  });

  it('publishes he-with-saturating for a JSON model; its fix leaves valid JSON and removes the diagnostic; no disable-line in strict JSON', async () => {
    await client.open(JSON_URI, 'json', JSON_MODEL);
    const diagnostics = await client.waitForPublished(JSON_URI, 1);
    const he = byRule(diagnostics, 'he-with-saturating');
    assert.equal(he.source, 'model-lint');
    assert.equal(he.codeDescription?.href, `${DOCS_PREFIX}he-with-saturating.md`);
    assert.match(textAt(client, JSON_URI, he), /HeNormal/);
    const actions = await codeActions(client, JSON_URI, [he]);
    assert.ok(!actions.some((a) => a.title.startsWith('Disable ')), 'strict JSON has no comments');
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    const version = await client.applyEdit(JSON_URI, fix.edit);
    const after = await client.waitForPublished(JSON_URI, version);
    assert.ok(!after.some((d) => d.code === 'he-with-saturating'), JSON.stringify(after));
    assert.doesNotThrow(() => JSON.parse(client.text(JSON_URI)));
  });

  it('offers "Disable <rule> for this line" in JSON with comments (jsonc), and the comment silences the problem', async () => {
    const uri = 'file:///workspace/models/classifier.jsonc';
    await client.open(uri, 'jsonc', JSON_MODEL);
    const he = byRule(await client.waitForPublished(uri, 1), 'he-with-saturating');
    const disable = (await codeActions(client, uri, [he])).find((a) => a.title === 'Disable he-with-saturating for this line');
    assert.ok(disable?.edit);
    const version = await client.applyEdit(uri, disable.edit);
    assert.ok(!(await client.waitForPublished(uri, version)).some((d) => d.code === 'he-with-saturating'));
    const errors: jsonc.ParseError[] = [];
    jsonc.parse(client.text(uri), errors, { disallowComments: false });
    assert.deepEqual(errors, []);
    await client.close(uri);
  });

  it('publishes nothing for a TS file that is not a model', async () => {
    const uri = 'file:///workspace/src/util.ts';
    await client.open(uri, 'typescript', TS_NOT_A_MODEL);
    assert.deepEqual(await client.waitForPublished(uri, 1), []);
    const lenses = await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses, []);
    await client.close(uri);
  });

  it('honours modelLint settings and re-validates open documents when they change', async () => {
    const uri = 'file:///workspace/models/settings.ts';
    await client.open(uri, 'typescript', TS_MODEL);
    byRule(await client.waitForPublished(uri, 1), 'symmetric-init');
    const count = client.publishCount(uri);
    client.settings = { rules: { 'symmetric-init': 'off', 'glorot-with-relu': 'error' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const after = await client.waitForNextPublish(uri, count);
    assert.ok(!after.some((d) => d.code === 'symmetric-init'), JSON.stringify(after));
    assert.equal(byRule(after, 'glorot-with-relu').severity, 1);
    client.settings = { enable: false };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(
      await client.waitFor(() => {
        const list = client.published.get(uri) ?? [];
        const last = list[list.length - 1]!;
        return list.length > count + 1 && last.diagnostics.length === 0 ? last.diagnostics : undefined;
      }),
      [],
    );
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.close(uri);
  });
});
