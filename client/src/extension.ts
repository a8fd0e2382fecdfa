// VS Code client entry: gates activation on model code, starts the bundled language server, registers commands and status.
import * as vscode from 'vscode';
import { looksLikeModelDocument, workspaceHasModelLintConfig } from './activationGate';
import { registerCommands } from './commands';
import { runProbeForPanel } from './probeCommands';
import { registerProbePanelSerializer } from './webview/probePanel';
import { ModelLintServer, type ServerPhase } from './serverClient';
import { ModelLintStatusBar } from './statusBar';

/** What activate() returns: read by the real-editor tests, not a public contract. */
export interface ModelLintExtensionApi {
  phase(): ServerPhase;
  statusBarText(): string;
  /** The activation gate's answer for a document: would opening it start the server? */
  looksLikeModel(document: vscode.TextDocument): boolean;
}

let server: ModelLintServer | undefined;

/**
 * Activation events fire for any TS/JS/JSON/Python document and any Jupyter notebook, but the server process starts
 * only when a document (or a notebook's Python cell) looks like model code, or the workspace holds .modellintrc.json:
 * a non-model workspace pays for loading this file and one substring check per opened document, nothing more.
 */
export async function activate(context: vscode.ExtensionContext): Promise<ModelLintExtensionApi> {
  const output = vscode.window.createOutputChannel('model-lint', { log: true });
  const modelLintServer = new ModelLintServer(context, output);
  server = modelLintServer;
  const statusBar = new ModelLintStatusBar(modelLintServer);
  context.subscriptions.push(
    output,
    modelLintServer,
    statusBar,
    ...registerCommands({ extension: context, server: modelLintServer, output }),
    registerProbePanelSerializer(context.extensionUri, (state) => runProbeForPanel(context.extensionUri, state)),
  );

  const startFor = (document: vscode.TextDocument): void => {
    if (modelLintServer.phase.kind === 'notStarted' && looksLikeModelDocument(document)) {
      void modelLintServer.ensureStarted(`model code in ${vscode.workspace.asRelativePath(document.uri)}`);
    }
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(startFor),
    // A new file becomes model code when the user types the import.
    vscode.workspace.onDidChangeTextDocument((event) => startFor(event.document)),
  );
  vscode.workspace.textDocuments.forEach(startFor);
  if (modelLintServer.phase.kind === 'notStarted' && (await workspaceHasModelLintConfig())) {
    void modelLintServer.ensureStarted('.modellintrc.json in the workspace');
  }

  return {
    phase: () => modelLintServer.phase,
    statusBarText: () => statusBar.text,
    looksLikeModel: looksLikeModelDocument,
  };
}

/** Stops the server so VS Code can shut down cleanly. */
export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
