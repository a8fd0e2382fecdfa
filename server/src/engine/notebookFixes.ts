// The safe-fix loop for notebooks: fixes are chosen on the joined module and applied to the cells they change.
import { applyEdits, applyFixes } from './applyFixes';
import { analyzeNotebook, type CellEdit, type NotebookAnalysis, type NotebookCellInput } from './notebook';
import type { AnalyzeOptions, Fix, TextEdit } from './types';

/** Outcome of fixing a notebook until no safe fix is left. */
export interface NotebookFixResult {
  /** Every cell's text after the fixes, by index into the input list (cells that are not analysed are unchanged). */
  texts: string[];
  /** Number of fixes applied over all passes. */
  fixCount: number;
  /** Passes that applied at least one fix. */
  passes: number;
  /** The analysis of the fixed cells. */
  analysis: NotebookAnalysis;
}

/**
 * Applies every safe fix that lands inside cells, re-analysing the notebook after each pass (as `fixUntilStable` does
 * for one text), until nothing is left to fix, nothing changes, or maxPasses is reached. Suggestions are never applied.
 * With `onlyCell`, only the fixes whose every edit is in that cell (by index into `cells`) are applied.
 */
export function fixNotebookUntilStable(
  cells: readonly NotebookCellInput[],
  fileName: string,
  options: AnalyzeOptions = {},
  maxPasses = 10,
  onlyCell?: number,
): NotebookFixResult {
  const texts = cells.map((cell) => cell.text);
  const current = (): NotebookCellInput[] => cells.map((cell, index) => ({ ...cell, text: texts[index]! }));
  let analysis = analyzeNotebook(cells, fileName, options);
  let fixCount = 0;
  let passes = 0;
  while (passes < maxPasses) {
    const cellEditsOf = new Map<Fix, CellEdit[]>();
    for (const problem of analysis.diagnostics) {
      if (problem.fix === null || problem.diagnostic.fix === null) continue;
      if (onlyCell === undefined || problem.fix.every((edit) => edit.cell === onlyCell))
        cellEditsOf.set(problem.diagnostic.fix, problem.fix);
    }
    if (cellEditsOf.size === 0) break;
    // Conflicts are decided in module offsets, where the engine made the fixes; the chosen ones are applied per cell.
    const round = applyFixes(analysis.module.text, [...cellEditsOf.keys()]);
    const editsByCell = new Map<number, TextEdit[]>();
    for (const fix of round.applied) {
      for (const edit of cellEditsOf.get(fix)!) {
        const list = editsByCell.get(edit.cell) ?? [];
        list.push({ span: edit.span, text: edit.text });
        editsByCell.set(edit.cell, list);
      }
    }
    let changed = false;
    for (const [cell, edits] of editsByCell) {
      const fixed = applyEdits(texts[cell]!, edits);
      if (fixed !== texts[cell]) changed = true;
      texts[cell] = fixed;
    }
    if (!changed) break;
    fixCount += round.applied.length;
    passes++;
    analysis = analyzeNotebook(current(), fileName, options);
  }
  return { texts, fixCount, passes, analysis };
}
