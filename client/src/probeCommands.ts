// The probe commands: run the gradient probe in a worker thread of the extension host and show it in the probe panel.
import * as vscode from 'vscode';
import type { ProbeReport } from '../../common/src/probe';
import {
  inputShapePrompt,
  inputShapeProblem,
  modelsNeedingInputShape,
  parseInputShape,
  probeOptionsOf,
  readProbeSettings,
  withModelReport,
  type ProbeSettings,
} from '../../common/src/probeOptions';
import { SETTINGS_SECTION, type ProbeModelArgs } from '../../common/src/protocol';
import { ProbeAborted, runProbe } from '../../common/src/probeWorkerClient';
import { probeSourceOf, type ProbeSource } from './probeSource';
import { ProbePanel, type ProbePanelState } from './webview/probePanel';

/** Input shapes the user typed for models without one, per document and model name: a re-run does not ask again. */
const typedInputShapes = new Map<string, number[]>();

/** True once the untrusted-workspace message was shown in this window (as vscode-eslint does, it is said once). */
let untrustedMessageShown = false;

/**
 * In an untrusted workspace the probe loads no @tensorflow/tfjs-node (native code the workspace could provide): the
 * first probe that would have used it says so once.
 */
function noteUntrustedBackend(settings: ProbeSettings): void {
  if (vscode.workspace.isTrusted || untrustedMessageShown || settings.backend === 'wasm' || settings.backend === 'cpu') return;
  untrustedMessageShown = true;
  void vscode.window.showInformationMessage(
    'model-lint: this workspace is not trusted, so the probe does not load @tensorflow/tfjs-node and runs on its bundled WebAssembly backend. Trust the workspace to use tfjs-node.',
  );
}

/** The `modelLint.probe.*` settings of one document (invalid values take their defaults). */
function probeSettingsFor(uri: vscode.Uri): ProbeSettings {
  return readProbeSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, uri).get<unknown>('probe'));
}

/** One probe in the worker with a cancellable progress notification; undefined when cancelled. */
async function probeWithProgress(
  extensionUri: vscode.Uri,
  source: ProbeSource,
  model: number | undefined,
  settings: ProbeSettings,
  inputShape?: number[],
): Promise<ProbeReport | undefined> {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist').fsPath;
  const trusted = vscode.workspace.isTrusted;
  // Nothing is resolved from an untrusted workspace's folder.
  const workspaceRoot = trusted ? vscode.workspace.getWorkspaceFolder(source.uri)?.uri.fsPath : undefined;
  noteUntrustedBackend(settings);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'model-lint: probing gradients', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let lastFraction = 0;
      try {
        return await runProbe(
          {
            text: source.text,
            fileName: source.fileName,
            model,
            compareFixed: true,
            backend: settings.backend,
            workspaceRoot,
            wasmDir: dist,
            trusted,
            options: { ...probeOptionsOf(settings), ...(inputShape ? { inputShape } : {}) },
          },
          {
            signal: abort.signal,
            workerPath: vscode.Uri.joinPath(extensionUri, 'dist', 'probeWorker.js').fsPath,
            onProgress: (step) => {
              const fraction = step.step / Math.max(1, step.steps);
              progress.report({
                message: `${step.model} (${step.variant}) step ${step.step}/${step.steps}`,
                increment: Math.max(0, (fraction - lastFraction) * 50),
              });
              lastFraction = fraction >= 1 ? 0 : fraction;
            },
          },
        );
      } catch (error) {
        if (error instanceof ProbeAborted) return undefined;
        throw error;
      }
    },
  );
}

/** Asks for a model's input shape; undefined when the user cancels. */
async function askInputShape(modelName: string): Promise<number[] | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'model-lint: input shape needed for the probe',
    prompt: inputShapePrompt(modelName),
    placeHolder: '28,28,1',
    ignoreFocusOut: true,
    validateInput: inputShapeProblem,
  });
  return text === undefined ? undefined : (parseInputShape(text) ?? undefined);
}

/**
 * Runs the probe for a panel state with the document's `modelLint.probe.*` settings; undefined when cancelled. A model
 * whose input shape cannot be found is probed again with the shape the user types; cancelling the box keeps its error.
 */
export async function runProbeForPanel(extensionUri: vscode.Uri, state: ProbePanelState): Promise<ProbeReport | undefined> {
  const source = await probeSourceOf(vscode.Uri.parse(state.documentUri));
  const settings = probeSettingsFor(source.uri);
  let report = await probeWithProgress(extensionUri, source, state.model, settings);
  if (!report) return undefined;
  for (const needed of modelsNeedingInputShape(report, state.model)) {
    const key = `${state.documentUri}#${needed.name}`;
    const inputShape = typedInputShapes.get(key) ?? (await askInputShape(needed.name));
    if (!inputShape) continue;
    const single = await probeWithProgress(extensionUri, source, needed.modelIndex, settings, inputShape);
    if (!single) return undefined;
    // Remember only a shape the model could be probed with; a wrong one is asked for again next time.
    if (single.models[0] && !single.models[0].error) typedInputShapes.set(key, inputShape);
    else typedInputShapes.delete(key);
    report = withModelReport(report, needed.reportIndex, single, inputShape);
  }
  return report;
}

/** The model the cursor is in, from the server's "Probe gradients" code lenses (the last one at or above the cursor). */
async function modelAtCursor(editor: vscode.TextEditor): Promise<number | undefined> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
  const probeLenses = (lenses ?? [])
    .filter((lens) => lens.command?.title === 'Probe gradients')
    .map((lens) => ({ line: lens.range.start.line, args: lens.command?.arguments?.[0] as ProbeModelArgs | undefined }))
    .filter((lens) => typeof lens.args?.modelIndex === 'number');
  const above = probeLenses.filter((lens) => lens.line <= editor.selection.active.line).pop() ?? probeLenses[0];
  return above?.args?.modelIndex;
}

/** Probes one model (from the code lens argument, else the one at the cursor) or all models of the active file, and shows the panel. */
export async function probeAndShow(
  extensionUri: vscode.Uri,
  args: ProbeModelArgs | undefined,
  allModels: boolean,
): Promise<ProbeReport | undefined> {
  const editor = vscode.window.activeTextEditor;
  const documentUri = args?.uri ?? editor?.document.uri.toString();
  if (!documentUri) {
    void vscode.window.showInformationMessage('model-lint: open a model file to probe its gradients.');
    return undefined;
  }
  const model = allModels ? undefined : (args?.modelIndex ?? (editor ? await modelAtCursor(editor) : undefined));
  // A notebook cell's lens probes its notebook: the panel is about the notebook, its lines are shown in their cells.
  const source = await probeSourceOf(vscode.Uri.parse(documentUri));
  const state: ProbePanelState = { documentUri: source.uri.toString(), fileName: source.displayName, model };
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
