// Decides cheaply whether a workspace or document looks like model code, so non-model workspaces never start the server.
import * as vscode from 'vscode';
import { languageOf, mayHoldModelJson, mayHoldPythonModel, mayHoldTfjsModel } from '../../common/src/modelDetection';

/** Languages the server is offered (VS Code language ids; `python` is built into VS Code, no Python extension needed). */
export const MODEL_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'jsonc', 'python'] as const;

/** The notebook type of `.ipynb` files, from VS Code's built-in ipynb extension (and the Jupyter extension). */
export const JUPYTER_NOTEBOOK_TYPE = 'jupyter-notebook';

/** The URI scheme of a notebook cell's text document. */
const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

/** Past this size the gate does not scan a document's text (the server applies its own size limit). */
const GATE_SCAN_LIMIT = 2_000_000;

/** Which front end's cheap check applies to a document: its file name decides, else its language id. */
function frontEndOf(document: vscode.TextDocument): 'typescript' | 'json' | 'python' {
  if (document.uri.scheme !== NOTEBOOK_CELL_SCHEME) {
    const byName = languageOf(document.fileName);
    if (byName) return byName;
  }
  if (document.languageId === 'python') return 'python';
  return document.languageId.startsWith('json') ? 'json' : 'typescript';
}

/**
 * True when a document is TS/JS that mentions TensorFlow.js, JSON that holds a model topology, or Python that mentions
 * PyTorch, Keras or TensorFlow. A Python cell of a notebook counts too: opening a notebook opens its cells' documents.
 */
export function looksLikeModelDocument(document: vscode.TextDocument): boolean {
  if (!(MODEL_LANGUAGES as readonly string[]).includes(document.languageId)) return false;
  const scheme = document.uri.scheme;
  const isPythonCell = scheme === NOTEBOOK_CELL_SCHEME && document.languageId === 'python';
  if (scheme !== 'file' && scheme !== 'untitled' && !isPythonCell) return false;
  const text = document.getText();
  if (text.length > GATE_SCAN_LIMIT) return false;
  switch (frontEndOf(document)) {
    case 'json':
      return mayHoldModelJson(text);
    case 'python':
      return mayHoldPythonModel(text);
    case 'typescript':
      return mayHoldTfjsModel(text);
  }
}

/** True when the workspace holds the project's config file: a deliberate opt-in even before a model is opened. */
export async function workspaceHasModelLintConfig(): Promise<boolean> {
  if (!vscode.workspace.workspaceFolders?.length) return false;
  const found = await vscode.workspace.findFiles('**/.modellintrc.json', '**/node_modules/**', 1);
  return found.length > 0;
}
