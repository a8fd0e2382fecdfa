// The engine's one entry point: text in, models with their predicted signal and diagnostics out.
import { languageOf, mayHoldModelJson, mayHoldPythonModel, mayHoldTfjsModel } from '../../../common/src/modelDetection';
import { parsePython } from './frontends/python';
import { parseModelJson } from './frontends/json';
import { typeScriptFrontEnd } from './frontends/lazyTypeScript';
import type { Model, ParseResult } from './ir';
import { LineIndex } from './lineIndex';
import { isSuppressed } from './frontends/suppressions';
import { defaultsOf, MAX_FILE_SIZE_SETTING, THRESHOLD_SETTINGS } from '../../../common/src/settingsSchema';
import { checkModelConfigs } from './configChecks';
import { fixStyleOf } from './fixes';
import { propagate } from './propagation';
import { RULES } from './rules';
import type { RuleReport } from './rules/rule';
import type { AnalysisMemo, AnalysisResult, AnalyzeOptions, EngineDiagnostic, ModelSignal, Severity, Thresholds } from './types';

/** Default numeric thresholds (all overridable through options): the settings schema's. */
export const DEFAULT_THRESHOLDS: Thresholds = defaultsOf(THRESHOLD_SETTINGS);

/** Default size limit in characters above which a file is skipped: the settings schema's. */
export const DEFAULT_MAX_FILE_SIZE: number = MAX_FILE_SIZE_SETTING.default;

/** Parses a text with the front end its file name (or content) selects; null when it holds no model. */
export function parseModels(text: string, fileName: string): ParseResult | null {
  let language = languageOf(fileName);
  if (language === null) language = /^\s*[{[]/.test(text) ? 'json' : null;
  if (language === 'typescript') return mayHoldTfjsModel(text) ? typeScriptFrontEnd().parseTypeScript(text, fileName) : null;
  if (language === 'json') return mayHoldModelJson(text) ? parseModelJson(text) : null;
  if (language === 'python') return mayHoldPythonModel(text) ? parsePython(text) : null;
  return null;
}

/** How analyze() turns a text into models: parseModels, or one that reuses an earlier parse (see incremental.ts). */
export type ModelParser = (text: string, fileName: string) => (ParseResult & { memo?: AnalysisMemo }) | null;

/** Analyses one file: parse, propagate, run the enabled rules, drop suppressed problems. */
export function analyze(text: string, fileName: string, options: AnalyzeOptions = {}, parse: ModelParser = parseModels): AnalysisResult {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (text.length > maxFileSize) {
    return {
      language: 'none',
      models: [],
      diagnostics: [],
      notes: [
        {
          message: `model-lint skipped this file: ${text.length} characters is over the size limit of ${maxFileSize} (option maxFileSize).`,
        },
      ],
    };
  }
  if (text.includes('\u0000')) {
    return {
      language: 'none',
      models: [],
      diagnostics: [],
      notes: [{ message: 'model-lint skipped this file: it looks binary (NUL characters).' }],
    };
  }
  const parsed = parse(text, fileName);
  if (parsed === null) return { language: 'none', models: [], diagnostics: [], notes: [] };

  const thresholds = resolveThresholds(options);
  const memo = parsed.memo;
  // What besides the model decides its analysis: the settings, and what of the whole file its fixes depend on.
  const settings = memo === undefined ? '' : JSON.stringify([thresholds, options.rules ?? {}, fixStyleOf(text)]);
  const diagnostics: EngineDiagnostic[] = [];
  const models = parsed.models.map((model) => {
    checkModelConfigs(model); // invalid values become unknowns before any arithmetic sees them
    const recalled = memo?.recall(model, settings);
    if (recalled !== undefined) {
      diagnostics.push(...recalled.diagnostics);
      return { model, signal: recalled.signal };
    }
    const signal = propagate(model);
    const first = diagnostics.length;
    runRules(text, parsed.language, model, signal, thresholds, options, diagnostics);
    memo?.keep(model, settings, { signal, diagnostics: diagnostics.slice(first) });
    return { model, signal };
  });

  // Most files have no suppression comment: then no line lookup is needed at all.
  const lines = parsed.suppressions.size > 0 ? new LineIndex(text) : null;
  const kept =
    lines === null
      ? diagnostics
      : diagnostics.filter((d) => {
          return !isSuppressed(parsed.suppressions, lines.positionAt(d.span.start).line - 1, d.ruleId);
        });
  kept.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return { language: parsed.language, models, diagnostics: kept, notes: firstNotePerPosition(parsed.notes) };
}

/** Runs the enabled rules on one model, adding their diagnostics to `diagnostics`. */
function runRules(
  text: string,
  language: ParseResult['language'],
  model: Model,
  signal: ModelSignal,
  thresholds: Thresholds,
  options: AnalyzeOptions,
  diagnostics: EngineDiagnostic[],
): void {
  for (const rule of RULES) {
    const configured = options.rules?.[rule.meta.id];
    if (configured === 'off') continue;
    const report = (problem: RuleReport): void => {
      const severity: Severity = configured ?? problem.severity ?? rule.meta.defaultSeverity;
      // A fix that changes training (isSuggestion) is only ever offered, never applied by --fix or fix-all.
      const suggested = problem.fix?.isSuggestion ? [problem.fix] : [];
      diagnostics.push({
        ruleId: rule.meta.id,
        severity,
        message: problem.message,
        span: problem.span,
        fix: problem.fix?.isSuggestion ? null : problem.fix,
        suggestions: [...suggested, ...(problem.suggestions ?? [])],
        modelName: problem.modelName ?? model.name,
        layerId: problem.layerId,
      });
    };
    rule.check({ text, language, model, signal, thresholds, report });
  }
}

/** The thresholds an analysis uses: the defaults with the options' values over them. */
export function resolveThresholds(options: AnalyzeOptions): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...stripUndefined(options.thresholds ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Keeps the first note at each position: a parser's later errors at the same offset are cascades of the first. */
function firstNotePerPosition(notes: AnalysisResult['notes']): AnalysisResult['notes'] {
  const seen = new Set<number>();
  return notes.filter((note) => {
    if (note.span === undefined) return true;
    if (seen.has(note.span.start)) return false;
    seen.add(note.span.start);
    return true;
  });
}
