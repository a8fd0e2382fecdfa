// Decides cheaply whether a workspace or document looks like model code, so non-model workspaces never start the server.
import * as vscode from 'vscode';
import { languageOf, mayHoldModelJson, mayHoldTfjsModel } from '../../common/src/modelDetection';

/** Languages the server is offered (VS Code language ids). */
export const MODEL_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'jsonc'] as const;

/** Past this size the gate does not scan a document's text (the server applies its own size limit). */
const GATE_SCAN_LIMIT = 2_000_000;

/** True when a document is TS/JS that mentions TensorFlow.js or JSON that holds a model topology. */
export function looksLikeModelDocument(document: vscode.TextDocument): boolean {
  if (!(MODEL_LANGUAGES as readonly string[]).includes(document.languageId)) return false;
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return false;
  const text = document.getText();
  if (text.length > GATE_SCAN_LIMIT) return false;
  const language = languageOf(document.fileName) ?? (document.languageId.startsWith('json') ? 'json' : 'typescript');
  return language === 'json' ? mayHoldModelJson(text) : mayHoldTfjsModel(text);
}

/** True when the workspace holds the project's config file: a deliberate opt-in even before a model is opened. */
export async function workspaceHasModelLintConfig(): Promise<boolean> {
  if (!vscode.workspace.workspaceFolders?.length) return false;
  const found = await vscode.workspace.findFiles('**/.modellintrc.json', '**/node_modules/**', 1);
  return found.length > 0;
}
