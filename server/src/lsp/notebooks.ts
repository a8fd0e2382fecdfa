// Jupyter notebooks over LSP 3.17 notebook sync: analysis per notebook, diagnostics pushed (or pulled) per cell URI.
import type {
  CodeAction,
  CodeActionParams,
  CodeLens,
  Connection,
  Diagnostic,
  Hover,
  NotebookDocument,
  NotebookDocumentSyncOptions,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { StatusNotification, type ProbeCommandHandler } from '../../../common/src/protocol';
import { isSkipped } from './diagnostics';
import type { ErrorLogger } from './documents';
import {
  NotebookAnalysisCache,
  cellCodeActions,
  cellCodeLenses,
  cellHover,
  moduleDocument,
  notebookFixAllEdit,
  type CellAnalysis,
  type NotebookDocumentAnalysis,
} from './notebookAnalysis';
import { NotebookStore } from './notebookSync';
import type { ResolvedSettings, SettingsCache } from './settings';

/** The notebooks the server reads: Jupyter notebooks, their Python cells (the client sends no other cells). */
export const NOTEBOOK_DOCUMENT_SYNC: NotebookDocumentSyncOptions = {
  notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }],
};

/** What a request on a cell works with: the notebook's current analysis, the cell in it, and the notebook's settings. */
export interface CellContext {
  analysis: NotebookDocumentAnalysis;
  cell: CellAnalysis;
  settings: ResolvedSettings;
}

/** Cell-URI → diagnostics key of what was last sent (pushed or pulled), to send only what changed. */
type SentDiagnostics = Map<string, { version: number; key: string }>;

/** Owns the open notebooks: their sync, analyses, and what each cell was last told. */
export class NotebookService {
  private readonly store: NotebookStore;
  private readonly analyses: NotebookAnalysisCache;
  /** Per notebook, what each cell URI was last sent (push mode: published; pull mode: answered). */
  private readonly sent = new Map<string, SentDiagnostics>();

  constructor(
    private readonly connection: Connection,
    private readonly settings: SettingsCache,
    private readonly logError: ErrorLogger,
    private readonly mode: { pull: () => boolean; canRefresh: () => boolean },
  ) {
    this.analyses = new NotebookAnalysisCache(logError);
    this.store = new NotebookStore(logError);
  }

  /** Starts listening for notebook sync; `changed` is called with a notebook's URI after it opened or changed. */
  listen(changed: (notebookUri: string) => void, closed: (notebookUri: string) => void): void {
    this.store.listen(this.connection, {
      opened: changed,
      changed: (uri, removed) => {
        // A removed cell is cleared at once and never published to again (its URI is no longer in the notebook).
        for (const cellUri of removed) this.clearCell(uri, cellUri);
        changed(uri);
      },
      closed: (uri) => {
        for (const cellUri of this.sent.get(uri)?.keys() ?? []) this.sendEmpty(cellUri);
        this.sent.delete(uri);
        this.analyses.delete(uri);
        this.settings.delete(uri);
        closed(uri);
      },
    });
  }

  /** Whether a URI is an open notebook. */
  isNotebook(uri: string): boolean {
    return this.store.notebook(uri) !== undefined;
  }

  /** Whether a URI is a cell of an open notebook. */
  isCell(uri: string): boolean {
    return this.store.notebookOfCell(uri) !== undefined;
  }

  /** Forgets every analysis (settings changed). */
  clear(): void {
    this.analyses.clear();
  }

  /** URIs of the open notebooks. */
  openNotebooks(): string[] {
    return this.store.openNotebooks();
  }

  /** The current analysis of a notebook with its settings; null when closed or disabled. */
  async current(notebookUri: string): Promise<{ analysis: NotebookDocumentAnalysis; settings: ResolvedSettings } | null> {
    if (!this.isNotebook(notebookUri)) return null;
    const settings = await this.settings.get(notebookUri);
    // The notebook may have changed or closed while the settings were fetched: what is analysed is its state now.
    const notebook = this.store.notebook(notebookUri);
    if (notebook === undefined || !settings.enable) return null;
    return { analysis: this.analyses.get(notebook, (uri) => this.store.cellDocument(uri), settings.options), settings };
  }

  /** The context of a request on a cell; null when the URI is no cell of an open notebook, or model-lint is off. */
  async cellContext(cellUri: string): Promise<CellContext | null> {
    const notebook: NotebookDocument | undefined = this.store.notebookOfCell(cellUri);
    if (notebook === undefined) return null;
    const current = await this.current(notebook.uri);
    const cell = current?.analysis.byUri.get(cellUri);
    return current && cell ? { ...current, cell } : null;
  }

