// Wires the language server: documents, settings, validation (push or pull), code actions, hovers, code lenses.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_CODE_ACTION_KIND, FixAllRequest, ServerCommands, StatusNotification } from '../../../common/src/protocol';
import { codeActionsFor, fixAllEdit, type EditCapabilities } from './codeActions';
import { codeLensesFor } from './codeLens';
import { ConfigResolver, isConfigFileUri } from './configFile';
import { AnalysisCache, isServedDocument, type DocumentAnalysis } from './documents';
import { hoverAt } from './hover';
import { NOTEBOOK_DOCUMENT_SYNC, NotebookService } from './notebooks';
import { ServerProbeCommand } from './probeCommand';
import { ValidationScheduler } from './scheduler';
import { SettingsCache, type ResolvedSettings } from './settings';

/** Inside a burst of edits, validate after this much quiet; an edit after EDIT_QUIET_MS of silence is validated at once. */
const VALIDATION_DELAY_MS = 4;
const EDIT_QUIET_MS = 25;

/** Registers every handler on the connection and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new AnalysisCache((message) => connection.console.error(message));
  const publishedConfigUris = new Set<string>();
  const configs = new ConfigResolver(
    (uri) => documents.get(uri)?.getText(),
    (uri, diagnostics) => {
      // Config problems are always pushed, in both modes, so they never appear twice.
      if (diagnostics.length === 0 && !publishedConfigUris.has(uri)) return;
      publishedConfigUris.add(uri);
      void connection.sendDiagnostics({ uri, diagnostics });
    },
  );
  const settings = new SettingsCache(connection, (user, path) => configs.merge(user, path));
  let pullDiagnostics = false;
  let canRefreshPulledDiagnostics = false;
  let dynamicConfigurationRegistration = false;
  let dynamicWatchedFilesRegistration = false;
  const editCapabilities: EditCapabilities = { documentChanges: false };
  const notebooks = new NotebookService(connection, settings, (message) => connection.console.error(message), {
    pull: () => pullDiagnostics,
    canRefresh: () => canRefreshPulledDiagnostics,
  });
  const probeCommand = new ServerProbeCommand(connection, async (uri) => {
    if (notebooks.isCell(uri)) {
      const target = await notebooks.probeTarget(uri);
      return target ? { document: target.document, result: target.analysis.result, probeSettings: target.settings.probe } : null;
    }
    const current = await currentAnalysis(uri);
    return current ? { document: current.document, result: current.analysis.result, probeSettings: current.settings.probe } : null;
  });

  /** Settings and analysis of the current version of an open document; null when closed, unserved or disabled. */
  async function currentAnalysis(
    uri: string,
  ): Promise<{ document: TextDocument; analysis: DocumentAnalysis; settings: ResolvedSettings } | null> {
    const opened = documents.get(uri);
    if (!opened || !isServedDocument(opened)) return null;
    const resolved = await settings.get(uri);
    // The document may have changed or closed while the settings were fetched.
    const document = documents.get(uri);
    if (!document || !resolved.enable) return null;
    return { document, analysis: analyses.get(document, resolved.options), settings: resolved };
  }

  /** Status for the client's status bar; the analysis time is reported once, when the version was first analysed. */
  const reportedAnalysis = new WeakSet<DocumentAnalysis>();
  function sendStatus(uri: string, analysis: DocumentAnalysis): void {
    const params: StatusNotification.Params = {
      uri,
      problemCount: analysis.diagnostics.filter((d) => d.code !== undefined).length,
      state: analysis.state,
      version: analysis.version,
      analysisMs: reportedAnalysis.has(analysis) ? 0 : Math.round(analysis.analysisMs * 10) / 10,
    };
    reportedAnalysis.add(analysis);
    void connection.sendNotification(StatusNotification.method, params);
  }

  async function validateAndPush(uri: string): Promise<void> {
    try {
      if (isConfigFileUri(uri)) return validateConfigDocument(uri);
      if (notebooks.isNotebook(uri)) {
        await notebooks.validate(uri);
        return;
      }
      const current = await currentAnalysis(uri);
      if (!current) {
        if (documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
        return;
      }
      const { document, analysis } = current;
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics: analysis.diagnostics });
      sendStatus(uri, analysis);
    } catch (error) {
      connection.console.error(
        `model-lint: could not validate ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  /** An open config file: its problems are reported from the editor's text. */
  function validateConfigDocument(uri: string): void {
    configs.reportOpenConfig(uri);
  }

  function revalidateAll(): void {
    analyses.clear();
    notebooks.clear();
    if (pullDiagnostics) {
      if (canRefreshPulledDiagnostics) void connection.languages.diagnostics.refresh();
      for (const document of documents.all()) if (isConfigFileUri(document.uri)) void validateAndPush(document.uri);
      return;
    }
    for (const document of documents.all()) void validateAndPush(document.uri);
    for (const notebookUri of notebooks.openNotebooks()) void validateAndPush(notebookUri);
  }

  function settingsChanged(): void {
    settings.clear();
    revalidateAll();
  }

  const scheduler = new ValidationScheduler(VALIDATION_DELAY_MS, EDIT_QUIET_MS, (uri) => void validateAndPush(uri));

  connection.onInitialize((params): InitializeResult => {
    const capabilities = params.capabilities;
    pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
    canRefreshPulledDiagnostics = capabilities.workspace?.diagnostics?.refreshSupport === true;
    settings.setSupportsConfiguration(capabilities.workspace?.configuration === true);
    dynamicConfigurationRegistration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    dynamicWatchedFilesRegistration = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    editCapabilities.documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
    probeCommand.configure(params);
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        notebookDocumentSync: NOTEBOOK_DOCUMENT_SYNC,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_CODE_ACTION_KIND] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'model-lint-language-server', version: SERVER_VERSION },
    };
    // A client that runs probes itself gets no server command: vscode-languageclient would register it as a VS Code command.
    if (probeCommand.lensHandler === 'server') result.capabilities.executeCommandProvider = { commands: [ServerCommands.probe] };
    if (pullDiagnostics) {
      result.capabilities.diagnosticProvider = { identifier: 'model-lint', interFileDependencies: false, workspaceDiagnostics: false };
    }
    return result;
  });

  connection.onInitialized(() => {
    if (dynamicConfigurationRegistration)
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'modelLint' });
    if (dynamicWatchedFilesRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.modellintrc.json' }] });
    }
  });

  connection.onDidChangeConfiguration((params) => {
    // Clients without workspace/configuration (e.g. Neovim 0.7) push the settings here instead.
    settings.setPushedSettings(params.settings);
    settingsChanged();
  });
  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((change) => isConfigFileUri(change.uri))) settingsChanged();
  });

  // Fired for didOpen as well as didChange.
  documents.onDidChangeContent((event) => {
    const uri = event.document.uri;
    // Editing the config file changes the options of every document it governs.
    if (isConfigFileUri(uri)) {
      settingsChanged();
      return;
    }
    if (!pullDiagnostics) scheduler.schedule(uri);
  });
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    scheduler.cancel(uri);
    analyses.delete(uri);
    settings.delete(uri);
    if (isConfigFileUri(uri)) {
      settingsChanged();
      return;
    }
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params) => {
    const uri = params.textDocument.uri;
    try {
      if (notebooks.isCell(uri)) return { kind: DocumentDiagnosticReportKind.Full, items: await notebooks.pull(uri) };
      const current = isConfigFileUri(uri) ? null : await currentAnalysis(uri);
      if (current) sendStatus(uri, current.analysis);
      return { kind: DocumentDiagnosticReportKind.Full, items: current?.analysis.diagnostics ?? [] };
    } catch (error) {
      connection.console.error(`model-lint: could not validate ${uri}: ${String(error)}`);
      return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    }
  });

  connection.onCodeAction(async (params) => {
    try {
      if (notebooks.isCell(params.textDocument.uri)) return await notebooks.codeActions(params, editCapabilities.documentChanges);
      const current = await currentAnalysis(params.textDocument.uri);
      if (!current) return [];
      return codeActionsFor(current.document, current.analysis, current.settings.options, params, editCapabilities);
    } catch (error) {
      connection.console.error(`model-lint: code actions failed for ${params.textDocument.uri}: ${String(error)}`);
      return [];
    }
  });

  connection.onRequest(FixAllRequest.method, async (params: FixAllRequest.Params): Promise<FixAllRequest.Result> => {
    try {
      // In a notebook the whole notebook is fixed: the client applies the edit itself, over several cells if need be.
      if (notebooks.isCell(params.uri)) return ((await notebooks.fixAll(params.uri)) as FixAllRequest.Result) ?? null;
      const current = await currentAnalysis(params.uri);
      if (!current) return null;
      const edit = fixAllEdit(current.document, current.analysis, current.settings.options, { documentChanges: true });
      return (edit as FixAllRequest.Result) ?? null;
    } catch (error) {
      connection.console.error(`model-lint: fix all failed for ${params.uri}: ${String(error)}`);
      return null;
    }
  });

  connection.onHover(async (params) => {
    try {
      if (notebooks.isCell(params.textDocument.uri)) return await notebooks.hover(params.textDocument.uri, params.position);
      const current = await currentAnalysis(params.textDocument.uri);
      if (!current?.analysis.result) return null;
      return hoverAt(current.document, current.analysis.result, current.document.offsetAt(params.position));
    } catch (error) {
      connection.console.error(`model-lint: hover failed for ${params.textDocument.uri}: ${String(error)}`);
      return null;
    }
  });

  connection.onCodeLens(async (params) => {
    try {
      if (notebooks.isCell(params.textDocument.uri)) return await notebooks.codeLenses(params.textDocument.uri, probeCommand.lensHandler);
      const current = await currentAnalysis(params.textDocument.uri);
      if (!current?.analysis.result) return [];
      return codeLensesFor(current.document, current.analysis.result, current.settings.options, probeCommand.lensHandler);
    } catch (error) {
      connection.console.error(`model-lint: code lenses failed for ${params.textDocument.uri}: ${String(error)}`);
      return [];
    }
  });

  connection.onExecuteCommand(async (params, token, workDone) => {
    if (params.command !== ServerCommands.probe)
      throw new ResponseError(ErrorCodes.InvalidRequest, `model-lint: unknown command '${params.command}'.`);
    // Without a client token the library hands over a no-op reporter; the probe then creates its own progress.
    return probeCommand.execute(params.arguments, token, params.workDoneToken !== undefined ? workDone : undefined);
  });

  // Notebooks are validated in both modes: pushed per cell, or (pull) a refresh when another cell's diagnostics changed.
  notebooks.listen(
    (uri) => scheduler.schedule(uri),
    (uri) => scheduler.cancel(uri),
  );
  documents.listen(connection);
  connection.listen();
}

/** Version reported in serverInfo (the bundler inlines nothing; keep in step with package.json by the release). */
const SERVER_VERSION = '0.1.0';
