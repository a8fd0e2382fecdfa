// Real-editor tests of a PyTorch model in a .py file: squiggles, a quick fix, fix-all on save and the probe lens.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  modelLintDiagnostics,
  openFixture,
  requestScreenshot,
  restoreFixture,
  ruleIdOf,
  screenshotOutputDir,
  waitFor,
  waitForModelLintDiagnostics,
  workspaceFile,
} from './helpers';
import { applyOneQuickFix } from './quickFixes';

const PY_MODEL = 'py/pytorch-mlp-bad.py';

interface ProbeReportShape {
  models: {
    name: string;
    error?: string;
    findings: { id: string }[];
    layers: { name: string; gradNorm: number | null }[];
    fixed?: { findings: { id: string }[] };
  }[];
}

/** 0-based line of the first line of a document holding `text`. */
function lineOf(document: vscode.TextDocument, text: string): number {
  const line = document
    .getText()
    .split('\n')
    .findIndex((content) => content.includes(text));
  assert.ok(line >= 0, `the fixture has a line with ${text}`);
  return line;
}

suite('a PyTorch model in a .py file', () => {
  test('gets squiggles on the flagged init calls, with rule ids', async () => {
    const uri = workspaceFile(PY_MODEL);
    const editor = await openFixture(PY_MODEL);
    assert.equal(editor.document.languageId, 'python');
    const diagnostics = await waitForModelLintDiagnostics(uri);
    const at = (rule: string): number[] => diagnostics.filter((d) => ruleIdOf(d) === rule).map((d) => d.range.start.line);
    assert.deepEqual(at('glorot-with-relu'), [lineOf(editor.document, 'nn.init.xavier_uniform_(self.fc1.weight)')]);
    assert.deepEqual(at('symmetric-init'), [lineOf(editor.document, 'self.fc2.weight.data.zero_()')]);
    assert.deepEqual(at('init-scale-mismatch'), [lineOf(editor.document, 'self.fc3.weight.normal_(0, 1)')]);
    if (!screenshotOutputDir()) return;
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const first = diagnostics.find((d) => ruleIdOf(d) === 'glorot-with-relu')!;
    editor.selection = new vscode.Selection(first.range.start, first.range.start);
    editor.revealRange(first.range, vscode.TextEditorRevealType.InCenter);
    const shot = await requestScreenshot('python-squiggles', ['.squiggly-error', '.squiggly-warning']);
    assert.ok(
      shot.seen['.squiggly-error'] && shot.seen['.squiggly-warning'],
      `squiggles are drawn in the .py editor: ${JSON.stringify(shot.seen)}`,
    );
  });

  test('an untitled Python buffer with a PyTorch model gets diagnostics too', async () => {
    const source = await vscode.workspace.fs.readFile(workspaceFile(PY_MODEL));
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: new TextDecoder().decode(source),
    });
    assert.equal(document.uri.scheme, 'untitled');
    await vscode.window.showTextDocument(document, { preview: false });
    try {
      const diagnostics = await waitForModelLintDiagnostics(document.uri);
      assert.ok(
        diagnostics.some((d) => ruleIdOf(d) === 'symmetric-init'),
        diagnostics.map(ruleIdOf).join(', '),
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('the preferred quick fix removes its diagnostic', async () => {
    const applied = await applyOneQuickFix(PY_MODEL);
    assert.match(applied.title, /nn\.init\./, `a PyTorch fix: ${applied.title}`);
  });

  test('fix-all on save (source.fixAll.modelLint) rewrites the init calls', async () => {
    const uri = workspaceFile(PY_MODEL);
    const editor = await openFixture(PY_MODEL);
    const pristine = editor.document.getText();
    const before = await waitForModelLintDiagnostics(uri);
    const settings = vscode.workspace.getConfiguration('editor', { languageId: 'python', uri });
    await settings.update('codeActionsOnSave', { 'source.fixAll.modelLint': 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
    try {
      // The setting reaches the workbench a moment after update() resolves, so a save that fixed nothing is made again.
      const text = await waitFor(
        'a save to replace the Glorot call before ReLU',
        async () => {
          // An edit that changes nothing the analysis reads, so the save has something to save.
          const edit = new vscode.WorkspaceEdit();
          edit.insert(uri, new vscode.Position(editor.document.lineCount, 0), '\n');
          assert.ok(await vscode.workspace.applyEdit(edit));
          assert.ok(await editor.document.save(), 'saved');
          const saved = editor.document.getText();
          return saved.includes('xavier_uniform_(self.fc1.weight)') ? undefined : saved;
        },
        20_000,
      );
      assert.match(text, /nn\.init\.kaiming_(uniform|normal)_\(self\.fc1\.weight/);
      await waitFor(
        `fewer than ${before.length} diagnostics after fix-all on save`,
        () => modelLintDiagnostics(uri).length < before.length,
        30_000,
      );
    } finally {
      await settings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
      // Again while the save of the restored text is still fixed by the setting just removed.
      await waitFor(
        'the fixture restored',
        async () => {
          await restoreFixture(uri);
          return editor.document.getText() === pristine && !editor.document.isDirty;
        },
        20_000,
      );
    }
  });

  test('"Probe gradients" lens probes the PyTorch model and the webview draws it', async function () {
    this.timeout(180_000);
    const uri = workspaceFile(PY_MODEL);
    await openFixture(PY_MODEL);
    const lens = await waitFor(
      'the "Probe gradients" lens of the PyTorch model',
      async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 20);
        return lenses.find((candidate) => candidate.command?.title === 'Probe gradients');
      },
      30_000,
    );
    const command = lens.command!;
    assert.equal(command.command, 'modelLint.probeModel', 'VS Code runs the probe in the client, with the webview');
    const report = await vscode.commands.executeCommand<ProbeReportShape | undefined>(command.command, ...(command.arguments ?? []));
    assert.ok(report, 'the probe returned a report');
    const [model] = report.models;
    assert.equal(model.error, undefined, `the model was probed: ${model.error}`);
    const names = model.layers.map((layer) => layer.name);
    assert.deepEqual(
      names.filter((name) => !name.startsWith('relu')),
      ['fc1', 'fc2', 'fc3', 'out'],
      names.join(', '),
    );
    assert.ok(model.findings.length > 0, 'the zero kernel gives findings');
    assert.ok(model.fixed, 'the fixed variant was probed too');
    if (!screenshotOutputDir()) return;
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const shot = await requestScreenshot('probe-webview-pytorch', ['webview:table.layers', 'webview:canvas'], 'table.layers');
    for (const layer of model.layers)
      assert.match(shot.webviewText, new RegExp(layer.name.replace(/[#.]/g, '\\$&')), `the webview lists ${layer.name}`);
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
  });
});
