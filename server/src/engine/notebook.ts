// Jupyter notebooks: the code cells, in order, are one Python module; results are mapped back into the cells.
import { analyze, parseModels, type ModelParser } from './analyze';
import type { Span } from './ir';
import type { AnalysisResult, AnalyzeOptions, EngineDiagnostic, Fix, TextEdit } from './types';

/** One cell as the editor or the .ipynb file has it; only code cells of language Python are analysed. */
export interface NotebookCellInput {
  text: string;
  /** False for markdown and raw cells and for code cells of another language: they are skipped. */
  isPythonCode: boolean;
}

/** Where one analysed cell sits in the module text. */
export interface ModuleCell {
  /** Index of the cell in the input list (markdown cells counted). */
  index: number;
  /** Offset of the cell's first character in the module text. */
  start: number;
  /** Offset just past the cell's text in the module text (a newline is put between cells). */
  end: number;
  /** Whether the cell's own text ends with a line break. */
  endsWithNewline: boolean;
}

/** The module the engine reads: the cells' texts with IPython-only lines made neutral, same lengths. */
export interface NotebookModule {
  text: string;
  cells: ModuleCell[];
}

/** A span inside one cell (offsets into that cell's text). */
export interface CellSpan {
  cell: number;
  start: number;
  end: number;
}

/** Cell magics whose body is still Python (`%%time` then code); any other cell magic makes the cell non-Python. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'profile', 'memit', 'autoreload']);

/** A line that only IPython understands: `%magic`, `!shell`, `x = !cmd`, `x = %magic`, `name?`, `?name`. */
const IPYTHON_LINE = /^([ \t]*)(?:[%!]|\?{1,2}[\w.]+[ \t]*$|[\w.]+\?{1,2}[ \t]*$)/;
const IPYTHON_ASSIGNMENT = /^([ \t]*[\w.]+[ \t]*=[ \t]*)[%!]/;

/** Python that stands for an IPython-only line: `...` (a statement, so an indented block stays valid) padded to the same length. */
function neutral(line: string, keep: number): string {
  const rest = line.length - keep;
  if (rest >= 3) return line.slice(0, keep) + '...' + ' '.repeat(rest - 3);
  return line.slice(0, keep) + ' '.repeat(rest);
}

/**
 * The cell's text as Python the front end can read, with every offset kept: IPython magics, shell escapes and help
 * lines become `...` or blanks of the same length; a cell magic with a non-Python body blanks the whole cell.
 */
export function neutralizeIPython(text: string): string {
  if (!/[%!?]/.test(text)) return text;
  const lines = text.split(/(\r\n|\r|\n)/); // even entries are lines, odd ones their line breaks
  const firstCode = lines.findIndex((line, i) => i % 2 === 0 && line.trim() !== '');
  if (firstCode >= 0) {
    const cellMagic = /^[ \t]*%%(\w+)/.exec(lines[firstCode]!);
    if (cellMagic) {
      if (!PYTHON_BODY_CELL_MAGICS.has(cellMagic[1]!)) return lines.map((line, i) => (i % 2 === 0 ? ' '.repeat(line.length) : line)).join('');
      lines[firstCode] = ' '.repeat(lines[firstCode]!.length);
    }
  }
  let continued = false;
  for (let i = 0; i < lines.length; i += 2) {
    const line = lines[i]!;
    if (continued) {
      lines[i] = ' '.repeat(line.length);
    } else {
      const assignment = IPYTHON_ASSIGNMENT.exec(line);
      const magic = assignment ?? IPYTHON_LINE.exec(line);
      if (magic === null) continue;
      lines[i] = neutral(line, magic[1]!.length);
    }
    continued = line.endsWith('\\'); // a magic continued on the next line
  }
  return lines.join('');
}

/** Joins the Python code cells into one module, in order, one line break between cells. */
export function notebookModule(cells: readonly NotebookCellInput[]): NotebookModule {
  const parts: string[] = [];
  const moduleCells: ModuleCell[] = [];
  let length = 0;
  cells.forEach((cell, index) => {
    if (!cell.isPythonCode) return;
    const text = neutralizeIPython(cell.text);
    moduleCells.push({ index, start: length, end: length + text.length, endsWithNewline: /[\r\n]$/.test(text) });
    parts.push(text, '\n');
    length += text.length + 1;
  });
  return { text: parts.join(''), cells: moduleCells };
}

/** The analysed cell holding a module offset (binary search); an offset on the line break after a cell belongs to it. */
function cellOfOffset(module: NotebookModule, offset: number): ModuleCell | undefined {
  const cells = module.cells;
  let low = 0;
  let high = cells.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (cells[middle]!.start <= offset) low = middle;
    else high = middle - 1;
  }
  const cell = cells[low];
  return cell !== undefined && offset >= cell.start && offset <= cell.end + 1 ? cell : undefined;
}

