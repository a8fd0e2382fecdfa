// What the probe reads for a document: its text, or for a Jupyter notebook (or one of its cells) the Python code cells
// joined in order as one module, exactly as the language server reads them, so a lens's model index means the same model.
import * as vscode from 'vscode';
import { notebookModule, type NotebookModule } from '../../common/src/notebookCells';

/** Where a line of a notebook's module is: the cell (counted from 1 over all cells, as editors show them) and its line. */
export interface CellPlace {
  cell: vscode.NotebookCell;
  /** 1-based line within the cell. */
  line: number;
}

/** The text one probe runs on. */
export interface ProbeSource {
  /** The document or notebook probed (a cell's URI becomes its notebook's). */
  uri: vscode.Uri;
  /** The name shown for it (a notebook's path for its cells). */
  displayName: string;
  text: string;
  /** The name the engine reads the text under: a notebook's module is read as Python. */
  fileName: string;
  /** For a notebook: the cell and line of a 1-based module line; undefined for a plain document. */
  placeOfLine?: (line: number) => CellPlace | undefined;
}

/** The open notebook that is, or holds the cell, `uri`. */
function openNotebookOf(uri: vscode.Uri): vscode.NotebookDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.notebookDocuments.find(
    (notebook) => notebook.uri.toString() === key || notebook.getCells().some((cell) => cell.document.uri.toString() === key),
  );
}

/** The probe's text for a document URI, a notebook URI or a notebook cell URI. */
export async function probeSourceOf(uri: vscode.Uri): Promise<ProbeSource> {
  const notebook =
    openNotebookOf(uri) ??
    (uri.scheme !== 'vscode-notebook-cell' && /\.ipynb$/i.test(uri.path) ? await vscode.workspace.openNotebookDocument(uri) : undefined);
  if (!notebook) {
    const document = await vscode.workspace.openTextDocument(uri);
    return { uri, displayName: document.fileName, text: document.getText(), fileName: document.fileName };
  }
  const cells = notebook.getCells();
  const module = notebookModule(
    cells.map((cell) => ({
      text: cell.document.getText(),
      isPythonCode: cell.kind === vscode.NotebookCellKind.Code && cell.document.languageId === 'python',
    })),
  );
  return {
    uri: notebook.uri,
    displayName: notebook.uri.fsPath,
    text: module.text,
    fileName: `${notebook.uri.fsPath}.py`,
    placeOfLine: (line) => placeOfModuleLine(module, cells, line),
  };
}

/** The cell and line in it of a 1-based module line; undefined past the module. */
function placeOfModuleLine(module: NotebookModule, cells: readonly vscode.NotebookCell[], line: number): CellPlace | undefined {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = module.text.indexOf('\n', offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  const moduleCell = module.cells.find((candidate) => offset >= candidate.start && offset <= candidate.end);
  const cell = moduleCell && cells[moduleCell.index];
  if (!moduleCell || !cell) return undefined;
  const linesBefore = module.text.slice(moduleCell.start, offset).split('\n').length;
  return { cell, line: linesBefore };
}

/** Labels ("cell 3, line 2") of the module lines a report names, for the panel; empty for a plain document. */
export function lineLabelsOf(source: ProbeSource, lines: Iterable<number | null>): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!source.placeOfLine) return labels;
  for (const line of lines) {
    if (line === null || Object.hasOwn(labels, String(line))) continue;
    const place = source.placeOfLine(line);
    if (place) labels[String(line)] = `cell ${place.cell.index + 1}, line ${place.line}`;
  }
  return labels;
}
