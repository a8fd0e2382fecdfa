// The gradient probe webview panel: one instance, restored on reload, data only through validated postMessage.
import * as vscode from 'vscode';
import type { ProbeReport } from '../../../common/src/probe';
import { parseFromWebview, type ToWebviewMessage } from '../../../common/src/probeWebview';
import { lineLabelsOf, probeSourceOf } from '../probeSource';

/** View type of the panel (also its onWebviewPanel activation event). */
export const PROBE_VIEW_TYPE = 'modelLint.probe';

/** What the panel shows and how to compute it again; kept as the webview state so a reload can restore it. */
export interface ProbePanelState {
  documentUri: string;
  fileName: string;
  /** The model to probe again on "Re-run" (undefined = all models of the file). */
  model?: number;
  report?: ProbeReport;
}

/** Runs a probe for the panel's "Re-run" button. */
export type ProbeRunner = (state: ProbePanelState) => Promise<ProbeReport | undefined>;

function nonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let text = '';
  for (let i = 0; i < 32; i++) text += alphabet.charAt(Math.floor(Math.random() * alphabet.length));
  return text;
}

/** The probe panel: createOrShow from a command, revive from the serializer. */
export class ProbePanel {
  static currentPanel: ProbePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private state: ProbePanelState;
  private webviewReady = false;

