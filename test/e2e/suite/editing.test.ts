// Real-editor tests of the language features: diagnostics, quick fixes, fix-all, hovers, code lenses, rule docs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  hoverText,
  modelLintDiagnostics,
  openFixture,
  restoreFixture,
  ruleIdOf,
  waitFor,
  waitForModelLintDiagnostics,
  workspaceFile,
} from './helpers';
import { applyOneQuickFix } from './quickFixes';

const TS_MODEL = 'src/mnist-mlp-bad.ts';
const JSON_MODEL = 'models/keras-cnn.json';
const GOOD_TS_MODEL = 'src/mlp-good.ts';

/** The titles of the code lenses of a fixture, once the server has produced the model lens. */
async function codeLensTitles(relativePath: string): Promise<string[]> {
  const uri = workspaceFile(relativePath);
  await openFixture(relativePath);
  return waitFor(
    `model-lint code lenses in ${relativePath}`,
    async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 20);
      const found = lenses.map((lens) => lens.command?.title ?? '').filter((title) => title.length > 0);
      return found.some((title) => /\blayers?\b/.test(title)) ? found : undefined;
    },
    30_000,
  );
}

suite('editing model files', () => {
  test('a TS model gets diagnostics with source, rule id and docs link, on the flagged layers', async () => {
    const uri = workspaceFile(TS_MODEL);
    const editor = await openFixture(TS_MODEL);
    const diagnostics = await waitForModelLintDiagnostics(uri);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'model-lint');
      assert.match(ruleIdOf(diagnostic) ?? '', /^[a-z0-9]+(-[a-z0-9]+)*$/, 'code is a kebab-case rule id');
      const code = diagnostic.code as { value: string; target: vscode.Uri };
      assert.equal(typeof code, 'object', 'code carries the docs link');
      assert.match(code.target.toString(), new RegExp(`${ruleIdOf(diagnostic)}`));
    }
    const zerosLine = editor.document
      .getText()
      .split('\n')
      .findIndex((line) => line.includes("kernelInitializer: 'zeros'"));
    assert.ok(
      diagnostics.some((d) => d.range.start.line <= zerosLine && d.range.end.line >= zerosLine),
      'the zeros-initialized layer is flagged',
    );
  });

  test('a Keras model JSON gets diagnostics', async () => {
    const uri = workspaceFile(JSON_MODEL);
    await openFixture(JSON_MODEL);
    const diagnostics = await waitForModelLintDiagnostics(uri);
    assert.ok(diagnostics.every((d) => d.source === 'model-lint'));
  });

  test('the preferred quick fix in a TS model removes its diagnostic', async () => {
    await applyOneQuickFix(TS_MODEL);
  });

  test('the preferred quick fix in a model JSON removes its diagnostic', async () => {
    await applyOneQuickFix(JSON_MODEL);
  });

  test('Model Lint: Fix All in File applies the fixAll source action and leaves fewer problems', async () => {
    const uri = workspaceFile(TS_MODEL);
    const editor = await openFixture(TS_MODEL);
    const before = await waitForModelLintDiagnostics(uri);
    const applied = await vscode.commands.executeCommand<boolean>('modelLint.fixAllInFile');
    assert.equal(applied, true, 'a fix-all edit was applied');
    assert.ok(editor.document.isDirty);
    await waitFor(`fewer than ${before.length} diagnostics after Fix All`, () => modelLintDiagnostics(uri).length < before.length, 30_000);
    await restoreFixture(uri);
  });

  test('hover on a layer explains initializer, variance and activation', async () => {
    const uri = workspaceFile(TS_MODEL);
    const editor = await openFixture(TS_MODEL);
    await waitForModelLintDiagnostics(uri);
    const lines = editor.document.getText().split('\n');
    const line = lines.findIndex((text) => text.includes("kernelInitializer: 'zeros'"));
    const position = new vscode.Position(line, lines[line].indexOf("'zeros'") + 2);
    const text = await waitFor(
      'a model-lint hover',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
        const joined = hoverText(hovers);
        return /initializer/i.test(joined) ? joined : undefined;
      },
      20_000,
    );
    assert.match(text, /zeros/);
    assert.match(text, /Var\(W\)/);
    assert.match(text, /activation/i);
    assert.match(text, /relu/);
  });

  test('code lenses show the layer count, the gradient verdict and "Probe gradients"', async () => {
    const badTitles = await codeLensTitles(TS_MODEL);
    assert.ok(
      badTitles.some((title) => /\b4 layers\b/.test(title)),
      `a lens counts the 4 layers: ${badTitles.join(' | ')}`,
    );
    assert.ok(badTitles.includes('Probe gradients'), `a "Probe gradients" lens: ${badTitles.join(' | ')}`);
    const goodTitles = await codeLensTitles(GOOD_TS_MODEL);
    assert.ok(
      goodTitles.some((title) => /\b3 layers\b/.test(title) && /\bhealthy\b/.test(title)),
      `the He/ReLU MLP is healthy: ${goodTitles.join(' | ')}`,
    );
    assert.deepEqual(modelLintDiagnostics(workspaceFile(GOOD_TS_MODEL)).map(ruleIdOf), [], 'and has no problems');
  });

  test("Show Rule Documentation with a rule id opens that rule's page", async () => {
    const uri = workspaceFile(TS_MODEL);
    await openFixture(TS_MODEL);
    const ruleId = ruleIdOf((await waitForModelLintDiagnostics(uri))[0])!;
    await vscode.commands.executeCommand('modelLint.showRuleDocumentation', ruleId);
    await waitFor(
      `a preview tab of ${ruleId}.md`,
      () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).some((tab) => tab.label.includes(`${ruleId}.md`)),
      15_000,
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
