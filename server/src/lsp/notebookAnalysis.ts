// A notebook's analysis as the server publishes it: one engine run over its Python cells, results per cell URI.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  MarkupKind,
  NotebookCellKind,
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type Diagnostic,
  type Hover,
  type NotebookDocument,
  type TextDocumentEdit,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProbeCommandHandler } from '../../../common/src/protocol';
import {
  analyzeNotebook,
  moduleOffset,
  notebookModuleFileName,
  spanInCell,
  type CellEdit,
  type NotebookDiagnostic,
  type NotebookModule,
} from '../engine/notebook';
import { fixNotebookUntilStable } from '../engine/notebookFixes';
import type { NotebookCellInput } from '../engine/notebook';
import type { AnalysisResult, AnalyzeOptions } from '../engine/types';
import { FIX_ALL_TITLE, codeActionsOf, minimalEdit, toLspEdits } from './codeActions';
import { codeLensesFor } from './codeLens';
import { fixKeyOf, isSkipped, skippedFileDiagnostic, toLspDiagnostic } from './diagnostics';
import { RecentParsers, type ErrorLogger } from './documents';
import { layerHoverAt } from './hover';

/** Incremental parsers are kept for this many notebooks, the ones analysed last (as for text documents). */
const INCREMENTAL_NOTEBOOKS = 4;

/** One cell of an analysed notebook: its document as analysed and what is published for it. */
export interface CellAnalysis {
  uri: string;
  /** Index of the cell in the notebook's cell list. */
  index: number;
  document: TextDocument;
  /** Whether the cell is a Python code cell (others are not analysed and get no diagnostics). */
  analysed: boolean;
  diagnostics: Diagnostic[];
  /** The notebook problem behind each published diagnostic, by fix key. */
  problemsByKey: Map<string, NotebookDiagnostic>;
}

/** The outcome of analysing one state of a notebook. */
export interface NotebookDocumentAnalysis {
  uri: string;
  version: number;
  /** The cells' URIs and versions the analysis was made from (the cache key). */
  signature: string;
  module: NotebookModule;
  /** null when the analysis threw (logged). */
  result: AnalysisResult | null;
  cells: CellAnalysis[];
  byUri: Map<string, CellAnalysis>;
  analysisMs: number;
}

