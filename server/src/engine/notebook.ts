// Jupyter notebooks: the code cells, in order, are one Python module; results are mapped back into the cells.
import { analyze, type ModelParser } from './analyze';
import { mayHoldPythonModel } from '../../../common/src/modelDetection';
import { parsePython } from './frontends/python';
import { LineIndex } from './lineIndex';
import type { ParseResult, Span } from './ir';
import type { AnalysisResult, AnalyzeOptions, EngineDiagnostic, Fix, TextEdit } from './types';
import { notebookModule, type ModuleCell, type NotebookCellInput, type NotebookModule } from '../../../common/src/notebookCells';

export {
  neutralizeIPython,
  notebookModule,
  type ModuleCell,
  type NotebookCellInput,
  type NotebookModule,
} from '../../../common/src/notebookCells';

/** A span inside one cell (offsets into that cell's text). */
export interface CellSpan {
  cell: number;
  start: number;
  end: number;
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

/** Names a module offset as its cell (counted from 1 over all cells, as editors and Ruff show them) and line in it. */
export function cellPlaceNamer(module: NotebookModule, lines = new LineIndex(module.text)): (offset: number) => string {
  return (offset) => {
    const at = spanInCell(module, { start: offset, end: offset });
    const cell = at === null ? undefined : module.cells.find((candidate) => candidate.index === at.cell);
    if (at === null || cell === undefined) return `on line ${lines.positionAt(offset).line}`;
    return `in cell ${at.cell + 1}, line ${lines.positionAt(offset).line - lines.positionAt(cell.start).line + 1}`;
  };
}

/** How a notebook's module is read: the Python front end, or one that reuses an earlier parse (the language server's). */
export type NotebookPythonParser = (text: string, placeOf: (offset: number) => string, layout: string) => ParseResult;

const freshPythonParse: NotebookPythonParser = (text, placeOf) => parsePython(text, placeOf);

/**
 * Besides the text, what decides the places cellPlaceNamer names: which cells the module holds, in order. A line
 * added to one cell moves no place in another (places count lines from the cell's start), and a definition whose own
 * place moved is not carried over anyway (its place is part of its key).
 */
function cellLayout(module: NotebookModule): string {
  return module.cells.map((cell) => cell.index).join(' ');
}

/** The module's parser: the Python front end, with initializer labels naming cells instead of module lines. */
function notebookParser(module: NotebookModule, python: NotebookPythonParser): ModelParser {
  return (text) => {
    if (!mayHoldPythonModel(text)) return null;
    const lines = new LineIndex(module.text);
    return python(text, cellPlaceNamer(module, lines), cellLayout(module));
  };
}

/**
 * Analyses the notebook's Python code cells as one module and places every problem in its cell. `python` reads the
 * module (the language server passes an incremental parser's, kept per notebook).
 */
export function analyzeNotebook(
  cells: readonly NotebookCellInput[],
  fileName: string,
  options: AnalyzeOptions = {},
  python: NotebookPythonParser = freshPythonParse,
): NotebookAnalysis {
  const module = notebookModule(cells);
  // The engine picks its front end by file name: the cells are Python whatever the notebook file is called.
  const result = analyze(module.text, notebookModuleFileName(fileName), options, notebookParser(module, python));
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
