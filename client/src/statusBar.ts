// The status bar item: server phase, model-lint problem count of the active file, click opens the output.
import * as vscode from 'vscode';
import { Commands, DIAGNOSTIC_SOURCE } from '../../common/src/protocol';
import type { DocumentStatus, ModelLintServer } from './serverClient';

/** Counts the model-lint diagnostics VS Code holds for a document. */
export function countModelLintProblems(uri: vscode.Uri): number {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE).length;
}

/** Keeps one status bar item in step with the server and the active editor. */
export class ModelLintStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('modelLint.status', vscode.StatusBarAlignment.Right, 100);
  private readonly documentStatus = new Map<string, DocumentStatus>();
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly server: ModelLintServer) {
    this.item.name = 'model-lint';
    this.item.command = Commands.showOutput;
    this.disposables.push(
      server.onDidChangePhase(() => this.render()),
      server.onDidReceiveStatus((status) => {
        this.documentStatus.set(status.uri, status);
        this.render();
      }),
      vscode.languages.onDidChangeDiagnostics(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
  }

  private render(): void {
    const phase = this.server.phase;
    if (phase.kind === 'notStarted') {
      this.item.hide();
      return;
    }
    const editor = vscode.window.activeTextEditor;
    const status = editor ? this.documentStatus.get(editor.document.uri.toString()) : undefined;
    const problems = editor ? countModelLintProblems(editor.document.uri) : 0;
    if (phase.kind === 'starting') {
      this.item.text = '$(sync~spin) model-lint';
      this.item.tooltip = 'model-lint: the language server is starting';
    } else if (phase.kind === 'stopped') {
      this.item.text = '$(error) model-lint';
      this.item.tooltip = `model-lint is not running: ${phase.reason}. Click for the output.`;
    } else if (status?.state === 'error') {
      this.item.text = '$(warning) model-lint';
      this.item.tooltip = 'model-lint hit an internal error on this file; click for the output.';
    } else {
      this.item.text = problems > 0 ? `$(warning) model-lint: ${problems}` : '$(check) model-lint';
      const skipped = status?.state === 'skipped' ? ' This file was skipped (too large, binary or disabled).' : '';
      this.item.tooltip = `model-lint is running: ${problems} problem${problems === 1 ? '' : 's'} in this file.${skipped} Click for the output.`;
    }
    this.item.show();
  }

  /** The text shown now (read by the real-editor tests through the extension's API). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