/** A file name for the engine: the notebook's path when its URI is a file. */
export function notebookFileName(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(uri.replace(/^[a-z-]+:\/*/i, ''));
  } catch {
    return uri;
  }
}

/** The notebook's module as one Python document (what the probe reads): its URI is the notebook's. */
export function moduleDocument(analysis: NotebookDocumentAnalysis): TextDocument {
  return TextDocument.create(analysis.uri, 'python', analysis.version, analysis.module.text);
}

/** The cell documents of a notebook, in order; a cell whose document is missing (a client bug) reads as empty. */
export type CellDocuments = (uri: string) => TextDocument | undefined;

function cellInputs(notebook: NotebookDocument, documents: CellDocuments): { inputs: NotebookCellInput[]; cells: TextDocument[] } {
  const cells = notebook.cells.map((cell) => documents(cell.document) ?? TextDocument.create(cell.document, 'plaintext', 0, ''));
  const inputs = notebook.cells.map((cell, index) => ({
    text: cells[index]!.getText(),
    isPythonCode: cell.kind === NotebookCellKind.Code && cells[index]!.languageId === 'python',
  }));
  return { inputs, cells };
}

/** Caches the last analysis per notebook; a change of any cell, the cell list or the options recomputes it. */
export class NotebookAnalysisCache {
  private readonly entries = new Map<string, { options: AnalyzeOptions; analysis: NotebookDocumentAnalysis }>();
  private readonly parsers = new RecentParsers(INCREMENTAL_NOTEBOOKS);

  constructor(private readonly logError: ErrorLogger) {}

  /** The analysis of the notebook's current cells with these options, computed at most once per state. */
  get(notebook: NotebookDocument, documents: CellDocuments, options: AnalyzeOptions): NotebookDocumentAnalysis {
    const signature = notebook.cells.map((cell) => `${cell.kind}:${cell.document}@${documents(cell.document)?.version ?? -1}`).join('|');
    const cached = this.entries.get(notebook.uri);
    if (cached && cached.options === options && cached.analysis.signature === signature) {
      if (cached.analysis.version === notebook.version) return cached.analysis;
      // A notebook change that changed no cell (metadata, outputs): the same analysis, for the new notebook version.
      cached.analysis = { ...cached.analysis, version: notebook.version, analysisMs: 0 };
      return cached.analysis;
    }
    const analysis = this.compute(notebook, documents, options, signature);
    this.entries.set(notebook.uri, { options, analysis });
    return analysis;
  }

  /** Forgets a closed notebook. */
  delete(uri: string): void {
    this.entries.delete(uri);
    this.parsers.delete(uri);
  }

  /** Forgets every notebook's analysis (settings changed). */
  clear(): void {
    this.entries.clear();
  }

  private compute(
    notebook: NotebookDocument,
    documents: CellDocuments,
    options: AnalyzeOptions,
    signature: string,
  ): NotebookDocumentAnalysis {
    const { inputs, cells: cellDocuments } = cellInputs(notebook, documents);
    const cells: CellAnalysis[] = notebook.cells.map((cell, index) => ({
      uri: cell.document,
      index,
      document: cellDocuments[index]!,
      analysed: inputs[index]!.isPythonCode,
      diagnostics: [],
      problemsByKey: new Map(),
    }));
    const base = {
      uri: notebook.uri,
      version: notebook.version,
      signature,
      cells,
      byUri: new Map(cells.map((cell) => [cell.uri, cell])),
    };
    try {
      const started = performance.now();
      const analysis = analyzeNotebook(inputs, notebookFileName(notebook.uri), options, this.parsers.get(notebook.uri).parsePython);
      const analysisMs = performance.now() - started;
      if (isSkipped(analysis.result)) {
        // A skipped module (too large, binary) says so once, in its first Python cell.
        const first = cells.find((cell) => cell.analysed);
        const note = analysis.result.notes.find((n) => n.span === undefined);
        if (first && note) first.diagnostics.push(skippedFileDiagnostic(note.message));
      } else {
        for (const problem of analysis.diagnostics) {
          const cell = cells[problem.at.cell];
          if (cell === undefined) continue;
          const diagnostic = toLspDiagnostic(cell.document, {
            ...problem.diagnostic,
            span: { start: problem.at.start, end: problem.at.end },
          });
          cell.diagnostics.push(diagnostic);
          cell.problemsByKey.set(fixKeyOf(diagnostic), problem);
        }
      }
      return { ...base, module: analysis.module, result: analysis.result, analysisMs };
    } catch (error) {
      this.logError(
        `model-lint: internal error while analysing ${notebook.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return { ...base, module: { text: '', cells: [] }, result: null, analysisMs: 0 };
    }
  }
}

/** Cell edits as one WorkspaceEdit over the cells' URIs, each cell's edits versioned with the cell's version. */
function cellsEdit(analysis: NotebookDocumentAnalysis, edits: readonly CellEdit[], versioned: boolean): WorkspaceEdit | null {
  const byCell = new Map<number, CellEdit[]>();
  for (const edit of edits) byCell.set(edit.cell, [...(byCell.get(edit.cell) ?? []), edit]);
  const changes: { cell: CellAnalysis; edits: LspTextEdit[] }[] = [];
  for (const [index, cellEdits] of byCell) {
    const cell = analysis.cells[index];
    if (cell === undefined) return null;
    changes.push({ cell, edits: toLspEdits(cell.document, cellEdits) });
  }
  if (versioned)
    return {
      documentChanges: changes.map(({ cell, edits }): TextDocumentEdit => ({
        textDocument: { uri: cell.uri, version: cell.document.version },
        edits,
      })),
    };
  return { changes: Object.fromEntries(changes.map(({ cell, edits }) => [cell.uri, edits])) };
}

/**
 * The edit applying every safe fix of the notebook, each changed cell as one minimal edit; null when there is none.
 * With `onlyCell` (a cell index), only the fixes that change that cell alone: the edit then touches that cell only.
 */
export function notebookFixAllEdit(
  analysis: NotebookDocumentAnalysis,
  options: AnalyzeOptions,
  versioned: boolean,
  onlyCell?: number,
): WorkspaceEdit | null {
  if (!analysis.cells.some((cell) => [...cell.problemsByKey.values()].some((problem) => problem.fix !== null))) return null;
  const inputs = analysis.cells.map((cell) => ({ text: cell.document.getText(), isPythonCode: cell.analysed }));
  const fixed = fixNotebookUntilStable(inputs, notebookFileName(analysis.uri), options, undefined, onlyCell);
  const edits: CellEdit[] = [];
  fixed.texts.forEach((text, index) => {
    if (text !== inputs[index]!.text) edits.push({ cell: index, ...minimalEdit(inputs[index]!.text, text) });
  });
  return edits.length === 0 ? null : cellsEdit(analysis, edits, versioned);
}

/**
 * Code actions for a request in one cell: quick fixes and suggestions (possibly editing other cells), disable-line, docs,
 * fix-all of the notebook; the source fix-all of the cell alone.
 */
export function cellCodeActions(
  analysis: NotebookDocumentAnalysis,
  cell: CellAnalysis,
  options: AnalyzeOptions,
  params: CodeActionParams,
  versioned: boolean,
): CodeAction[] {
  const asEdit = (title: string, edits: readonly CellEdit[]): { title: string; edit: WorkspaceEdit }[] => {
    const edit = cellsEdit(analysis, edits, versioned);
    return edit === null ? [] : [{ title, edit }];
  };
  return codeActionsOf(
    {
      document: cell.document,
      capabilities: { documentChanges: versioned },
      problemOf: (diagnostic) => {
        const problem = cell.problemsByKey.get(fixKeyOf(diagnostic));
        if (!problem) return null;
        const fix =
          problem.fix !== null && problem.diagnostic.fix !== null ? (asEdit(problem.diagnostic.fix.title, problem.fix)[0] ?? null) : null;
        return {
          ruleId: problem.diagnostic.ruleId,
          fix,
          suggestions: problem.suggestions.flatMap((suggestion) => asEdit(suggestion.title, suggestion.edits)),
        };
      },
      fixAll: () => notebookFixAllEdit(analysis, options, versioned),
      // VS Code applies a fix-all on save (editor.codeActionsOnSave) only when it changes the saved cell alone.
      sourceFixAll: () => notebookFixAllEdit(analysis, options, versioned, cell.index),
      fixAllTitle: FIX_ALL_TITLE.replace('file', 'notebook'),
      sourceFixAllTitle: FIX_ALL_TITLE.replace('file', 'cell'),
    },
    params,
  );
}

/** The hover at an offset of a cell: the layer found in the module; its range only when the layer starts in this cell. */
export function cellHover(analysis: NotebookDocumentAnalysis, cell: CellAnalysis, offset: number): Hover | null {
  if (analysis.result === null) return null;
  const at = moduleOffset(analysis.module, cell.index, offset);
  if (at === null) return null;
  const found = layerHoverAt(analysis.result, at);
  if (found === null) return null;
  const hover: Hover = { contents: { kind: MarkupKind.Markdown, value: found.markdown } };
  const span = spanInCell(analysis.module, found.span);
  if (span !== null && span.cell === cell.index)
    hover.range = { start: cell.document.positionAt(span.start), end: cell.document.positionAt(span.end) };
  return hover;
}

/** The lenses of one cell: those of the models whose definition starts in it. */
export function cellCodeLenses(
  analysis: NotebookDocumentAnalysis,
  cell: CellAnalysis,
  options: AnalyzeOptions,
  handler: ProbeCommandHandler,
): CodeLens[] {
  if (analysis.result === null) return [];
  return codeLensesFor(cell.document, analysis.result, options, handler, (offset) => {
    const span = spanInCell(analysis.module, { start: offset, end: offset });
    return span !== null && span.cell === cell.index ? cell.document.positionAt(span.start) : null;
  });
}

/** The module's file name for the engine and the probe. */
export function notebookEngineFileName(uri: string): string {
  return notebookModuleFileName(notebookFileName(uri));
}
