// Runs a probe request: analyse the text, pick models, probe each (and its fixed variant), assemble the report.
import type { ProbeModelReport, ProbeReport, ProbeRun } from '../../../common/src/probe';
import type { ProbeOptions } from '../../../common/src/probeOptions';
import type { ProbeProgress, ProbeRequest } from '../../../common/src/probeWorkerProtocol';
import { analyze } from '../engine/analyze';
import { fixUntilStable, type AppliedChange } from '../engine/applyFixes';
import type { Model } from '../engine/ir';
import { LineIndex } from '../engine/lineIndex';
import { selectBackend } from './backend';
import { ProbeError } from './buildModel';
import { probeModel, ProbeCancelled } from './training';

/** Hooks of runProbeRequest. */
export interface RunHooks {
  onProgress?: (progress: ProbeProgress) => void;
  isCancelled?: () => boolean;
}

function emptyRun(): ProbeRun {
  return { findings: [], layers: [], loss: [], timing: { buildMs: 0, stepMs: 0 }, assumptions: [] };
}

/** Picks the models the request names; throws ProbeError when the name or index matches none. */
export function selectModels(models: Model[], selector: string | number | undefined): number[] {
  if (models.length === 0) throw new ProbeError('No TensorFlow.js, Keras or PyTorch model was found in the file.');
  if (selector === undefined) return models.map((_, i) => i);
  if (typeof selector === 'number' || /^\d+$/.test(selector)) {
    const index = Number(selector);
    if (index >= models.length)
      throw new ProbeError(
        `Model index ${index} is out of range: the file has ${models.length} model(s) (indices 0-${models.length - 1}).`,
      );
    return [index];
  }
  const index = models.findIndex((m) => m.name === selector);
  if (index < 0) throw new ProbeError(`No model named '${selector}'; the file has: ${models.map((m) => m.name).join(', ')}.`);
  return [index];
}

/** One change the what-if applied (the engine's record: safe fix or suggestion). */
export type { AppliedChange };

/**
 * The text with every problem's safe fix, else its first suggestion, applied until stable. Suggestions (e.g.
 * vanishing-gradient-predicted's switch of hidden sigmoid layers to relu + heNormal) change the model's design,
 * so each applied change comes back with its kind for the report.
 */
export function fixedVariant(text: string, fileName: string, maxPasses = 10): { text: string; applied: AppliedChange[] } {
  const fixed = fixUntilStable(text, (current) => analyze(current, fileName).diagnostics, maxPasses, { includeSuggestions: true });
  return { text: fixed.text, applied: fixed.applied };
}

/** Lines for the fixed run's notes: what the what-if changed, suggestions labelled as design changes. */
function appliedNotes(applied: AppliedChange[]): string[] {
  const unique = (kind: AppliedChange['kind']): string[] => [
    ...new Set(applied.filter((a) => a.kind === kind).map((a) => `${a.title} [${a.ruleId}]`)),
  ];
  const safe = unique('safe fix');
  const suggestions = unique('suggestion');
  const notes: string[] = [];
  if (safe.length > 0) notes.push(`Fixed variant: safe fixes applied: ${safe.join('; ')}.`);
  if (suggestions.length > 0)
    notes.push(
      `Fixed variant: suggestions applied too (design changes, not safe fixes; review before adopting): ${suggestions.join('; ')}.`,
    );
  return notes;
}

async function probeOne(
  model: Model,
  lines: LineIndex,
  request: RunHooks & { options?: ProbeOptions },
  variant: ProbeProgress['variant'],
): Promise<ProbeRun & Pick<ProbeModelReport, 'error' | 'errorCode'>> {
  try {
    const run = await probeModel(model, request.options, {
      onStep: (step, steps) => request.onProgress?.({ model: model.name, variant, step, steps }),
      isCancelled: request.isCancelled,
    });
    const plain: ProbeRun = run;
    const byName = new Map(model.layers.map((l) => [l.name, l]));
    for (const layer of plain.layers) {
      const source = byName.get(layer.name);
      layer.line = source ? lines.positionAt(source.span.start).line : null;
    }
    plain.assumptions.push(...model.notes);
    return plain;
  } catch (error) {
    if (error instanceof ProbeCancelled) throw error;
    if (error instanceof ProbeError) return { ...emptyRun(), error: error.message, ...(error.code ? { errorCode: error.code } : {}) };
    return { ...emptyRun(), error: `The probe failed: ${(error as Error).message}` };
  }
}

/** Runs a whole probe request (backend, models, fixed variants) and returns the report. */
export async function runProbeRequest(request: ProbeRequest<Model>, hooks: RunHooks = {}): Promise<ProbeReport> {
  const trusted = request.trusted !== false;
  const choice = await selectBackend(request.backend ?? 'auto', {
    workspaceRoot: trusted ? request.workspaceRoot : undefined,
    wasmDir: request.wasmDir,
    trusted,
  });
  const models = request.models ?? analyze(request.text, request.fileName).models.map((m) => m.model);
  const indices = selectModels(models, request.model);
  let fixedModels: Model[] | null = null;
  let fixedSource = request.text;
  let fixNotes: string[] = [];
  if (request.compareFixed) {
    const variant = fixedVariant(request.text, request.fileName);
    fixedSource = variant.text;
    fixNotes = appliedNotes(variant.applied);
    fixedModels = fixedSource === request.text ? models : analyze(fixedSource, request.fileName).models.map((m) => m.model);
  }
  const reports: ProbeModelReport[] = [];
  const lines = new LineIndex(request.text);
  const fixedLines = fixedSource === request.text ? lines : new LineIndex(fixedSource);
  for (const index of indices) {
    const model = models[index];
    const current = await probeOne(model, lines, { ...hooks, options: request.options }, 'current');
    const report: ProbeModelReport = { name: model.name, line: lines.positionAt(model.span.start).line, ...current };
    if (fixedModels) {
      const fixedModel = fixedModels[index];
      if (!fixedModel) {
        report.fixed = { ...emptyRun(), assumptions: ['After the fixes the file no longer has a model at this index.'] };
      } else if (fixedModels === models) {
        report.fixed = {
          ...structuredClone(current),
          assumptions: ['No fix applies to this file: the fixed model is the model as written.', ...current.assumptions],
        };
      } else {
        const fixed = await probeOne(fixedModel, fixedLines, { ...hooks, options: request.options }, 'fixed');
        const { error, errorCode: _fixedErrorCode, ...run } = fixed;
        report.fixed = error
          ? { ...run, assumptions: [`The fixed model could not be probed: ${error}`, ...fixNotes, ...run.assumptions] }
          : { ...run, assumptions: [...fixNotes, ...run.assumptions] };
      }
    }
    reports.push(report);
  }
  return { backend: choice.backend, ...(choice.notes.length > 0 ? { backendNotes: choice.notes } : {}), models: reports };
}
