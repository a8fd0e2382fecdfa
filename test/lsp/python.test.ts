// Protocol tests of Python files over stdio: diagnostics (push and pull), a quick fix, the `#` disable comment, fix-all
// without suggestions, a hover with fans and the initializer's origin, and the lenses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { byRule, codeActions } from './assertions';
import { LspTestClient, REPO_ROOT } from './lspClient';

const MLP_BAD = readFileSync(join(REPO_ROOT, 'examples', 'pytorch-mlp-bad.py'), 'utf8');
const DEEP_DEFAULT = readFileSync(join(REPO_ROOT, 'examples', 'pytorch-deep-default.py'), 'utf8');

function lineOf(text: string, search: string): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(search));
  assert.ok(line >= 0, `'${search}' is in the text`);
  return { line, character: lines[line]!.indexOf(search) };
}

describe('Python files over stdio (push diagnostics)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('publishes the problems of a PyTorch file with exact ranges; a quick fix removes its problem and the rest stays', async () => {
    const uri = 'file:///workspace/py/mlp.py';
    await client.open(uri, 'python', MLP_BAD);
    const diagnostics = await client.waitForPublished(uri, 1);
    const glorot = byRule(diagnostics, 'glorot-with-relu');
    byRule(diagnostics, 'symmetric-init');
    byRule(diagnostics, 'init-scale-mismatch');
    assert.deepEqual(glorot.range.start, lineOf(MLP_BAD, 'nn.init.xavier_uniform_(self.fc1.weight)'));
    assert.equal(client.documents.get(uri)!.getText(glorot.range), 'nn.init.xavier_uniform_(self.fc1.weight)');

    const actions = await codeActions(client, uri, [glorot]);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, JSON.stringify(actions.map((a) => a.title)));
    const version = await client.applyEdit(uri, preferred[0]!.edit!);
    const after = await client.waitForPublished(uri, version);
    assert.ok(!after.some((d) => d.code === 'glorot-with-relu'), JSON.stringify(after.map((d) => d.code)));
    byRule(after, 'symmetric-init');
    assert.match(client.text(uri), /nn\.init\.kaiming_uniform_\(self\.fc1\.weight/);
  });

  it('"Disable <rule> for this line" writes a # comment above, indented as the line, and silences the problem', async () => {
    const uri = 'file:///workspace/py/mlp.py';
    const document = client.documents.get(uri)!;
    const diagnostics = client.published.get(uri)!.find((p) => p.version === document.version)!.diagnostics;
    const symmetric = byRule(diagnostics, 'symmetric-init');
    const actions = await codeActions(client, uri, [symmetric]);
    const disable = actions.find((a) => a.title === 'Disable symmetric-init for this line');
    assert.ok(disable?.edit, JSON.stringify(actions.map((a) => a.title)));
    const version = await client.applyEdit(uri, disable.edit);
    assert.equal(client.text(uri).split('\n')[symmetric.range.start.line], '            # model-lint: disable-next-line symmetric-init');
    const after = await client.waitForPublished(uri, version);
    assert.ok(!after.some((d) => d.code === 'symmetric-init'), JSON.stringify(after.map((d) => d.code)));
    byRule(after, 'init-scale-mismatch');
  });

  it('hovers a layer with its fans, the initializer and where it came from, and the predicted scales', async () => {
    const uri = 'file:///workspace/py/hover.py';
    await client.open(uri, 'python', MLP_BAD);
    await client.waitForPublished(uri, 1);
    const hoverAt = async (search: string): Promise<string> => {
      const position = lineOf(MLP_BAD, search);
      const hover = (await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: position.line, character: position.character + 2 },
      })) as Hover | null;
      assert.ok(hover, `a hover on ${search}`);
      return (hover.contents as MarkupContent).value;
    };
    const fc1 = await hoverAt('nn.Linear(IMAGE_SIZE, hidden)');
    assert.match(fc1, /fan_in 784 · fan_out 512/);
    assert.match(fc1, /nn\.init\.xavier_uniform_` on line 17/);
    assert.match(fc1, /Forward scale/);
    assert.match(fc1, /Gradient scale/);
    const out = await hoverAt('nn.Linear(128, NUM_CLASSES)');
    assert.match(out, /PyTorch default U\(±1\/√fan_in\)/);
    assert.match(out, /fan_in 128 · fan_out 10/);
  });

  it('puts the lenses on the model class line, with the probe command and its arguments', async () => {
    const uri = 'file:///workspace/py/hover.py';
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri },
    })) as CodeLens[];
    assert.equal(lenses.length, 2);
    const probe = lenses.find((lens) => lens.command?.title === 'Probe gradients');
    assert.equal(probe?.command?.command, 'modelLint.probe');
    assert.deepEqual(probe?.command?.arguments, [{ uri, modelIndex: 0, modelName: 'MnistMlp' }]);
    assert.equal(probe?.range.start.line, lineOf(MLP_BAD, 'class MnistMlp').line);
    assert.match(lenses.find((lens) => lens !== probe)!.command!.title, /^model-lint: \d+ layers · gradient ratio .* · vanishing$/);
  });

  it('offers a suggestion (the nn.init lines for PyTorch defaults) as a quick fix, but fix-all never applies it', async () => {
    const uri = 'file:///workspace/py/deep.py';
    await client.open(uri, 'python', DEEP_DEFAULT);
    const diagnostics = await client.waitForPublished(uri, 1);
    const lost = byRule(diagnostics, 'input-signal-lost');
    const actions = await codeActions(client, uri, [lost]);
    const suggestion = actions.find((a) => /kaiming_normal_/.test(a.title));
    assert.ok(suggestion, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(suggestion.isPreferred, false);
    assert.ok(!actions.some((a) => a.isPreferred), 'no safe fix');
    assert.deepEqual(await codeActions(client, uri, [], ['source.fixAll.modelLint']), [], 'fix-all has nothing to apply');
    const version = await client.applyEdit(uri, suggestion.edit!);
    const after = await client.waitForPublished(uri, version);
    assert.ok(!after.some((d) => d.code === 'input-signal-lost'), JSON.stringify(after.map((d) => d.code)));
  });

  it('source.fixAll.modelLint applies every safe fix of a Python file', async () => {
    const uri = 'file:///workspace/py/fixall.py';
    await client.open(uri, 'python', MLP_BAD);
    await client.waitForPublished(uri, 1);
    const actions = await codeActions(client, uri, [], ['source.fixAll.modelLint']);
    assert.equal(actions.length, 1);
    const version = await client.applyEdit(uri, actions[0]!.edit!);
    const after = await client.waitForPublished(uri, version);
    assert.deepEqual(
      after.filter((d) => ['glorot-with-relu', 'symmetric-init', 'init-scale-mismatch'].includes(String(d.code))),
      [],
    );
  });

  it('serves a .py file by its extension when the client sends another language id', async () => {
    const uri = 'file:///workspace/py/plain.py';
    await client.open(uri, 'plaintext', MLP_BAD);
    byRule(await client.waitForPublished(uri, 1), 'glorot-with-relu');
  });
});

describe('Python files over stdio (pull diagnostics)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ pull: true });
  });
  after(async () => {
    await client.stop();
  });

  it('answers textDocument/diagnostic for a Python file, before and after an edit', async () => {
    const uri = 'file:///workspace/py/pulled.py';
    await client.open(uri, 'python', MLP_BAD);
    const pull = async (): Promise<Diagnostic[]> =>
      (
        (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
          items: Diagnostic[];
        }
      ).items;
    byRule(await pull(), 'glorot-with-relu');
    const at = lineOf(MLP_BAD, 'xavier_uniform_');
    await client.change(uri, [
      {
        range: { start: at, end: { line: at.line, character: at.character + 'xavier_uniform_'.length } },
        text: 'kaiming_normal_',
      },
    ]);
    const items = await pull();
    assert.ok(!items.some((d) => d.code === 'glorot-with-relu'), JSON.stringify(items.map((d) => d.code)));
    byRule(items, 'symmetric-init');
    assert.equal(client.publishCount(uri), 0, 'nothing is pushed in pull mode');
  });
});
