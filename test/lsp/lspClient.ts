// Test client for the built language server: spawns dist/server.js over stdio and speaks real JSON-RPC to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** Repository root (tests run from out/test/lsp). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
/** The bundled server under test. */
export const SERVER_BUNDLE = join(REPO_ROOT, 'dist', 'server.js');

/** How a test client presents itself to the server. */
export interface ClientOptions {
  /** Advertise pull diagnostics (textDocument/diagnostic). */
  pull?: boolean;
  /** The `modelLint` settings section returned for workspace/configuration. */
  settings?: Record<string, unknown>;
  rootUri?: string;
  /** Sent as initialize's initializationOptions. */
  initializationOptions?: unknown;
  /** Advertise window.workDoneProgress (server-created progress). */
  workDoneProgress?: boolean;
}

/** A live server process and a JSON-RPC connection to it. */
export class LspTestClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly documents = new Map<string, TextDocument>();
  readonly logs: string[] = [];
  readonly statuses: unknown[] = [];
  refreshRequests = 0;
  /** The server's answer to initialize. */
  initializeResult: InitializeResult | undefined;
  settings: Record<string, unknown>;
  private listeners: (() => void)[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? {};
  }

  /** Spawns the server and completes the initialize handshake. */
  static async start(options: ClientOptions = {}): Promise<LspTestClient> {
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection, options);
    child.stderr!.on('data', (chunk: Buffer) => client.logs.push(chunk.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = client.published.get(params.uri) ?? [];
      list.push(params);
      client.published.set(params.uri, list);
      client.notify();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.logs.push(params.message);
    });
    connection.onNotification('modelLint/status', (params: unknown) => {
      client.statuses.push(params);
      client.notify();
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'modelLint' ? client.settings : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => {
      client.refreshRequests++;
      client.notify();
      return null;
    });
    connection.listen();
    const initialize: InitializeParams = {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      workspaceFolders: null,
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
      capabilities: {
        ...(options.workDoneProgress ? { window: { workDoneProgress: true } } : {}),
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
          ...(options.pull ? { diagnostics: { refreshSupport: true } } : {}),
        },
        textDocument: {
          synchronization: { didSave: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          ...(options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
        },
      },
    };
    client.initializeResult = await connection.sendRequest('initialize', initialize);
    await connection.sendNotification('initialized', {});
    return client;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves when `check` returns a value other than undefined (re-checked on every server message), or rejects after timeoutMs. */
  waitFor<T>(check: () => T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const value = check();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server log:\n${this.logs.join('\n')}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      const listener = (): void => void attempt();
      this.listeners.push(listener);
      attempt();
    });
  }

  /** The pushed diagnostics for exactly this document version. */
  waitForPublished(uri: string, version: number, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.waitFor(
      () => this.published.get(uri)?.find((p) => p.version === version)?.diagnostics,
      timeoutMs,
      `diagnostics of ${uri} v${version}`,
    );
  }

  /** The latest pushed diagnostics of a document (any version), once a push arrived after `afterCount` pushes. */
  waitForNextPublish(uri: string, afterCount: number, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.waitFor(
      () => {
        const list = this.published.get(uri) ?? [];
        return list.length > afterCount ? list[list.length - 1]!.diagnostics : undefined;
      },
      timeoutMs,
      `a new publish for ${uri}`,
    );
  }

  /** Number of pushes seen for a document so far. */
  publishCount(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  /** didOpen with version 1. */
  async open(uri: string, languageId: string, text: string): Promise<TextDocument> {
    const document = TextDocument.create(uri, languageId, 1, text);
    this.documents.set(uri, document);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return document;
  }

  /** Incremental didChange; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`not open: ${uri}`);
    const version = document.version + 1;
    TextDocument.update(document, changes, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Applies a WorkspaceEdit's edits for one document locally and sends them as one incremental change. */
  async applyEdit(uri: string, edit: WorkspaceEdit): Promise<number> {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`not open: ${uri}`);
    const edits: TextEdit[] = [];
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change && change.textDocument.uri === uri) {
        if (change.textDocument.version !== null && change.textDocument.version !== document.version) {
          throw new Error(`edit is for version ${change.textDocument.version}, document is at ${document.version}`);
        }
        edits.push(...(change.edits as TextEdit[]));
      }
    }
    edits.push(...(edit.changes?.[uri] ?? []));
    if (edits.length === 0) throw new Error('the edit holds no change for this document');
    // Later edits first, so earlier ranges stay valid when sent as sequential incremental changes.
    const ordered = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
    return this.change(
      uri,
      ordered.map((e) => ({ range: e.range, text: e.newText })),
    );
  }

  /** Current text of a document as the client holds it. */
  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** shutdown + exit, then kills the child by PID if it is still alive. */
  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone; the kill below is what matters.
    }
    this.connection.dispose();
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
      if (this.child.exitCode === null) process.kill(pid, 'SIGKILL');
    }
  }
}
