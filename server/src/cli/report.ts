// The per-file lint result and its JSON form (the shape `--format json` prints, 1-based lines and columns).
import { mergeFixEdits } from '../engine/applyFixes';
import type { Layer, Span } from '../engine/ir';
import { describeInitializer } from '../engine/describeInitializer';
import type { AnalysisResult, EngineDiagnostic, Severity, Thresholds } from '../engine/types';
import type { LineIndex, Position } from '../engine/lineIndex';
import type { LintedNotebook } from './notebookLint';

/** One linted file: its final text (after any fixes) and that text's analysis. */
export interface LintedFile {
  /** Absolute path. */
  filePath: string;
  /** The text analysed: the file's text after fixes, without its byte-order mark. */
  text: string;
  /** '\ufeff' when the file starts with a byte-order mark (kept when fixes are written), else ''. */
  byteOrderMark?: string;
  result: AnalysisResult;
  /** Effective thresholds for this file (defaults, config file, flags). */
  thresholds: Thresholds;
  /** Fixes applied (or, with --fix-dry-run, that would be applied). */
  fixCount: number;
  /** True when the fixed text differs from the file on disk. */
  changed: boolean;
  /** Line lookup for `text`, built once. */
  lines: LineIndex;
  /** For a notebook (.ipynb): its cells and the analysis of their module; `result`'s spans are module offsets then. */
  notebook?: LintedNotebook;
}

/** Where a span is shown: 1-based lines and columns of the file, or, in a notebook, of the cell `cell` (0-based index). */
export interface ShownRange {
  cell?: number;
  start: Position;
  end: Position;
}

/** A span of the analysed text as shown to the user (for a notebook, in its cell; a span in no cell at the file's start). */
export function shownRange(file: LintedFile, span: Span): ShownRange {
  if (file.notebook) return file.notebook.range(span) ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  return { start: file.lines.positionAt(span.start), end: file.lines.positionAt(span.end) };
}

/** `line:column`, or `cell N:line:column` in a notebook with N counting every cell from 1 (as Ruff prints it). */
export function locationText(range: ShownRange): string {
  return `${range.cell === undefined ? '' : `cell ${range.cell + 1}:`}${range.start.line}:${range.start.column}`;
}

/** A diagnostic as `--format json` prints it. */
export interface JsonDiagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Notebooks only: 0-based index into the notebook's `cells` (markdown cells counted); line and column are in that cell. */
  cell?: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** In a notebook, `cell` says which cell's text `range` is in. */
  fix: { cell?: number; range: [number, number]; text: string } | null;
}

/** A layer's prediction as `--format json` prints it. */
export interface JsonLayer {
  /** Notebooks only: the cell `line` is in. */
  cell?: number;
  line: number;
  type: string;
  activation: string | null;
  kernelInitializer: string | null;
  fanIn: number | null;
  forwardGain: number | null;
  backwardGain: number | null;
}

/** A model as `--format json` prints it. */
export interface JsonModel {
  name: string;
  /** Notebooks only: the cell `line` is in. */
  cell?: number;
  line: number;
  layers: JsonLayer[];
  predictedGradientRatio: number | null;
}

/** One file as `--format json` prints it. */
export interface JsonFileReport {
  filePath: string;
  diagnostics: JsonDiagnostic[];
  models: JsonModel[];
  /** The fixed text; only with --fix-dry-run. */
  output?: string;
}

/** The JSON `fix` of a diagnostic: one replacement covering all its edits (in a notebook, in one cell's text), or null. */
export function jsonFix(file: LintedFile, diagnostic: EngineDiagnostic): JsonDiagnostic['fix'] {
  if (file.notebook) return file.notebook.cellFix(diagnostic);
  const text = file.text;
  if (!diagnostic.fix || diagnostic.fix.edits.length === 0) return null;
  const edit = mergeFixEdits(text, diagnostic.fix);
  return { range: [edit.span.start, edit.span.end], text: edit.text };
}

/** A diagnostic with 1-based positions. */
export function toJsonDiagnostic(file: LintedFile, diagnostic: EngineDiagnostic): JsonDiagnostic {
  const { cell, start, end } = shownRange(file, diagnostic.span);
  return {
    ruleId: diagnostic.ruleId,
    severity: diagnostic.severity,
    message: diagnostic.message,
    ...(cell === undefined ? {} : { cell }),
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    fix: jsonFix(file, diagnostic),
  };
}

function toJsonLayer(file: LintedFile, layer: Layer, gains: Map<string, { forwardGain: number; backwardGain: number }>): JsonLayer {
  const gain = gains.get(layer.id);
  return {
    ...lineOf(file, layer.span),
    type: layer.type,
    activation: layer.activation.name,
    kernelInitializer: layer.kernelInitializer ? describeInitializer(layer.kernelInitializer, { sayDefault: false }) : null,
    fanIn: layer.fanIn,
    forwardGain: finiteOrNull(gain?.forwardGain),
    backwardGain: finiteOrNull(gain?.backwardGain),
  };
}

/** `{ line }`, with `cell` before it in a notebook. */
function lineOf(file: LintedFile, span: Span): { cell?: number; line: number } {
  const { cell, start } = shownRange(file, span);
  return cell === undefined ? { line: start.line } : { cell, line: start.line };
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The models of a file with their per-layer predictions. */
export function toJsonModels(file: LintedFile): JsonModel[] {
  return file.result.models.map(({ model, signal }) => {
    const gains = new Map(signal.layers.map((layer) => [layer.layerId, layer]));
    return {
      name: model.name,
      ...lineOf(file, model.span),
      layers: model.layers.map((layer) => toJsonLayer(file, layer, gains)),
      predictedGradientRatio: finiteOrNull(signal.predictedGradientRatio),
    };
  });
}

/** The whole `--format json` document. */
export function toJsonReport(files: readonly LintedFile[], includeOutput: boolean): JsonFileReport[] {
  return files.map((file) => {
    const report: JsonFileReport = {
      filePath: file.filePath,
      diagnostics: file.result.diagnostics.map((diagnostic) => toJsonDiagnostic(file, diagnostic)),
      models: toJsonModels(file),
    };
    if (includeOutput) report.output = (file.byteOrderMark ?? '') + file.text; // byte for byte what --fix writes
    return report;
  });
}
