// Protocol tests of pull diagnostics, .modellintrc.json handling and bad input (the server answers and keeps serving).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';
import { JSON_MODEL, TS_MODEL } from './fixtures';

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function ruleIds(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

async function pull(client: LspTestClient, uri: string): Promise<Diagnostic[]> {
  const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport;
  assert.equal(report.kind, 'full');
  return report.kind === 'full' ? report.items : [];
}

describe('pull diagnostics (textDocument/diagnostic)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ pull: true });
  });
  after(async () => {
    await client.stop();
  });

  it('answers pulls for TS and JSON models, follows edits, and pushes nothing for them', async () => {
    const tsUri = 'file:///workspace/pull/mlp.ts';
    const jsonUri = 'file:///workspace/pull/classifier.json';
    await client.open(tsUri, 'typescript', TS_MODEL);
    await client.open(jsonUri, 'json', JSON_MODEL);
    const ts = await pull(client, tsUri);
    assert.ok(ruleIds(ts).includes('symmetric-init') && ruleIds(ts).includes('glorot-with-relu'), JSON.stringify(ruleIds(ts)));
    assert.ok(ts.every((d) => d.source === 'model-lint' && d.codeDescription?.href.endsWith(`${String(d.code)}.md`)));
    assert.ok(ruleIds(await pull(client, jsonUri)).includes('he-with-saturating'));
    const line = TS_MODEL.split('\n')[4]!;
    const column = line.indexOf("'zeros'");
    await client.change(tsUri, [
      { range: { start: { line: 4, character: column }, end: { line: 4, character: column + 7 } }, text: "'heNormal'" },
    ]);
    assert.ok(!ruleIds(await pull(client, tsUri)).includes('symmetric-init'));
    assert.equal(client.publishCount(tsUri), 0, 'no push in pull mode');
    assert.equal(client.publishCount(jsonUri), 0, 'no push in pull mode');
  });

  it('asks the client to re-pull when settings change', async () => {
    const before = client.refreshRequests;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor(() => (client.refreshRequests > before ? true : undefined), 5000, 'workspace/diagnostic/refresh');
  });

  it('answers an empty report for a closed or unknown document', async () => {
    assert.deepEqual(await pull(client, 'file:///workspace/pull/never-opened.ts'), []);
  });
});

describe('.modellintrc.json', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'model-lint-config-'));
    client = await LspTestClient.start({ rootUri: pathToFileURL(folder).toString() });
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reports unknown keys and wrong types as diagnostics on the config file and still applies the valid part', async () => {
    const configPath = join(folder, '.modellintrc.json');
    writeFileSync(
      configPath,
      `{\n  "rules": { "symmetric-init": "off", "glorot-with-relu": 3 },\n  "colour": "blue",\n  "maxFileSize": "big"\n}\n`,
    );
    const configUri = pathToFileURL(configPath).toString();
    mkdirSync(join(folder, 'src'));
    const modelUri = pathToFileURL(join(folder, 'src', 'mlp.ts')).toString();
    await client.open(modelUri, 'typescript', TS_MODEL);
    const modelDiagnostics = await client.waitForPublished(modelUri, 1);
    assert.ok(!ruleIds(modelDiagnostics).includes('symmetric-init'), 'the file turned symmetric-init off');
    assert.ok(ruleIds(modelDiagnostics).includes('glorot-with-relu'), 'a bad severity leaves the default in place');
    const configDiagnostics = await client.waitFor(() => client.published.get(configUri)?.at(-1)?.diagnostics, 5000, 'config diagnostics');
    const messages = configDiagnostics.map(messageOf).join('\n');
    assert.equal(configDiagnostics.length, 3, messages);
    assert.ok(configDiagnostics.every((d) => d.source === 'model-lint' && d.code === 'invalid-config'));
    assert.match(messages, /colour/);
    assert.match(messages, /glorot-with-relu/);
    assert.match(messages, /maxFileSize/);
    assert.equal(configDiagnostics.find((d) => /colour/.test(messageOf(d)))!.range.start.line, 2);
  });

  it('re-validates open documents when the config file changes on disk', async () => {
    const configPath = join(folder, '.modellintrc.json');
    const modelUri = pathToFileURL(join(folder, 'src', 'mlp.ts')).toString();
    const count = client.publishCount(modelUri);
    writeFileSync(configPath, `{ "rules": { "glorot-with-relu": "off" } }\n`);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(configPath).toString(), type: 2 }],
    });
    const after = await client.waitForNextPublish(modelUri, count);
    assert.ok(ruleIds(after).includes('symmetric-init') && !ruleIds(after).includes('glorot-with-relu'), JSON.stringify(ruleIds(after)));
    const configUri = pathToFileURL(configPath).toString();
    await client.waitFor(
      () => (client.published.get(configUri)?.at(-1)?.diagnostics.length === 0 ? true : undefined),
      5000,
      'config problems cleared',
    );
  });

  it('uses the unsaved text of an open config file and reports its problems as it is edited', async () => {
    const configPath = join(folder, '.modellintrc.json');
    const configUri = pathToFileURL(configPath).toString();
    const modelUri = pathToFileURL(join(folder, 'src', 'mlp.ts')).toString();
    await client.open(configUri, 'json', `{ "rules": { "glorot-with-relu": "off" } }\n`);
    const count = client.publishCount(modelUri);
    await client.change(configUri, [{ text: `{ "rules": { "symmetric-init": "off" }, "thresholdz": {} }\n` }]);
    const after = await client.waitForNextPublish(modelUri, count);
    assert.deepEqual(
      ruleIds(after).filter((id) => id === 'symmetric-init' || id === 'glorot-with-relu'),
      ['glorot-with-relu'],
    );
    const problems = await client.waitFor(
      () => {
        const last = client.published.get(configUri)?.at(-1)?.diagnostics;
        return last && last.length > 0 ? last : undefined;
      },
      5000,
      'problems of the edited config',
    );
    assert.match(messageOf(problems[0]!), /thresholdz/);
    await client.close(configUri);
  });
});

