// The probe commands: run the gradient probe in a worker thread of the extension host and show it in the probe panel.
import * as vscode from 'vscode';
import type { ProbeReport } from '../../common/src/probe';
import type { ProbeModelArgs } from '../../common/src/protocol';
import { ProbeAborted, runProbe } from '../../server/src/probe/client';
import { ProbePanel, type ProbePanelState } from './webview/probePanel';

/** Runs the probe for a panel state with a cancellable progress notification; undefined when cancelled. */
export async function runProbeForPanel(extensionUri: vscode.Uri, state: ProbePanelState): Promise<ProbeReport | undefined> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(state.documentUri));
  const dist = vscode.Uri.joinPath(extensionUri, 'dist').fsPath;
  const workspaceRoot = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'model-lint: probing gradients', cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    let lastFraction = 0;
    try {
      return await runProbe({
        text: document.getText(), fileName: document.fileName, model: state.model, compareFixed: true, backend: 'auto', workspaceRoot, wasmDir: dist,
      }, {
        signal: abort.signal,
        workerPath: vscode.Uri.joinPath(extensionUri, 'dist', 'probeWorker.js').fsPath,
        onProgress: (step) => {
          const fraction = step.step / Math.max(1, step.steps);
          progress.report({ message: `${step.model} (${step.variant}) step ${step.step}/${step.steps}`, increment: Math.max(0, (fraction - lastFraction) * 50) });
          lastFraction = fraction >= 1 ? 0 : fraction;
        },
      });
    } catch (error) {
      if (error instanceof ProbeAborted) return undefined;
      throw error;
    }
  });
}

/** The model the cursor is in, from the server's "Probe gradients" code lenses (the last one at or above the cursor). */
async function modelAtCursor(editor: vscode.TextEditor): Promise<number | undefined> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
  const probeLenses = (lenses ?? []).filter((lens) => lens.command?.title === 'Probe gradients')
    .map((lens) => ({ line: lens.range.start.line, args: lens.command?.arguments?.[0] as ProbeModelArgs | undefined }))
    .filter((lens) => typeof lens.args?.modelIndex === 'number');
  const above = probeLenses.filter((lens) => lens.line <= editor.selection.active.line).pop() ?? probeLenses[0];
  return above?.args?.modelIndex;
}

/** Probes one model (from the code lens argument, else the one at the cursor) or all models of the active file, and shows the panel. */
export async function probeAndShow(extensionUri: vscode.Uri, args: ProbeModelArgs | undefined, allModels: boolean): Promise<ProbeReport | undefined> {
  const editor = vscode.window.activeTextEditor;
  const documentUri = args?.uri ?? editor?.document.uri.toString();
  if (!documentUri) {
    void vscode.window.showInformationMessage('model-lint: open a model file to probe its gradients.');
    return undefined;
  }
  const model = allModels ? undefined : (args?.modelIndex ?? (editor ? await modelAtCursor(editor) : undefined));
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(documentUri));
  const state: ProbePanelState = { documentUri, fileName: document.fileName, model };
  const runner = (s: ProbePanelState): Promise<ProbeReport | undefined> => runProbeForPanel(extensionUri, s);
  const panel = ProbePanel.createOrShow(extensionUri, state, runner);
  panel.showStatus('Probing…', true);
  try {
    const report = await runner(state);
    if (!report) {
      panel.showStatus('The probe was cancelled.', false);
      return undefined;
    }
    panel.setState({ ...state, report });
    return report;
  } catch (error) {
    panel.showStatus(`The probe failed: ${error instanceof Error ? error.message : String(error)}`, false);
    throw error;
  }
}
