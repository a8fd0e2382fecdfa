// Linting a notebook file: its cells through the engine's notebook analysis, results placed in cells and in the .ipynb text.
import { mergeFixEdits } from '../engine/applyFixes';
import type { Span } from '../engine/ir';
import { LineIndex, type Position } from '../engine/lineIndex';
import {
  analyzeNotebook,
  notebookModule,
  spanInCell,
  type CellEdit,
  type NotebookAnalysis,
  type NotebookDiagnostic,
} from '../engine/notebook';
import { fixNotebookUntilStable } from '../engine/notebookFixes';
import type { AnalyzeOptions, EngineDiagnostic } from '../engine/types';
import { encodeSource, fileOffset, parseNotebook, rewriteSources, type NotebookFile } from './notebookFile';

/** A span shown in a notebook cell: the 0-based cell index and 1-based line/column range within the cell. */
export interface CellRange {
  cell: number;
  start: Position;
  end: Position;
}

/** A replacement in the .ipynb text. */
export interface FileReplacement {
  span: Span;
  text: string;
}

/** A linted notebook: its cells as read from the final file text, the analysis of its module, and the mappings. */
export class LintedNotebook {
  private readonly cellLines = new Map<number, LineIndex>();
  private readonly placed: Map<EngineDiagnostic, NotebookDiagnostic>;

  constructor(
    readonly file: NotebookFile,
    readonly analysis: NotebookAnalysis,
    private readonly fileText: string,
  ) {
    this.placed = new Map(analysis.diagnostics.map((problem) => [problem.diagnostic, problem]));
  }

  private lines(cell: number): LineIndex {
    let index = this.cellLines.get(cell);
    if (index === undefined) {
      index = new LineIndex(this.file.cells[cell]!.text);
      this.cellLines.set(cell, index);
    }
    return index;
  }

  /** A module span as a line/column range in its cell; null when it lies in no cell. */
  range(span: Span): CellRange | null {
    const at = spanInCell(this.analysis.module, span);
    if (at === null) return null;
    const lines = this.lines(at.cell);
    return { cell: at.cell, start: lines.positionAt(at.start), end: lines.positionAt(at.end) };
  }

  /** A module span as a span of the .ipynb text (inside the JSON strings of the cell's source); null when in no cell. */
  fileSpan(span: Span): { cell: number; span: Span } | null {
    const at = spanInCell(this.analysis.module, span);
    if (at === null) return null;
    const cell = this.file.cells[at.cell]!;
    const start = fileOffset(this.fileText, cell, at.start, 'start');
    // An empty span on a line break would end before it starts (end of one list element, start of the next).
    return { cell: at.cell, span: { start, end: Math.max(start, fileOffset(this.fileText, cell, at.end, 'end')) } };
  }

  private fixEditsByCell(diagnostic: EngineDiagnostic): Map<number, CellEdit[]> | null {
    const edits = this.placed.get(diagnostic)?.fix;
    if (!edits || edits.length === 0) return null;
    const byCell = new Map<number, CellEdit[]>();
    for (const edit of edits) byCell.set(edit.cell, [...(byCell.get(edit.cell) ?? []), edit]);
    return byCell;
  }

  /** A diagnostic's safe fix as one replacement in one cell's text; null when it has none or it changes several cells. */
  cellFix(diagnostic: EngineDiagnostic): { cell: number; range: [number, number]; text: string } | null {
    const byCell = this.fixEditsByCell(diagnostic);
    if (byCell === null || byCell.size !== 1) return null;
    const [[cell, edits]] = [...byCell];
    const merged = mergeFixEdits(this.file.cells[cell]!.text, {
      title: '',
      edits: edits.map((edit) => ({ span: edit.span, text: edit.text })),
    });
    return { cell, range: [merged.span.start, merged.span.end], text: merged.text };
  }

  /** A diagnostic's safe fix in the .ipynb text: each changed cell's `source` value, re-encoded in its own form. */
  fileFix(diagnostic: EngineDiagnostic): FileReplacement[] | null {
    const byCell = this.fixEditsByCell(diagnostic);
    if (byCell === null) return null;
    return [...byCell].map(([index, edits]) => {
      const cell = this.file.cells[index]!;
      const fixed = mergeFixEdits(cell.text, { title: '', edits: edits.map((edit) => ({ span: edit.span, text: edit.text })) });
      const text = cell.text.slice(0, fixed.span.start) + fixed.text + cell.text.slice(fixed.span.end);
      return {
        span: { start: cell.source.offset, end: cell.source.offset + cell.source.length },
        text: encodeSource(this.fileText, cell.source, text),
      };
    });
  }
}

/** What linting a notebook's text gives: the final file text and what the formatters need. */
export interface NotebookLintOutcome {
  text: string;
  fixCount: number;
  notebook: LintedNotebook;
}

/**
 * Analyses a notebook's text (and with `fix`, applies the safe fixes to the cells they change, rewriting only those
 * cells' `source` in the file text). Throws NotebookError when the text is not a notebook.
 */
export function lintNotebookText(
  text: string,
  filePath: string,
  options: AnalyzeOptions,
  fix: boolean,
  maxPasses: number,
): NotebookLintOutcome {
  const original = parseNotebook(text);
  if (!fix) return { text, fixCount: 0, notebook: new LintedNotebook(original, analyzeNotebook(original.cells, filePath, options), text) };
  const fixed = fixNotebookUntilStable(original.cells, filePath, options, maxPasses);
  const finalText =
    fixed.fixCount === 0 ? text : rewriteSources(text, original, new Map(fixed.texts.map((cellText, index) => [index, cellText])));
  // Read again, so every offset refers to the text that is written.
  const final = finalText === text ? original : parseNotebook(finalText);
  return { text: finalText, fixCount: fixed.fixCount, notebook: new LintedNotebook(final, fixed.analysis, finalText) };
}

/** A notebook as the probe reads it: its Python code cells as one module, and where each line of that module is in the cells. */
export function notebookProbeSource(fileText: string): { text: string; place: (line: number) => { cell?: number; line: number } } {
  const notebook = parseNotebook(fileText.charCodeAt(0) === 0xfeff ? fileText.slice(1) : fileText);
  const module = notebookModule(notebook.cells);
  const moduleLines = new LineIndex(module.text);
  const cellLines = new Map<number, LineIndex>();
  return {
    text: module.text,
    place: (line) => {
      const offset = moduleLines.lineStart(line);
      const at = offset === undefined ? null : spanInCell(module, { start: offset, end: offset });
      if (at === null) return { line };
      if (!cellLines.has(at.cell)) cellLines.set(at.cell, new LineIndex(notebook.cells[at.cell]!.text));
      return { cell: at.cell, line: cellLines.get(at.cell)!.positionAt(at.start).line };
    },
  };
}
