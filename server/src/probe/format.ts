// Renders a probe report for the terminal (a table per model) and as the CLI's JSON shape.
import {
  UNKNOWN_INITIALIZER_MARKER,
  type ProbeLayerResult,
  type ProbeModelReport,
  type ProbeReport,
  type ProbeRun,
} from '../../../common/src/probe';
import { formatNumber, formatPercent } from '../../../common/src/numberFormat';
import { LOSS_NUMBER_FORMAT } from './findings';

/** Where a line of the probed text is shown: as it is, or for a notebook as the cell (0-based index) and the line in it. */
export type LinePlace = (line: number) => { cell?: number; line: number };

const asWritten: LinePlace = (line) => ({ line });

/** A line as the text and HTML reports show it: `12`, or `cell 3:12` in a notebook (cells counted from 1). */
export function lineLabel(place: LinePlace, line: number): string {
  const placed = place(line);
  return placed.cell === undefined ? String(placed.line) : `cell ${placed.cell + 1}:${placed.line}`;
}

/** The CLI's JSON shape of one run (issue 4: name/type/line/gradNorm/activationStd/deadFraction/saturatedFraction per layer). */
export interface ProbeRunJson {
  findings: ProbeRun['findings'];
  layers: (Pick<ProbeLayerResult, 'name' | 'type' | 'line' | 'gradNorm' | 'activationStd' | 'deadFraction' | 'saturatedFraction'> & {
    cell?: number;
  })[];
  loss: number[];
  timing: ProbeRun['timing'];
}

/** The CLI's JSON shape of one model. */
export interface ProbeModelJson extends ProbeRunJson {
  name: string;
  /** Notebooks only: the cell (0-based index into `cells`) that `line` is in. */
  cell?: number;
  line: number;
  fixed?: ProbeRunJson;
  error?: string;
}

function runJson(run: ProbeRun, place: LinePlace): ProbeRunJson {
  return {
    findings: run.findings,
    layers: run.layers.map((l) => ({
      name: l.name,
      type: l.type,
      ...(l.line === null ? { line: null } : place(l.line)),
      gradNorm: l.gradNorm,
      activationStd: l.activationStd,
      deadFraction: l.deadFraction,
      saturatedFraction: l.saturatedFraction,
    })),
    loss: run.loss,
    timing: run.timing,
  };
}

/** Projects a report onto the CLI's JSON shape (for a notebook, each line with its `cell`). */
export function reportJson(report: ProbeReport, place: LinePlace = asWritten): { backend: string; models: ProbeModelJson[] } {
  return {
    backend: report.backend,
    models: report.models.map((m) => ({
      name: m.name,
      ...place(m.line),
      ...runJson(m, place),
      ...(m.fixed ? { fixed: runJson(m.fixed, place) } : {}),
      ...(m.error ? { error: m.error } : {}),
    })),
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

function findingLines(run: ProbeRun, indent: string): string[] {
  if (run.findings.length === 0) return [`${indent}healthy: no finding`];
  return run.findings.map((f) => `${indent}${f.id}${f.layer ? ` (${f.layer})` : ''}: ${f.message}`);
}

function lossLine(run: ProbeRun): string {
  if (run.loss.length === 0) return 'loss: -';
  return `loss ${formatNumber(run.loss[0], LOSS_NUMBER_FORMAT)} -> ${formatNumber(run.loss[run.loss.length - 1], LOSS_NUMBER_FORMAT)} over ${run.loss.length} steps; build ${formatNumber(run.timing.buildMs)} ms, ${formatNumber(run.timing.stepMs)} ms/step`;
}

function modelText(model: ProbeModelReport, fileName: string, place: LinePlace): string[] {
  const lines = [`${fileName}:${lineLabel(place, model.line)}  model '${model.name}'`];
  if (model.error) return [...lines, `  cannot probe: ${model.error}`];
  const fixedByName = new Map((model.fixed?.layers ?? []).map((l) => [l.name, l]));
  const header = ['layer', 'type', 'line', 'grad norm', 'grad/weight', 'act std', 'dead', 'saturated', 'lsuv'];
  if (model.fixed) header.push('grad norm (fixed)');
  const rows = [
    header,
    ...model.layers.map((l) => {
      const row = [
        l.initializerUnknown ? `${l.name} (!)` : l.name,
        l.type,
        l.line === null ? '-' : lineLabel(place, l.line),
        formatNumber(l.gradNorm),
        formatNumber(l.relativeGradNorm),
        formatNumber(l.activationStd),
        formatPercent(l.deadFraction),
        formatPercent(l.saturatedFraction),
        formatNumber(l.lsuvScale),
      ];
      if (model.fixed) row.push(formatNumber(fixedByName.get(l.name)?.gradNorm));
      return row;
    }),
  ];
  lines.push(...table(rows).map((r) => `  ${r}`));
  // Said under the table, not only among the notes: the probe trained a different model than the one written.
  for (const l of model.layers)
    if (l.initializerUnknown) lines.push(`  (!) ${l.name}: ${UNKNOWN_INITIALIZER_MARKER}: ${l.initializerUnknown}`);
  lines.push(`  ${lossLine(model)}`);
  lines.push(...findingLines(model, '  '));
  if (model.fixed) {
    lines.push(`  with the fixes applied: ${lossLine(model.fixed)}`);
    lines.push(...findingLines(model.fixed, '    '));
    for (const note of model.fixed.assumptions) lines.push(`    note: ${note}`);
  }
  for (const note of model.assumptions) lines.push(`  note: ${note}`);
  return lines;
}

/** The terminal rendering of a report. */
export function reportText(report: ProbeReport, fileName: string, place: LinePlace = asWritten): string {
  const parts = [`probe backend: ${report.backend}`, ...(report.backendNotes ?? []).map((note) => `  ${note}`)];
  for (const model of report.models) parts.push('', ...modelText(model, fileName, place));
  return parts.join('\n') + '\n';
}