  /**
   * Validates a notebook after a change. Push: every cell whose diagnostics or version changed gets a publish (empty
   * when clean), cells that left the Python set an empty one. Pull: a diagnostics refresh when any cell's changed.
   */
  async validate(notebookUri: string): Promise<NotebookDocumentAnalysis | null> {
    try {
      const current = await this.current(notebookUri);
      const sent = this.sentFor(notebookUri);
      if (current === null) {
        if (!this.mode.pull()) for (const cellUri of [...sent.keys()]) this.clearCell(notebookUri, cellUri);
        return null;
      }
      const { analysis } = current;
      if (this.mode.pull()) {
        // Only cells the client pulled can be stale there; it pulls the others when it shows them.
        const stale = analysis.cells.some((cell) => {
          const last = sent.get(cell.uri);
          return cell.analysed && last !== undefined && last.key !== JSON.stringify(cell.diagnostics);
        });
        if (stale && this.mode.canRefresh()) void this.connection.languages.diagnostics.refresh();
        this.sendStatus(analysis);
        return analysis;
      }
      const analysed = new Set<string>();
      for (const cell of analysis.cells) {
        if (!cell.analysed) continue;
        analysed.add(cell.uri);
        const key = JSON.stringify(cell.diagnostics);
        const last = sent.get(cell.uri);
        if (last !== undefined && last.version === cell.document.version && last.key === key) continue;
        sent.set(cell.uri, { version: cell.document.version, key });
        void this.connection.sendDiagnostics({
          uri: cell.uri,
          version: cell.document.version,
          diagnostics: cell.diagnostics,
        });
      }
      for (const cellUri of [...sent.keys()]) if (!analysed.has(cellUri)) this.clearCell(notebookUri, cellUri);
      this.sendStatus(analysis);
      return analysis;
    } catch (error) {
      this.logError(
        `model-lint: could not validate ${notebookUri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return null;
    }
  }

  /** Pulled diagnostics of a cell (recorded, so a later change that alters them asks the client to pull again). */
  async pull(cellUri: string): Promise<Diagnostic[]> {
    const context = await this.cellContext(cellUri);
    if (context === null) return [];
    this.sentFor(context.analysis.uri).set(cellUri, {
      version: context.cell.document.version,
      key: JSON.stringify(context.cell.diagnostics),
    });
    return context.cell.diagnostics;
  }

  async codeActions(params: CodeActionParams, versioned: boolean): Promise<CodeAction[]> {
    const context = await this.cellContext(params.textDocument.uri);
    return context === null ? [] : cellCodeActions(context.analysis, context.cell, context.settings.options, params, versioned);
  }

  /** Every safe fix of the notebook a cell is in, as one versioned edit of the cells it changes (the palette's fix-all). */
  async fixAll(cellUri: string): Promise<WorkspaceEdit | null> {
    const context = await this.cellContext(cellUri);
    return context === null ? null : notebookFixAllEdit(context.analysis, context.settings.options, true);
  }

  async hover(cellUri: string, position: { line: number; character: number }): Promise<Hover | null> {
    const context = await this.cellContext(cellUri);
    return context === null ? null : cellHover(context.analysis, context.cell, context.cell.document.offsetAt(position));
  }

  async codeLenses(cellUri: string, handler: ProbeCommandHandler): Promise<CodeLens[]> {
    const context = await this.cellContext(cellUri);
    return context === null ? [] : cellCodeLenses(context.analysis, context.cell, context.settings.options, handler);
  }

  /** What the probe command reads for a cell's lens: the notebook's module as one Python document. */
  async probeTarget(
    cellUri: string,
  ): Promise<{ document: TextDocument; analysis: NotebookDocumentAnalysis; settings: ResolvedSettings } | null> {
    const context = await this.cellContext(cellUri);
    return context === null ? null : { document: moduleDocument(context.analysis), analysis: context.analysis, settings: context.settings };
  }

  /** The notebook's status, after its cells were published: its URI, version, problem count and the engine's time. */
  private sendStatus(analysis: NotebookDocumentAnalysis): void {
    const params: StatusNotification.Params = {
      uri: analysis.uri,
      version: analysis.version,
      problemCount: analysis.cells.reduce((count, cell) => count + cell.diagnostics.filter((d) => d.code !== undefined).length, 0),
      state: analysis.result === null ? 'error' : isSkipped(analysis.result) ? 'skipped' : 'ok',
      analysisMs: Math.round(analysis.analysisMs * 10) / 10,
    };
    void this.connection.sendNotification(StatusNotification.method, params);
  }

  private sentFor(notebookUri: string): SentDiagnostics {
    let sent = this.sent.get(notebookUri);
    if (sent === undefined) this.sent.set(notebookUri, (sent = new Map()));
    return sent;
  }

  /** Clears a cell that left the notebook (or its Python cells): one empty publish in push mode, if it was ever published. */
  private clearCell(notebookUri: string, cellUri: string): void {
    const sent = this.sent.get(notebookUri);
    if (sent?.delete(cellUri) && !this.mode.pull()) this.sendEmpty(cellUri);
  }

  private sendEmpty(cellUri: string): void {
    if (!this.mode.pull()) void this.connection.sendDiagnostics({ uri: cellUri, diagnostics: [] });
  }
}
