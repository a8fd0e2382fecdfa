// Notebook document sync for the test client: open, edit, add, remove and move cells as an LSP 3.17 client sends them.
import type { Diagnostic, TextDocumentContentChangeEvent, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LspTestClient } from './lspClient';

/** A cell as the test writes it. */
export interface TestCell {
  kind: 'code' | 'markdown';
  text: string;
  /** Language id of a code cell (python unless said). */
  language?: string;
}

/** One open notebook on the client side: its cells in order, each a text document with its own URI. */
export class TestNotebook {
  version = 1;
  /** Cell URIs in notebook order. */
  cells: { uri: string; kind: 1 | 2 }[] = [];
  private nextCell = 0;

  private constructor(
    readonly client: LspTestClient,
    readonly uri: string,
  ) {}

  /** Sends notebookDocument/didOpen with every cell. */
  static async open(client: LspTestClient, uri: string, cells: readonly TestCell[]): Promise<TestNotebook> {
    const notebook = new TestNotebook(client, uri);
    const items = cells.map((cell) => notebook.makeCell(cell));
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri,
        notebookType: 'jupyter-notebook',
        version: notebook.version,
        cells: items.map((item) => item.cell),
      },
      cellTextDocuments: items.map((item) => item.textDocument),
    });
    notebook.cells = items.map((item) => ({ uri: item.cell.document, kind: item.cell.kind }));
    return notebook;
  }

  /** URI of the cell at an index. */
  cellUri(index: number): string {
    return this.cells[index]!.uri;
  }

  /** Current text of a cell. */
  text(index: number): string {
    return this.client.documents.get(this.cellUri(index))!.getText();
  }

  /** The pushed diagnostics of a cell for its current version (waits for them). */
  diagnostics(index: number, timeoutMs?: number): Promise<Diagnostic[]> {
    const uri = this.cellUri(index);
    return this.client.waitForPublished(uri, this.client.documents.get(uri)!.version, timeoutMs);
  }

  /** Resolves once the server reported the notebook's current version analysed (its status follows the cells' publishes). */
  settled(timeoutMs?: number): Promise<void> {
    const version = this.version;
    return this.client
      .waitFor(
        () =>
          this.client.statuses.some(
            (s) => (s as { uri: string; version: number }).uri === this.uri && (s as { version: number }).version === version,
          )
            ? true
            : undefined,
        timeoutMs,
        `notebook ${this.uri} v${version} analysed`,
      )
      .then(() => undefined);
  }

  /** The latest pushed diagnostics of a cell, whatever version they were published for. */
  latest(index: number): Diagnostic[] | undefined {
    const list = this.client.published.get(this.cellUri(index));
    return list?.[list.length - 1]?.diagnostics;
  }

  /** Changes the text of one cell (incremental changes, as editors send them). */
  async changeCell(index: number, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const uri = this.cellUri(index);
    const document = this.client.documents.get(uri)!;
    const version = document.version + 1;
    TextDocument.update(document, changes, version);
    await this.send({ cells: { textContent: [{ document: { uri, version }, changes }] } });
    return version;
  }

  /** Replaces the first occurrence of `search` in a cell. */
  async replaceInCell(index: number, search: string, replacement: string): Promise<number> {
    const document = this.client.documents.get(this.cellUri(index))!;
    const at = document.getText().indexOf(search);
    if (at < 0) throw new Error(`'${search}' is not in cell ${index}`);
    return this.changeCell(index, [
      { range: { start: document.positionAt(at), end: document.positionAt(at + search.length) }, text: replacement },
    ]);
  }

  /** Inserts cells at an index. */
  async addCells(at: number, cells: readonly TestCell[]): Promise<void> {
    const items = cells.map((cell) => this.makeCell(cell));
    await this.send({
      cells: {
        structure: {
          array: { start: at, deleteCount: 0, cells: items.map((item) => item.cell) },
          didOpen: items.map((item) => item.textDocument),
        },
      },
    });
    this.cells.splice(at, 0, ...items.map((item) => ({ uri: item.cell.document, kind: item.cell.kind })));
  }

  /** Removes `count` cells at an index (their documents are closed). */
  async removeCells(at: number, count = 1): Promise<string[]> {
    const removed = this.cells.slice(at, at + count);
    this.cells.splice(at, count);
    for (const cell of removed) this.client.documents.delete(cell.uri);
    await this.send({
      cells: {
        structure: { array: { start: at, deleteCount: count }, didClose: removed.map((cell) => ({ uri: cell.uri })) },
      },
    });
    return removed.map((cell) => cell.uri);
  }

  /** Moves a cell (its document stays open): one splice that takes it out and puts it back elsewhere. */
  async moveCell(from: number, to: number): Promise<void> {
    const order = [...this.cells];
    const [moved] = order.splice(from, 1);
    order.splice(to, 0, moved!);
    const start = Math.min(from, to);
    const end = Math.max(from, to) + 1;
    await this.send({
      cells: {
        structure: {
          array: {
            start,
            deleteCount: end - start,
            cells: order.slice(start, end).map((cell) => ({ kind: cell.kind, document: cell.uri })),
          },
        },
      },
    });
    this.cells = order;
  }

  /** Applies a WorkspaceEdit over cell URIs, as one notebook change with a text change per cell. */
  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    const byUri = new Map<string, { range: TextDocumentContentChangeEvent & object; newText: string }[]>();
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change)) throw new Error('only text edits are expected');
      const document = this.client.documents.get(change.textDocument.uri);
      if (!document) throw new Error(`the edit is for ${change.textDocument.uri}, which is no open cell`);
      if (change.textDocument.version !== null && change.textDocument.version !== document.version) {
        throw new Error(`edit is for version ${change.textDocument.version}, the cell is at ${document.version}`);
      }
      byUri.set(change.textDocument.uri, change.edits as never);
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) byUri.set(uri, edits as never);
    const textContent = [...byUri].map(([uri, edits]) => {
      const document = this.client.documents.get(uri)!;
      const ordered = [
        ...(edits as unknown as {
          range: { start: { line: number; character: number }; end: { line: number; character: number } };
          newText: string;
        }[]),
      ].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
      const changes = ordered.map((e) => ({ range: e.range, text: e.newText }));
      const version = document.version + 1;
      TextDocument.update(document, changes, version);
      return { document: { uri, version }, changes };
    });
    await this.send({ cells: { textContent } });
  }

  /** notebookDocument/didClose. */
  async close(): Promise<void> {
    await this.client.connection.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: this.uri },
      cellTextDocuments: this.cells.map((cell) => ({ uri: cell.uri })),
    });
    for (const cell of this.cells) this.client.documents.delete(cell.uri);
  }

  /** Sends one notebookDocument/didChange. */
  async send(change: unknown): Promise<void> {
    this.version++;
    await this.client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: this.uri, version: this.version },
      change,
    });
  }

  private makeCell(cell: TestCell): {
    cell: { kind: 1 | 2; document: string };
    textDocument: { uri: string; languageId: string; version: number; text: string };
  } {
    const uri = `vscode-notebook-cell:${this.uri.replace(/^file:/, '')}#cell${this.nextCell++}`;
    const languageId = cell.kind === 'markdown' ? 'markdown' : (cell.language ?? 'python');
    this.client.documents.set(uri, TextDocument.create(uri, languageId, 1, cell.text));
    return {
      cell: { kind: cell.kind === 'markdown' ? 1 : 2, document: uri },
      textDocument: { uri, languageId, version: 1, text: cell.text },
    };
  }
}
