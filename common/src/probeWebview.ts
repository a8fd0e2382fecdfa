// Messages between the probe panel (extension host) and its webview script, with validators for both directions.
import type { ProbeReport } from './probe';

/** Extension → webview: a report to draw (or an error/progress state to show). */
export type ToWebviewMessage =
  | {
      type: 'report';
      report: ProbeReport;
      fileName: string;
      documentUri: string;
      model?: number;
      /** How to show a report line (a notebook's module line → "cell 3, line 2"); a line without a label is shown as is. */
      lineLabels?: Record<string, string>;
    }
  | { type: 'status'; text: string; busy: boolean };

/** Webview → extension. */
export type FromWebviewMessage =
  | { type: 'ready' }
  | { type: 'revealLayer'; line: number }
  | { type: 'rerun' }
  | { type: 'exportJson' }
  | { type: 'exportPng'; dataUrl: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a message from the webview; anything else is dropped by the panel. */
export function parseFromWebview(value: unknown): FromWebviewMessage | null {
  if (!isRecord(value) || typeof value.type !== 'string') return null;
  switch (value.type) {
    case 'ready':
    case 'rerun':
    case 'exportJson':
      return { type: value.type };
    case 'revealLayer':
      return Number.isInteger(value.line) && (value.line as number) >= 1 ? { type: 'revealLayer', line: value.line as number } : null;
    case 'exportPng':
      return typeof value.dataUrl === 'string' && value.dataUrl.startsWith('data:image/png;base64,') && value.dataUrl.length < 20_000_000
        ? { type: 'exportPng', dataUrl: value.dataUrl }
        : null;
    default:
      return null;
  }
}

const NUMBER_OR_NULL = (v: unknown): boolean => v === null || typeof v === 'number';

function isProbeRun(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return (
    Array.isArray(value.layers) &&
    value.layers.every(
      (layer) =>
        isRecord(layer) &&
        typeof layer.name === 'string' &&
        typeof layer.type === 'string' &&
        NUMBER_OR_NULL(layer.line) &&
        NUMBER_OR_NULL(layer.gradNorm) &&
        NUMBER_OR_NULL(layer.activationStd) &&
        NUMBER_OR_NULL(layer.deadFraction) &&
        NUMBER_OR_NULL(layer.saturatedFraction) &&
        (layer.initializerUnknown === undefined || typeof layer.initializerUnknown === 'string'),
    ) &&
    Array.isArray(value.loss) &&
    value.loss.every((x) => typeof x === 'number' || x === null) &&
    Array.isArray(value.findings) &&
    value.findings.every((f) => isRecord(f) && typeof f.id === 'string' && typeof f.message === 'string') &&
    Array.isArray(value.assumptions) &&
    value.assumptions.every((a) => typeof a === 'string')
  );
}

/** Validates a message from the extension (the webview trusts nothing it did not check). */
export function parseToWebview(value: unknown): ToWebviewMessage | null {
  if (!isRecord(value) || typeof value.type !== 'string') return null;
  if (value.type === 'status') {
    return typeof value.text === 'string' && typeof value.busy === 'boolean'
      ? { type: 'status', text: value.text, busy: value.busy }
      : null;
  }
  if (value.type === 'report' && typeof value.fileName === 'string' && isRecord(value.report)) {
    const report = value.report;
    const notesValid =
      report.backendNotes === undefined ||
      (Array.isArray(report.backendNotes) && report.backendNotes.every((note) => typeof note === 'string'));
    const modelsValid =
      notesValid &&
      typeof report.backend === 'string' &&
      Array.isArray(report.models) &&
      report.models.every(
        (model) =>
          isRecord(model) &&
          typeof model.name === 'string' &&
          typeof model.line === 'number' &&
          (typeof model.error === 'string' || isProbeRun(model)) &&
          (model.fixed === undefined || isProbeRun(model.fixed)),
      );
    const model = Number.isInteger(value.model) ? (value.model as number) : undefined;
    const labels = value.lineLabels;
    const labelsValid =
      labels === undefined ||
      (isRecord(labels) && Object.entries(labels).every(([line, label]) => /^\d+$/.test(line) && typeof label === 'string'));
    return modelsValid && labelsValid && typeof value.documentUri === 'string'
      ? {
          type: 'report',
          report: report as unknown as ProbeReport,
          fileName: value.fileName,
          documentUri: value.documentUri,
          model,
          ...(labels === undefined ? {} : { lineLabels: labels as Record<string, string> }),
        }
      : null;
  }
  return null;
}
