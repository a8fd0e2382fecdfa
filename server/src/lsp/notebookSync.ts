// The open notebooks and their cell documents, kept from LSP 3.17 notebookDocument/didOpen, didChange and didClose.
import type {
  Connection,
  DidChangeNotebookDocumentParams,
  DidCloseNotebookDocumentParams,
  DidOpenNotebookDocumentParams,
  NotebookCell,
  NotebookDocument,
  TextDocumentItem,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ErrorLogger } from './documents';

/** What the store reports after a notification was applied. */
export interface NotebookEvents {
  opened(notebookUri: string): void;
  /** `removed`: cell URIs that are no longer in the notebook. */
  changed(notebookUri: string, removed: string[]): void;
  closed(notebookUri: string, cellUris: string[]): void;
}

/**
 * Keeps every open notebook's cell list and cell documents. (vscode-languageserver's NotebookDocuments reports no
 * event for a cell moved without being reopened and keeps removed cells in its cell map; this store does neither.)
 * A malformed notification is logged and leaves the notebook as it was as far as it could be read.
 */
export class NotebookStore {
  private readonly notebooks = new Map<string, NotebookDocument>();
  private readonly owners = new Map<string, string>();
  private readonly documents = new Map<string, TextDocument>();

  constructor(private readonly logError: ErrorLogger) {}

  /** An open notebook by URI. */
  notebook(uri: string): NotebookDocument | undefined {
    return this.notebooks.get(uri);
  }

  /** The open notebook a cell URI belongs to now. */
  notebookOfCell(cellUri: string): NotebookDocument | undefined {
    const owner = this.owners.get(cellUri);
    return owner === undefined ? undefined : this.notebooks.get(owner);
  }

  /** A cell's text document. */
  cellDocument(cellUri: string): TextDocument | undefined {
    return this.documents.get(cellUri);
  }

  /** URIs of the open notebooks. */
  openNotebooks(): string[] {
    return [...this.notebooks.keys()];
  }

  /** Registers the notebook sync handlers on the connection. */
  listen(connection: Connection, events: NotebookEvents): void {
    const sync = connection.notebooks.synchronization;
    sync.onDidOpenNotebookDocument((params) => this.guard('open', () => this.open(params, events)));
    sync.onDidChangeNotebookDocument((params) => this.guard('change', () => this.change(params, events)));
    sync.onDidCloseNotebookDocument((params) => this.guard('close', () => this.close(params, events)));
    sync.onDidSaveNotebookDocument(() => undefined);
  }

  private guard(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.logError(
        `model-lint: could not apply a notebook ${what} notification: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private open(params: DidOpenNotebookDocumentParams, events: NotebookEvents): void {
    const { notebookDocument } = params;
    if (this.notebooks.has(notebookDocument.uri))
      this.close({ notebookDocument: { uri: notebookDocument.uri }, cellTextDocuments: [] }, events);
    for (const item of params.cellTextDocuments ?? []) this.openCell(item);
    const notebook: NotebookDocument = { ...notebookDocument, cells: [...(notebookDocument.cells ?? [])] };
    this.notebooks.set(notebook.uri, notebook);
    for (const cell of notebook.cells) this.owners.set(cell.document, notebook.uri);
    events.opened(notebook.uri);
  }

  private change(params: DidChangeNotebookDocumentParams, events: NotebookEvents): void {
    const notebook = this.notebooks.get(params.notebookDocument.uri);
    if (notebook === undefined) return;
    const before = new Set(notebook.cells.map((cell) => cell.document));
    notebook.version = params.notebookDocument.version;
    const change = params.change ?? {};
    if (change.metadata !== undefined) notebook.metadata = change.metadata;
    const cells = change.cells;
    if (cells?.structure !== undefined) {
      const { array } = cells.structure;
      const start = Math.max(0, Math.min(array.start, notebook.cells.length));
      notebook.cells.splice(start, Math.max(0, array.deleteCount), ...(array.cells ?? []));
      for (const item of cells.structure.didOpen ?? []) this.openCell(item);
      for (const closed of cells.structure.didClose ?? []) this.documents.delete(closed.uri);
    }
    for (const updated of cells?.data ?? []) {
      const index = notebook.cells.findIndex((cell) => cell.document === updated.document);
      if (index >= 0) notebook.cells[index] = updated;
    }
    for (const { document, changes } of cells?.textContent ?? []) {
      const cell = this.documents.get(document.uri);
      if (cell !== undefined) TextDocument.update(cell, changes, document.version);
    }
    const after = new Set(notebook.cells.map((cell: NotebookCell) => cell.document));
    const removed = [...before].filter((uri) => !after.has(uri));
    for (const uri of removed) {
      this.owners.delete(uri);
      this.documents.delete(uri);
    }
    for (const uri of after) this.owners.set(uri, notebook.uri);
    events.changed(notebook.uri, removed);
  }

  private close(params: DidCloseNotebookDocumentParams, events: NotebookEvents): void {
    const notebook = this.notebooks.get(params.notebookDocument.uri);
    if (notebook === undefined) return;
    this.notebooks.delete(notebook.uri);
    const cellUris = notebook.cells.map((cell) => cell.document);
    for (const uri of [...cellUris, ...(params.cellTextDocuments ?? []).map((cell) => cell.uri)]) {
      if (this.owners.get(uri) === notebook.uri) this.owners.delete(uri);
      this.documents.delete(uri);
    }
    events.closed(notebook.uri, cellUris);
  }

  private openCell(item: TextDocumentItem): void {
    this.documents.set(item.uri, TextDocument.create(item.uri, item.languageId, item.version, item.text));
  }
}
