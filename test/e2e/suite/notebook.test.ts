// Real-editor tests of a Jupyter notebook: a model built in one cell and initialized in the next is one model, its
// squiggles land in the right cells, and a quick fix in a cell removes its problem.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { modelLintDiagnostics, requestScreenshot, ruleIdOf, screenshotOutputDir, waitFor, workspaceFile } from './helpers';
import { applyPreferredQuickFix } from './quickFixes';

const NOTEBOOK = 'notebooks/mlp.ipynb';

interface ProbeReportShape {
  models: {
    name: string;
    line: number;
    error?: string;
    findings: { id: string }[];
    layers: { name: string }[];
    fixed?: object;
  }[];
}
/** Cell indexes of the fixture (markdown counted): 0 markdown, 1 imports, 2 the model class, 3 init calls, 4 training. */
const MODEL_CELL = 2;
const INIT_CELL = 3;

/** Opens the fixture notebook in the notebook editor, with its cells as on disk (an earlier test's edits undone). */
async function openNotebookFixture(): Promise<vscode.NotebookEditor> {
  const notebook = await vscode.workspace.openNotebookDocument(workspaceFile(NOTEBOOK));
  await restoreNotebook(notebook);
  return vscode.window.showNotebookDocument(notebook);
}

/** Cell texts as first seen in this run, per cell index. */
const pristineCells = new Map<number, string>();

/**
 * Puts every code cell's text back to the fixture's and saves the notebook when it was changed; again while a save
 * changes it (a fix-on-save setting just removed may still apply to a save made at once).
 */
async function restoreNotebook(notebook: vscode.NotebookDocument): Promise<void> {
  await waitFor(
    'the notebook fixture restored and saved',
    async () => {
      const edit = new vscode.WorkspaceEdit();
      for (const cell of notebook.getCells()) {
        if (!pristineCells.has(cell.index)) pristineCells.set(cell.index, cell.document.getText());
        const text = pristineCells.get(cell.index)!;
        if (cell.document.getText() !== text) edit.replace(cell.document.uri, new vscode.Range(0, 0, cell.document.lineCount, 0), text);
      }
      if (edit.size > 0 && !(await vscode.workspace.applyEdit(edit))) throw new Error('could not restore the notebook fixture');
      if (notebook.isDirty) await notebook.save();
      return !notebook.isDirty && notebook.getCells().every((cell) => cell.document.getText() === pristineCells.get(cell.index));
    },
    20_000,
  );
}

/** The rule ids per cell index that VS Code holds now, each as `rule@line` (1-based line within the cell). */
function diagnosticsPerCell(notebook: vscode.NotebookDocument): string[][] {
  return notebook.getCells().map((cell) =>
    modelLintDiagnostics(cell.document.uri)
      .map((d) => `${ruleIdOf(d)}@${d.range.start.line + 1}`)
      .sort(),
  );
}

/** 1-based line within a cell of the first line holding `text`. */
function lineInCell(cell: vscode.NotebookCell, text: string): number {
  const line = cell.document
    .getText()
    .split('\n')
    .findIndex((content) => content.includes(text));
  assert.ok(line >= 0, `cell ${cell.index} has a line with ${text}`);
  return line + 1;
}

