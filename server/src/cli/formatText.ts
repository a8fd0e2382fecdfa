// Compiler-style text output (`file:line:col severity message [rule-id]`) and the --summary gradient-health tables.
import { gradientVerdict } from '../engine/verdict';
import { isAbsolute, relative, sep } from 'node:path';
import type { Layer, Span } from '../engine/ir';
import type { LayerSignal, Severity } from '../engine/types';
import { locationText, shownRange, type LintedFile } from './report';
import { describeInitializer } from '../engine/describeInitializer';
import { formatNumber } from '../../../common/src/numberFormat';
import { unknownParametersOf } from '../engine/catalog/initializers';

/** Path shown to the user: relative to the working directory when inside it, with forward slashes. */
export function displayPath(filePath: string, cwd: string): string {
  const relativePath = relative(cwd, filePath);
  if (relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath)) return filePath;
  return sep === '/' ? relativePath : relativePath.split(sep).join('/');
}

/** Problem counts by severity. */
export type SeverityCounts = Record<Severity, number>;

/** Counts the diagnostics of all files by severity. */
export function countBySeverity(files: readonly LintedFile[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of files) for (const diagnostic of file.result.diagnostics) counts[diagnostic.severity]++;
  return counts;
}

function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** Options of the text report that change its closing lines. */
export interface TextReportOptions {
  cwd: string;
  fixMode: 'none' | 'fix' | 'dry-run';
}

/** One line per diagnostic and per front-end note, then a count line. */
export function formatText(files: readonly LintedFile[], options: TextReportOptions): string {
  const lines: string[] = [];
  for (const file of files) {
    const shownPath = displayPath(file.filePath, options.cwd);
    for (const diagnostic of file.result.diagnostics) {
      const location = locationText(shownRange(file, diagnostic.span));
      lines.push(`${shownPath}:${location} ${diagnostic.severity} ${diagnostic.message} [${diagnostic.ruleId}]`);
    }
    for (const note of file.result.notes) {
      const location = locationText(shownRange(file, note.span ?? { start: 0, end: 0 }));
      lines.push(`${shownPath}:${location} note ${note.message}`);
    }
  }
  const counts = countBySeverity(files);
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const checked = plural(files.length, 'file');
  if (lines.length > 0) lines.push('');
  lines.push(
    total === 0
      ? `No problems found in ${checked}.`
      : `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info, ${plural(counts.hint, 'hint')}) in ${checked}.`,
  );
  if (options.fixMode !== 'none') {
    const fixed = files.filter((file) => file.fixCount > 0);
    const fixCount = fixed.reduce((sum, file) => sum + file.fixCount, 0);
    lines.push(
      options.fixMode === 'fix'
        ? `Fixed ${plural(fixCount, 'problem')} in ${plural(fixed.length, 'file')}.`
        : `Would fix ${plural(fixCount, 'problem')} in ${plural(fixed.length, 'file')} (--fix-dry-run: nothing was written).`,
    );
  }
  return lines.join('\n') + '\n';
}

function table(rows: string[][], indent: string): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
        .join('  ')
        .trimEnd(),
  );
}

/** The line a layer or model starts on: `12`, or `cell 3:12` in a notebook. */
function shownLine(file: LintedFile, located: { span: Span }): string {
  const { cell, start } = shownRange(file, located.span);
  return cell === undefined ? String(start.line) : `cell ${cell + 1}:${start.line}`;
}

function layerRow(file: LintedFile, layer: Layer, signal: LayerSignal | undefined): string[] {
  const kernel = layer.kernelInitializer ? describeInitializer(layer.kernelInitializer, { sayDefault: false }) : null;
  const spec = layer.kernelInitializer?.spec;
  const missing = spec === undefined ? [] : unknownParametersOf(spec);
  // Said in the row: the probe would train the library default here, not what the file wrote.
  const kernelText =
    kernel === null
      ? '-'
      : spec?.kind === 'unknown'
        ? 'UNKNOWN (not read; the probe would use the default)'
        : missing.length > 0
          ? `${kernel} (${missing.join(', ')} UNKNOWN; the probe would use the default)`
          : layer.kernelInitializer?.explicit
            ? kernel
            : `${kernel}*`;
  return [
    shownLine(file, layer),
    layer.type,
    layer.activation.name ?? '?',
    kernelText,
    layer.fanIn === null ? '-' : String(layer.fanIn),
    formatNumber(signal?.forwardGain),
    formatNumber(signal?.backwardGain),
  ];
}

/** The --summary section: per model, its predicted first/last gradient ratio, a verdict and a per-layer table. */
export function formatSummary(files: readonly LintedFile[], cwd: string): string {
  const lines: string[] = ['', 'Predicted gradient health at initialization (mean-field propagation)', ''];
  let modelCount = 0;
  let usesDefault = false;
  // Notes every model shares (the propagation's assumptions) are printed once at the end instead of under each model.
  const noteCounts = new Map<string, number>();
  let totalModels = 0;
  for (const file of files) {
    for (const { model, signal } of file.result.models) {
      totalModels++;
      for (const note of new Set([...model.notes, ...signal.notes])) noteCounts.set(note, (noteCounts.get(note) ?? 0) + 1);
    }
  }
  const sharedNotes = totalModels > 1 ? [...noteCounts].filter(([, count]) => count === totalModels).map(([note]) => note) : [];
  for (const file of files) {
    if (file.result.models.length === 0) continue;
    lines.push(displayPath(file.filePath, cwd));
    for (const { model, signal } of file.result.models) {
      modelCount++;
      const { vanishingRatio, explodingRatio } = file.thresholds;
      const verdict = gradientVerdict(signal, file.thresholds);
      const bounds =
        verdict === 'vanishing'
          ? ` (below ${formatNumber(vanishingRatio)})`
          : verdict === 'exploding'
            ? ` (above ${formatNumber(explodingRatio)})`
            : '';
      const modelLine = shownLine(file, model);
      const ratio =
        signal.predictedGradientRatio === null
          ? verdict === 'no gradient'
            ? 'undefined -> no gradient (a zero signal stops it)'
            : 'unknown'
          : `${formatNumber(signal.predictedGradientRatio)} -> ${verdict}${bounds}`;
      lines.push(
        `  model '${model.name}' (${model.kind}, ${/^\d+$/.test(modelLine) ? 'line ' : ''}${modelLine}, ${plural(model.layers.length, 'layer')}): first/last kernel-gradient ratio ${ratio}`,
      );
      for (const note of new Set([...model.notes, ...signal.notes])) if (!sharedNotes.includes(note)) lines.push(`    note: ${note}`);
      if (model.layers.length === 0) continue;
      const signals = new Map(signal.layers.map((layer) => [layer.layerId, layer]));
      const rows = [['line', 'type', 'activation', 'kernel init', 'fanIn', 'fwd gain', 'bwd gain']];
      for (const layer of model.layers) {
        rows.push(layerRow(file, layer, signals.get(layer.id)));
        if (layer.kernelInitializer && !layer.kernelInitializer.explicit) usesDefault = true;
      }
      lines.push(...table(rows, '    '));
    }
    lines.push('');
  }
  if (modelCount === 0) lines.push('No models found.', '');
  if (usesDefault) lines.push('* not written in the file: the library default applies.');
  for (const note of sharedNotes) lines.push(`For every model: ${note}.`);
  if (usesDefault || sharedNotes.length > 0) lines.push('');
  return lines.join('\n');
}