  /** Shows the panel (creating it when needed) with a new state. */
  static createOrShow(extensionUri: vscode.Uri, state: ProbePanelState, runner: ProbeRunner): ProbePanel {
    // Beside the model's editor (a notebook's too), so the code stays in view.
    const column = vscode.window.activeTextEditor || vscode.window.activeNotebookEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    if (ProbePanel.currentPanel) {
      ProbePanel.currentPanel.panel.reveal(column, true);
      ProbePanel.currentPanel.setState(state);
      return ProbePanel.currentPanel;
    }
    const panel = vscode.window.createWebviewPanel(
      PROBE_VIEW_TYPE,
      'Gradient probe',
      { viewColumn: column, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    ProbePanel.currentPanel = new ProbePanel(panel, extensionUri, state, runner);
    return ProbePanel.currentPanel;
  }

  /** Restores a panel VS Code kept across a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: ProbePanelState | undefined, runner: ProbeRunner): void {
    panel.webview.options = webviewOptions(extensionUri);
    ProbePanel.currentPanel = new ProbePanel(panel, extensionUri, state ?? { documentUri: '', fileName: '' }, runner);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    state: ProbePanelState,
    private readonly runner: ProbeRunner,
  ) {
    this.state = state;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
    );
  }

  /** Shows a new report (or the state without one) in the webview. */
  setState(state: ProbePanelState): void {
    this.state = state;
    this.panel.title = `Gradient probe: ${state.fileName.split(/[\\/]/).pop() ?? ''}`;
    this.sendState();
  }

  /** Shows a status line (running, failed) above the charts. */
  showStatus(text: string, busy: boolean): void {
    void this.post({ type: 'status', text, busy });
  }

  private sendState(): void {
    if (!this.webviewReady) return;
    const { report, fileName, documentUri, model } = this.state;
    if (!report) return;
    if (!/\.ipynb$/i.test(vscode.Uri.parse(documentUri).path)) {
      void this.post({ type: 'report', report, fileName, documentUri, model });
      return;
    }
    // A notebook's report counts lines of its joined cells: each one is shown as the cell and line in it.
    void probeSourceOf(vscode.Uri.parse(documentUri)).then(
      (source) => {
        const lines = report.models.flatMap((probed) => [probed.line, ...probed.layers.map((layer) => layer.line)]);
        return this.post({ type: 'report', report, fileName, documentUri, model, lineLabels: lineLabelsOf(source, lines) });
      },
      () => this.post({ type: 'report', report, fileName, documentUri, model }),
    );
  }

  private post(message: ToWebviewMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (!message) return; // a malformed message is dropped: the webview is not trusted blindly
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.sendState();
        return;
      case 'revealLayer':
        await this.revealLine(message.line);
        return;
      case 'rerun': {
        this.showStatus('Probing again…', true);
        try {
          const report = await this.runner(this.state);
          if (report) this.setState({ ...this.state, report });
          else this.showStatus('The probe was cancelled.', false);
        } catch (error) {
          this.showStatus(`The probe failed: ${error instanceof Error ? error.message : String(error)}`, false);
        }
        return;
      }
      case 'exportJson':
        await this.exportFile('json', new TextEncoder().encode(JSON.stringify(this.state.report ?? null, null, 2) + '\n'));
        return;
      case 'exportPng':
        await this.exportFile('png', Buffer.from(message.dataUrl.slice('data:image/png;base64,'.length), 'base64'));
        return;
    }
  }

  private async revealLine(line: number): Promise<void> {
    if (!this.state.documentUri) return;
    const source = await probeSourceOf(vscode.Uri.parse(this.state.documentUri));
    const place = source.placeOfLine?.(line);
    if (place) {
      const position = new vscode.Position(place.line - 1, 0);
      await vscode.window.showTextDocument(place.cell.document, { selection: new vscode.Range(position, position) });
      return;
    }
    const document = await vscode.workspace.openTextDocument(source.uri);
    const position = new vscode.Position(Math.min(line - 1, document.lineCount - 1), 0);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position) });
  }

  private async exportFile(extension: 'json' | 'png', bytes: Uint8Array): Promise<void> {
    const base = this.state.documentUri ? vscode.Uri.parse(this.state.documentUri) : undefined;
    const suggested = base ? vscode.Uri.joinPath(base, '..', `${base.path.split('/').pop()}.probe.${extension}`) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { [extension.toUpperCase()]: [extension] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`model-lint: probe exported to ${vscode.workspace.asRelativePath(target)}`);
  }

  private html(): string {
    const webview = this.panel.webview;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const scriptNonce = nonce();
    const csp = [
      `default-src 'none'`,
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'nonce-${scriptNonce}'`,
      `script-src 'nonce-${scriptNonce}'`,
    ].join('; ');
    // Static markup only: every value arrives later through postMessage and is set as text, never as HTML.
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Gradient probe</title>
<style nonce="${scriptNonce}">
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 12px; }
  h2 { font-size: 1.1em; margin: 12px 0 4px; }
  .toolbar { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
  button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 10px; cursor: pointer; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  .status { color: var(--vscode-descriptionForeground); }
  .finding { color: var(--vscode-editorWarning-foreground); }
  .healthy { color: var(--vscode-testing-iconPassed); }
  .error { color: var(--vscode-errorForeground); }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 12px; }
  .chart { position: relative; height: 240px; }
  table { border-collapse: collapse; margin: 6px 0 12px; }
  th, td { border-bottom: 1px solid var(--vscode-panel-border); padding: 2px 8px; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  a.layer { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; }
</style>
</head>
<body>
<div class="toolbar">
  <button id="rerun" type="button">Re-run</button>
  <button id="export-json" type="button">Export JSON</button>
  <button id="export-png" type="button">Export PNG</button>
  <span id="status" class="status">Waiting for the probe…</span>
</div>
<div id="models"></div>
<script nonce="${scriptNonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    ProbePanel.currentPanel = undefined;
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

/** Registers the serializer so VS Code restores the panel (with its last report) after a reload. */
export function registerProbePanelSerializer(extensionUri: vscode.Uri, runner: ProbeRunner): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PROBE_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      ProbePanel.revive(panel, extensionUri, isPanelState(state) ? state : undefined, runner);
    },
  });
}

function isPanelState(value: unknown): value is ProbePanelState {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ProbePanelState).documentUri === 'string' &&
    typeof (value as ProbePanelState).fileName === 'string'
  );
}