describe('bad input', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('survives a model with syntax errors and still answers hover, lenses and actions', async () => {
    const uri = 'file:///workspace/bad/broken.ts';
    const broken = TS_MODEL.replace("units: 128, activation: 'relu',", "units: 128,, activation: 'relu' ((").replace(/\],\n\}\);\n$/, '');
    await client.open(uri, 'typescript', broken);
    const diagnostics = await client.waitForPublished(uri, 1);
    assert.ok(Array.isArray(diagnostics));
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 10 } });
    assert.ok(Array.isArray(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })));
    assert.ok(
      Array.isArray(
        await client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          context: { diagnostics },
        }),
      ),
    );
  });

  it('skips a 10 MB JSON file with one information message', async () => {
    const uri = 'file:///workspace/bad/huge.json';
    const layer = '{"class_name": "Dense", "config": {"units": 8, "activation": "relu"}},';
    const huge = `{"class_name": "Sequential", "config": {"layers": [${layer.repeat(Math.ceil(10_000_000 / layer.length))}{}]}}`;
    assert.ok(huge.length >= 10_000_000);
    await client.open(uri, 'json', huge);
    const diagnostics = await client.waitForPublished(uri, 1, 20_000);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]!.severity, 3);
    assert.match(messageOf(diagnostics[0]!), /skipped/);
    await client.close(uri);
  });

  it('skips binary content named .json with one information message', async () => {
    const uri = 'file:///workspace/bad/weights.json';
    const binary = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    await client.open(uri, 'json', `{"class_name"${binary}`);
    const diagnostics = await client.waitForPublished(uri, 1);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]!.severity, 3);
    await client.close(uri);
  });

  it('keeps up with a burst of 200 edits and publishes the final version', async () => {
    const uri = 'file:///workspace/bad/burst.ts';
    await client.open(uri, 'typescript', TS_MODEL);
    await client.waitForPublished(uri, 1);
    const line = 6;
    const column = TS_MODEL.split('\n')[line]!.indexOf('10');
    let version = 1;
    for (let i = 0; i < 200; i++) {
      const digit = String(i % 10);
      version = await client.change(uri, [
        { range: { start: { line, character: column }, end: { line, character: column + 1 } }, text: digit },
      ]);
    }
    const final = await client.waitForPublished(uri, version, 20_000);
    assert.ok(ruleIds(final).includes('symmetric-init'), JSON.stringify(ruleIds(final)));
    assert.ok(client.publishCount(uri) < 120, `the burst was coalesced (${client.publishCount(uri)} publishes)`);
    await client.close(uri);
  });

  it('answers requests for closed and unknown documents with null or empty results', async () => {
    const uri = 'file:///workspace/bad/closed.ts';
    await client.open(uri, 'typescript', TS_MODEL);
    await client.waitForPublished(uri, 1);
    await client.close(uri);
    const position = { line: 5, character: 10 };
    for (const target of [uri, 'file:///workspace/bad/never-opened.ts']) {
      assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: target }, position }), null);
      assert.deepEqual(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: target } }), []);
      assert.deepEqual(
        await client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri: target },
          range: { start: position, end: position },
          context: { diagnostics: [], only: ['source.fixAll.modelLint'] },
        }),
        [],
      );
      assert.equal(await client.connection.sendRequest('modelLint/fixAll', { uri: target }), null);
    }
    assert.deepEqual(client.published.get(uri)?.at(-1)?.diagnostics, [], 'closing clears the diagnostics');
  });

  it('still serves a fresh model after all of the above', async () => {
    const uri = 'file:///workspace/bad/after.json';
    await client.open(uri, 'json', JSON_MODEL);
    assert.ok(ruleIds(await client.waitForPublished(uri, 1)).includes('he-with-saturating'));
    assert.equal(client.child.exitCode, null, 'the server is alive');
  });
});
