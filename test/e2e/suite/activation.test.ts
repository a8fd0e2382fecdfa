// Real-editor test of activation on Python: runs first (file order), so the window has opened no model file yet.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, workspaceFile } from './helpers';

interface ExtensionApi {
  phase(): { kind: string };
  looksLikeModel(document: vscode.TextDocument): boolean;
}

const NOTEBOOK = 'notebooks/mlp.ipynb';

suite('activation on Python', () => {
  test('a Jupyter notebook alone activates the extension and starts the server, without the Python extension', async () => {
    // code-server here has no Python or Jupyter extension: the python language and the notebook type are built in.
    assert.equal(vscode.extensions.getExtension('ms-python.python'), undefined, 'this editor has no Python extension');
    assert.equal(vscode.extensions.getExtension('ms-toolsai.jupyter'), undefined, 'this editor has no Jupyter extension');
    assert.ok((await vscode.languages.getLanguages()).includes('python'), 'VS Code knows the python language by itself');
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.ok(!extension.isActive || extension.exports.phase().kind === 'notStarted', 'no server before a model is opened');
    const notebook = await vscode.workspace.openNotebookDocument(workspaceFile(NOTEBOOK));
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    await vscode.window.showNotebookDocument(notebook);
    const api = await waitFor(
      'the extension to activate on the notebook',
      () => (extension.isActive ? extension.exports : undefined),
      30_000,
    );
    await waitFor('the language server to start for the notebook', () => api.phase().kind === 'running', 30_000);
  });

  test('the activation gate: PyTorch files and notebook cells start the server, Python without a framework does not', async () => {
    const api = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.exports;
    const model = await vscode.workspace.openTextDocument(workspaceFile('py/pytorch-mlp-bad.py'));
    assert.equal(model.languageId, 'python');
    assert.equal(api.looksLikeModel(model), true, 'a PyTorch .py file');
    const plain = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'def add(a, b):\n    return a + b\n',
    });
    assert.equal(api.looksLikeModel(plain), false, 'Python without torch, keras or tensorflow');
    const untitled = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import torch.nn as nn\nnet = nn.Linear(4, 2)\n',
    });
    assert.equal(api.looksLikeModel(untitled), true, 'an untitled PyTorch buffer');
    const notebook = await vscode.workspace.openNotebookDocument(workspaceFile(NOTEBOOK));
    const [importsCell] = notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code);
    assert.equal(importsCell.document.uri.scheme, 'vscode-notebook-cell');
    assert.equal(importsCell.document.languageId, 'python');
    assert.equal(api.looksLikeModel(importsCell.document), true, 'the notebook cell that imports torch');
    const markdownCell = notebook.getCells().find((cell) => cell.kind === vscode.NotebookCellKind.Markup)!;
    assert.equal(api.looksLikeModel(markdownCell.document), false, 'a markdown cell');
    // The untitled buffers leave no dirty editor behind.
    for (const document of [plain, untitled]) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