suite('a PyTorch model in a Jupyter notebook', () => {
  test('squiggles land in the cells: the model warning in the class cell, the init problems in the init cell', async () => {
    const editor = await openNotebookFixture();
    const notebook = editor.notebook;
    const initCell = notebook.cellAt(INIT_CELL);
    const expected: string[][] = notebook.getCells().map(() => []);
    expected[MODEL_CELL] = ['vanishing-gradient-predicted@1'];
    expected[INIT_CELL] = [
      `glorot-with-relu@${lineInCell(initCell, 'xavier_uniform_(model.fc1.weight)')}`,
      `symmetric-init@${lineInCell(initCell, 'zeros_(model.fc2.weight)')}`,
    ].sort();
    const seen = await waitFor(
      `model-lint diagnostics in cells ${MODEL_CELL} and ${INIT_CELL}`,
      () => {
        const now = diagnosticsPerCell(notebook);
        return now[MODEL_CELL].length > 0 && now[INIT_CELL].length >= 2 ? now : undefined;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; per cell now: ${JSON.stringify(diagnosticsPerCell(notebook))}`);
    });
    assert.deepEqual(seen, expected);
    if (!screenshotOutputDir()) return;
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    editor.revealRange(new vscode.NotebookRange(MODEL_CELL, INIT_CELL + 1), vscode.NotebookEditorRevealType.InCenter);
    const shot = await requestScreenshot('notebook-squiggles', ['.notebook-editor .squiggly-error', '.notebook-editor .squiggly-warning']);
    assert.ok(
      shot.seen['.notebook-editor .squiggly-error'] && shot.seen['.notebook-editor .squiggly-warning'],
      `squiggles are drawn in the notebook's cells: ${JSON.stringify(shot.seen)}`,
    );
  });

  test('a quick fix in a cell removes its problem, and only there', async () => {
    const editor = await openNotebookFixture();
    const notebook = editor.notebook;
    const initCell = notebook.cellAt(INIT_CELL);
    const diagnostics = await waitFor(
      "the init cell's diagnostics",
      () => {
        const found = modelLintDiagnostics(initCell.document.uri);
        return found.length > 0 ? found : undefined;
      },
      60_000,
    );
    const otherCells = notebook
      .getCells()
      .filter((cell) => cell.index !== INIT_CELL)
      .map((cell) => cell.document.getText());
    try {
      const applied = await applyPreferredQuickFix(initCell.document, diagnostics);
      assert.match(applied.title, /nn\.init\./, `a PyTorch fix: ${applied.title}`);
      assert.match(initCell.document.getText(), /kaiming_(uniform|normal)_/, 'the fix was written into the init cell');
      assert.deepEqual(
        notebook
          .getCells()
          .filter((cell) => cell.index !== INIT_CELL)
          .map((cell) => cell.document.getText()),
        otherCells,
        'no other cell changed',
      );
      if (!screenshotOutputDir()) return;
      editor.revealRange(new vscode.NotebookRange(INIT_CELL, INIT_CELL + 1), vscode.NotebookEditorRevealType.InCenter);
      await requestScreenshot('notebook-after-quick-fix', ['.notebook-editor .cell-editor-container']);
    } finally {
      await restoreNotebook(notebook);
    }
  });

  test('fix-all on save (notebook.codeActionsOnSave: source.fixAll.modelLint) fixes the init cell', async () => {
    const editor = await openNotebookFixture();
    const notebook = editor.notebook;
    const initCell = notebook.cellAt(INIT_CELL);
    await waitFor("the init cell's diagnostics", () => modelLintDiagnostics(initCell.document.uri).length >= 2 || undefined, 60_000);
    const wholeCell = new vscode.Range(0, 0, initCell.document.lineCount, 0);
    const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      initCell.document.uri,
      wholeCell,
      'source.fixAll.modelLint',
      1,
    );
    assert.ok(
      offered.some((action) => action.kind?.value === 'source.fixAll.modelLint' && action.edit),
      `the cell offers source.fixAll.modelLint: ${offered.map((action) => action.kind?.value).join(', ')}`,
    );
    const settings = vscode.workspace.getConfiguration('notebook', notebook.uri);
    await settings.update('codeActionsOnSave', { 'source.fixAll.modelLint': 'explicit' }, vscode.ConfigurationTarget.Workspace);
    try {
      // Saved as a user saves it (Ctrl+S in the notebook editor): code actions on save run on explicit saves only. The
      // setting reaches the workbench a moment after update() resolves, so a save that fixed nothing is made again.
      const lastCell = notebook.cellAt(notebook.cellCount - 1);
      const fixedOnSave = (text: string): boolean =>
        !text.includes('xavier_uniform_(model.fc1.weight)') && !text.includes('zeros_(model.fc2.weight)');
      await waitFor(
        'a save to fix both init calls',
        async () => {
          // A change the analysis does not read (a blank line at the end of the last cell), so the save has something to save.
          const edit = new vscode.WorkspaceEdit();
          edit.insert(lastCell.document.uri, new vscode.Position(lastCell.document.lineCount, 0), '\n');
          assert.ok(await vscode.workspace.applyEdit(edit));
          await vscode.window.showNotebookDocument(notebook);
          await vscode.commands.executeCommand('workbench.action.files.save');
          await waitFor('the notebook to be saved', () => !notebook.isDirty, 10_000);
          return fixedOnSave(initCell.document.getText());
        },
        20_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the init cell now:\n${initCell.document.getText()}`);
      });
      await waitFor("the init cell's problems to go", () => modelLintDiagnostics(initCell.document.uri).length === 0, 30_000);
    } finally {
      await settings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
      await restoreNotebook(notebook);
    }
  });

  test('"Model Lint: Fix All in File" in one cell applies the safe fixes of the whole notebook', async () => {
    const editor = await openNotebookFixture();
    const notebook = editor.notebook;
    const initCell = notebook.cellAt(INIT_CELL);
    const modelCell = notebook.cellAt(MODEL_CELL);
    await waitFor("the init cell's diagnostics", () => modelLintDiagnostics(initCell.document.uri).length >= 2 || undefined, 60_000);
    try {
      // The cursor in the model cell: the fixes are in the init cell, so only a notebook-wide fix-all reaches them.
      editor.selections = [new vscode.NotebookRange(MODEL_CELL, MODEL_CELL + 1)];
      await waitFor(
        'the model cell as the active text editor',
        async () => {
          await vscode.commands.executeCommand('notebook.cell.edit');
          return vscode.window.activeTextEditor?.document.uri.toString() === modelCell.document.uri.toString();
        },
        10_000,
      );
      const applied = await vscode.commands.executeCommand<boolean>('modelLint.fixAllInFile');
      assert.equal(applied, true, 'an edit was applied');
      assert.doesNotMatch(initCell.document.getText(), /xavier_uniform_\(model\.fc1\.weight\)/, 'the init cell was fixed');
      await waitFor("the init cell's problems to go", () => modelLintDiagnostics(initCell.document.uri).length === 0, 30_000);
    } finally {
      await restoreNotebook(notebook);
    }
  });

  test('"Probe gradients" in a cell probes the notebook\'s model (its cells as one module) and the panel names the cells', async function () {
    this.timeout(180_000);
    const editor = await openNotebookFixture();
    const modelCell = editor.notebook.cellAt(MODEL_CELL);
    const lens = await waitFor(
      'the "Probe gradients" lens in the model cell',
      async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          modelCell.document.uri,
          20,
        );
        return lenses.find((candidate) => candidate.command?.title === 'Probe gradients');
      },
      30_000,
    );
    const report = await vscode.commands.executeCommand<ProbeReportShape | undefined>(
      lens.command!.command,
      ...(lens.command!.arguments ?? []),
    );
    assert.ok(report, 'the probe returned a report');
    const [model] = report.models;
    assert.equal(model.error, undefined, `the model was probed: ${model.error}`);
    const names = model.layers.map((layer) => layer.name);
    assert.deepEqual(
      names.filter((name) => !name.startsWith('relu')),
      ['fc1', 'fc2', 'out'],
      names.join(', '),
    );
    // The zeros_ call of the init cell reached the probe: the module is the notebook's cells, not the lens's cell alone.
    assert.ok(
      model.findings.some((finding) => finding.id === 'symmetric'),
      model.findings.map((finding) => finding.id).join(', '),
    );
    assert.ok(model.fixed, 'the fixed variant was probed too');
    if (!screenshotOutputDir()) return;
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const shot = await requestScreenshot('probe-webview-notebook', ['webview:table.layers', 'webview:canvas'], 'h2');
    assert.match(
      shot.webviewText,
      new RegExp(`\\(cell ${MODEL_CELL + 1}, line 1\\)`),
      `the model's place is named by cell: ${shot.webviewText}`,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
  });
});
