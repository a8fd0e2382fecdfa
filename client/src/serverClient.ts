// Owns the language client: starts the bundled server over IPC, restarts it, and says why it is not running.
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type ClientCapabilities,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
  type WorkspaceEdit,
} from 'vscode-languageclient/node';
import { CONFIG_FILE_NAME, SETTINGS_SECTION, StatusNotification, type ModelLintInitializationOptions } from '../../common/src/protocol';
import { JUPYTER_NOTEBOOK_TYPE, MODEL_LANGUAGES } from './activationGate';

/** Why the server is or is not running, in words a command can show. */
export type ServerPhase =
  { kind: 'notStarted'; reason: string } | { kind: 'starting' } | { kind: 'running' } | { kind: 'stopped'; reason: string };

/** The per-document state the server last reported. */
export type DocumentStatus = StatusNotification.Params;

/** One language client for the extension's lifetime; it may be started, stopped and restarted. */
export class ModelLintServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private phaseValue: ServerPhase = {
    kind: 'notStarted',
    reason: 'no TensorFlow.js, model JSON, PyTorch / Keras Python file or notebook has been opened in this window yet',
  };
  private readonly phaseEmitter = new vscode.EventEmitter<ServerPhase>();
  private readonly statusEmitter = new vscode.EventEmitter<DocumentStatus>();
  private readonly disposables: vscode.Disposable[] = [this.phaseEmitter, this.statusEmitter];
  private stopping = false;

  /** Fires whenever the phase changes. */
  readonly onDidChangePhase = this.phaseEmitter.event;
  /** Fires for every modelLint/status notification of the server. */
  readonly onDidReceiveStatus = this.statusEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get phase(): ServerPhase {
    return this.phaseValue;
  }

  /** True when requests can be sent. */
  get isRunning(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** Starts the server once; later calls wait for the same start. */
  async ensureStarted(trigger: string): Promise<void> {
    if (this.client) return;
    this.output.info(`starting the language server (${trigger})`);
    const client = this.createClient();
    this.client = client;
    this.setPhase({ kind: 'starting' });
    try {
      await client.start();
    } catch (error) {
      this.setPhase({ kind: 'stopped', reason: `the server failed to start: ${messageOf(error)} (see Model Lint: Show Output)` });
    }
  }

  /** Stops the server (if any) and starts a fresh one. */
  async restart(): Promise<void> {
    const previous = this.client;
    this.client = undefined;
    if (previous) {
      this.stopping = true;
      try {
        if (previous.needsStop()) await previous.stop(5000);
      } catch (error) {
        this.output.warn(`stopping the old server failed: ${messageOf(error)}`);
      } finally {
        this.stopping = false;
        await previous.dispose().catch(() => undefined);
      }
    }
    await this.ensureStarted('restart requested');
  }

  /** Sends a request when the server runs; otherwise throws with the reason it does not. */
  async sendRequest<R>(method: string, params: unknown): Promise<R> {
    if (!this.client || !this.isRunning) throw new Error(this.notRunningReason());
    return this.client.sendRequest<R>(method, params);
  }

  /** A WorkspaceEdit the server sent (LSP shape), in VS Code's terms: vscode-languageclient's own converter. */
  async asWorkspaceEdit(edit: WorkspaceEdit): Promise<vscode.WorkspaceEdit> {
    if (!this.client) throw new Error(this.notRunningReason());
    return this.client.protocol2CodeConverter.asWorkspaceEdit(edit);
  }

  /** A sentence saying why the server cannot answer now. */
  notRunningReason(): string {
    const phase = this.phaseValue;
    switch (phase.kind) {
      case 'notStarted':
        return `The model-lint server is not running: ${phase.reason}. Open a TensorFlow.js file, a model JSON, a PyTorch / Keras Python file or notebook, or run "Model Lint: Restart Server".`;
      case 'starting':
        return 'The model-lint server is still starting; try again in a moment.';
      case 'stopped':
        return `The model-lint server is not running: ${phase.reason}. Run "Model Lint: Restart Server".`;
      case 'running':
        return 'The model-lint server is running.';
    }
  }

  private createClient(): LanguageClient {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const documentSelector: DocumentSelector = [
      ...MODEL_LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // The Python cells of Jupyter notebooks: hovers, fixes and lenses in cells. The cells' text reaches the server
      // through notebook document sync (LSP 3.17) when the server's notebookDocumentSync selects them, so it can read
      // a notebook's cells in order as one module.
      { notebook: { notebookType: JUPYTER_NOTEBOOK_TYPE }, language: 'python' },
    ];
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      outputChannel: this.output,
      traceOutputChannel: this.output,
      // The server re-reads its settings and the config file when these change.
      synchronize: {
        configurationSection: SETTINGS_SECTION,
        fileEvents: vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`),
      },
      // The status bar shows trouble; the output channel never pops up by itself.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // This client shows probes in its webview, so the lens must carry Commands.probeModel, not the server's command.
      initializationOptions: { probeCommand: 'client' } satisfies ModelLintInitializationOptions,
    };
    const client = new LanguageClient(SETTINGS_SECTION, 'model-lint', serverOptions, clientOptions);
    client.registerFeature(pushDiagnosticsOnly);
    this.disposables.push(
      client.onDidChangeState((event) => {
        if (this.client !== client) return;
        if (event.newState === State.Running) {
          this.setPhase({ kind: 'running' });
          client.onNotification(StatusNotification.method, (params: StatusNotification.Params) => this.statusEmitter.fire(params));
        } else if (event.newState === State.Starting) {
          this.setPhase({ kind: 'starting' });
        } else if (!this.stopping) {
          this.setPhase({
            kind: 'stopped',
            reason: 'the server stopped (it crashed too often or was shut down; details in Model Lint: Show Output)',
          });
        }
      }),
    );
    return client;
  }

  private setPhase(phase: ServerPhase): void {
    if (phase.kind !== this.phaseValue.kind) this.output.info(`server ${phase.kind}${'reason' in phase ? `: ${phase.reason}` : ''}`);
    this.phaseValue = phase;
    this.phaseEmitter.fire(phase);
  }

  /** Stops the server; used on deactivation. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.needsStop()) await client.stop(3000).catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/**
 * Announces no pull diagnostics, so the server pushes them. vscode-languageclient 11 pulls a notebook cell only when
 * its notebook is visible as the cell is opened or changed: a diagnostics refresh re-pulls text documents shown in
 * tabs (a cell never is one), and a notebook coming into view is not pulled. Pulled, a cell whose problems come from
 * an edit in another cell, or a notebook in a background tab when the server restarts, kept stale diagnostics (seen
 * in the real-editor notebook suite); pushed, the server publishes every cell whose diagnostics change.
 * Registered after the built-in features, so it removes what the diagnostic feature filled in.
 */
const pushDiagnosticsOnly: StaticFeature = {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    if (capabilities.textDocument) delete capabilities.textDocument.diagnostic;
    if (capabilities.workspace) delete capabilities.workspace.diagnostics;
  },
  initialize(): void {},
  getState: () => ({ kind: 'static' }),
  clear(): void {},
};

/** The message of an unknown thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