/**
 * A module span as a span in one cell; null when it does not fit in a cell. A span that runs past its cell's end
 * (a whole-model span ending in the next cell) is cut at the cell's end, since it is shown, not applied.
 */
export function spanInCell(module: NotebookModule, span: Span): CellSpan | null {
  const cell = cellOfOffset(module, span.start);
  if (cell === undefined) return null;
  const start = Math.min(span.start, cell.end) - cell.start;
  return { cell: cell.index, start, end: Math.max(start, Math.min(span.end, cell.end) - cell.start) };
}

/** One edit of a fix in the cell it changes. */
export interface CellEdit {
  cell: number;
  span: Span;
  text: string;
}

/**
 * A module edit as an edit of one cell; null when it crosses a cell boundary. An insertion at the start of a cell
 * that follows another (a line added after the last line of the cell before) goes to the end of that earlier cell,
 * where the code it follows is.
 */
export function editInCell(module: NotebookModule, edit: TextEdit): CellEdit | null {
  const { start, end } = edit.span;
  const cell = cellOfOffset(module, start);
  if (cell === undefined) return null;
  if (start === end && start === cell.start) {
    const before = module.cells[module.cells.indexOf(cell) - 1];
    if (before !== undefined && before.end + 1 === start && /\n$/.test(edit.text)) {
      const at = before.end - before.start;
      // The module put a line break after the earlier cell; in the cell itself the line goes after its last line.
      const text = before.endsWithNewline ? edit.text : '\n' + edit.text.slice(0, -1);
      return { cell: before.index, span: { start: at, end: at }, text };
    }
  }
  if (start > cell.end || end > cell.end) return null;
  return { cell: cell.index, span: { start: start - cell.start, end: end - cell.start }, text: edit.text };
}

/** A fix's edits as cell edits; null when any edit crosses a cell boundary (the fix is then not offered). */
export function fixInCells(module: NotebookModule, fix: Fix): CellEdit[] | null {
  const edits: CellEdit[] = [];
  for (const edit of fix.edits) {
    const mapped = editInCell(module, edit);
    if (mapped === null) return null;
    edits.push(mapped);
  }
  return edits;
}

/** A cell offset as a module offset (for hovers and lenses asked in a cell); null for a cell that is not analysed. */
export function moduleOffset(module: NotebookModule, cellIndex: number, offset: number): number | null {
  const cell = module.cells.find((candidate) => candidate.index === cellIndex);
  return cell === undefined ? null : cell.start + Math.max(0, Math.min(offset, cell.end - cell.start));
}

/** A problem of the notebook placed in its cell, with its fix and suggestions as cell edits. */
export interface NotebookDiagnostic {
  diagnostic: EngineDiagnostic;
  at: CellSpan;
  /** The safe fix's edits; null when there is none or it would cross cells. */
  fix: CellEdit[] | null;
  suggestions: { title: string; edits: CellEdit[] }[];
}

/** The analysis of a notebook: the module's result (for models and notes) and each problem in its cell. */
export interface NotebookAnalysis {
  module: NotebookModule;
  result: AnalysisResult;
  diagnostics: NotebookDiagnostic[];
}

/** The file name the engine reads a notebook's module under: Python, whatever the notebook file is called. */
export function notebookModuleFileName(fileName: string): string {
  return /\.py$/i.test(fileName) ? fileName : `${fileName}.py`;
}

/**
 * Analyses the notebook's Python code cells as one module and places every problem in its cell. `parse` is the
 * parser analyze() uses (the language server passes an incremental one, kept per notebook).
 */
export function analyzeNotebook(cells: readonly NotebookCellInput[], fileName: string, options: AnalyzeOptions = {}, parse: ModelParser = parseModels): NotebookAnalysis {
  const module = notebookModule(cells);
  // The engine picks its front end by file name: the cells are Python whatever the notebook file is called.
  const result = analyze(module.text, notebookModuleFileName(fileName), options, parse);
  const diagnostics: NotebookDiagnostic[] = [];
  for (const diagnostic of result.diagnostics) {
    const at = spanInCell(module, diagnostic.span);
    if (at === null) continue;
    const suggestions = diagnostic.suggestions.flatMap((suggestion) => {
      const edits = fixInCells(module, suggestion);
      return edits === null ? [] : [{ title: suggestion.title, edits }];
    });
    diagnostics.push({ diagnostic, at, fix: diagnostic.fix === null ? null : fixInCells(module, diagnostic.fix), suggestions });
  }
  return { module, result, diagnostics };
}
