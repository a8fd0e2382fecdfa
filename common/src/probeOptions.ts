// The probe's options: the user's `modelLint.probe.*` settings and the server command's argument (read the same way by the
// VS Code client and the language server), the options and thresholds of one probe run, and the input-shape prompt's logic.
import type { ProbeErrorCode, ProbeModelReport, ProbeReport } from './probe';
import { defaultsOf, isValidEnum, isValidNumber, PROBE_SETTINGS } from './settingsSchema';

/** Backend preference of the probe: 'auto' tries tfjs-node, then wasm, then cpu. */
export type ProbeBackendSetting = (typeof PROBE_SETTINGS.backend.enum)[number];

/** The `modelLint.probe` settings section, every value resolved. */
export interface ProbeSettings {
  /** Training steps per probe run. */
  steps: number;
  /** Synthetic examples per step (the batch dimension of the input). */
  batchSize: number;
  /** Seed of the synthetic data and of the teacher targets. */
  seed: number;
  backend: ProbeBackendSetting;
  /** The probe refuses models with more parameters. */
  maxParams: number;
  /** The probe of one model stops with an error after this many milliseconds. */
  timeoutMs: number;
}

/** Options of one probe run (all optional; the probe's DEFAULT_PROBE_OPTIONS fill the rest). */
export interface ProbeOptions {
  steps?: number;
  batchSize?: number;
  seed?: number;
  /** Plain SGD learning rate: the update/weight ratio is then learningRate * |grad| / |weight|. */
  learningRate?: number;
  /** Refuse models with more parameters than this. */
  maxParams?: number;
  /** Stop with an error when one model's probe takes longer than this (milliseconds): the `modelLint.probe.timeoutMs` setting. */
  timeoutMs?: number;
  /** Input shape without batch, overriding/filling the model's. */
  inputShape?: number[];
  thresholds?: Partial<ProbeThresholds>;
  /** Compute LSUV factors (free from step 0 for homogeneous stacks without dropout; else one extra forward pass per kernel layer). */
  lsuv?: boolean;
}

/** Thresholds of the probe's findings (all options). */
export interface ProbeThresholds {
  /** vanishing: first/last kernel-gradient ratio below this (AUTOTRAINER 1e-3) ... */
  vanishingRatio: number;
  /** ... and the first layer's gradient norm below this (AUTOTRAINER 1e-4). */
  vanishingFirstGradient: number;
  /** exploding: first/last ratio above this (AUTOTRAINER 70). */
  explodingRatio: number;
  /** exploding: mean |gradient| of a kernel above this (TheDeepChecker 1e6). */
  explodingMeanAbsGradient: number;
  /** exploding: any |activation| above this: a forward blow-up can leave the gradient ratio near 1. */
  explodingActivation: number;
  /** dying-relu: at least this fraction of a layer's ReLU units never active (DeepDiagnosis 0.7). */
  deadFraction: number;
  /** saturated: more than this fraction of a saturating activation's inputs with |x| >= 5 (DeepDiagnosis 0.5). */
  saturatedFraction: number;
  /** symmetric: at least this fraction of a layer's units duplicate another unit's weights. */
  symmetricFraction: number;
  /** stalled: the best loss of the run improves on the first by less than this relative amount. */
  stalledImprovement: number;
  /**
   * input-insensitive: at the initial weights, the variance across inputs of what enters the last kernel layer is
   * below this fraction of its second moment. The static rule input-signal-lost's limit, so both agree. Real PyTorch,
   * 10 default Linear(512, 512) + ReLU: ~3e-6 (at the output); with 3 layers: ~0.2.
   */
  inputSensitivity: number;
}

/** The probe's defaults (the settings schema's), for the settings, the server command, the CLI and the engine (DEFAULT_PROBE_OPTIONS). */
export const DEFAULT_PROBE_SETTINGS: Readonly<ProbeSettings> = Object.freeze(defaultsOf(PROBE_SETTINGS));

/** The backends a setting or argument may name. */
export const PROBE_BACKENDS: readonly ProbeBackendSetting[] = PROBE_SETTINGS.backend.enum;

/** ProbeModelReport.errorCode when the model's input shape cannot be found: a client may ask the user and probe again with `inputShape`. */
export const INPUT_SHAPE_UNKNOWN: ProbeErrorCode = 'input-shape-unknown';

/** The valid probe options in a settings object or command argument; a missing, mistyped or out-of-range value is left out. */
export function probeOptionOverrides(raw: unknown): Partial<ProbeSettings> {
  const source = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof ProbeSettings, unknown>>;
  const overrides: Partial<ProbeSettings> = {};
  for (const name of ['steps', 'batchSize', 'seed', 'maxParams', 'timeoutMs'] as const) {
    if (isValidNumber(PROBE_SETTINGS[name], source[name])) overrides[name] = source[name];
  }
  if (isValidEnum(PROBE_SETTINGS.backend, source.backend)) overrides.backend = source.backend;
  return overrides;
}

/** Reads a `modelLint.probe` settings object: every invalid or missing value takes its default. */
export function readProbeSettings(raw: unknown): ProbeSettings {
  return { ...DEFAULT_PROBE_SETTINGS, ...probeOptionOverrides(raw) };
}

/** The probe engine's options for resolved settings (the backend goes to the request). */
export function probeOptionsOf(settings: ProbeSettings): ProbeOptions {
  return {
    steps: settings.steps,
    batchSize: settings.batchSize,
    seed: settings.seed,
    maxParams: settings.maxParams,
    timeoutMs: settings.timeoutMs,
  };
}

/** An input shape without the batch dimension from text such as "28,28,1" (spaces allowed); null unless every entry is a positive integer. */
export function parseInputShape(text: string): number[] | null {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part))) return null;
  const dims = parts.map(Number);
  return dims.every((dim) => Number.isSafeInteger(dim) && dim > 0) ? dims : null;
}

/** An input shape from a command argument (an array of positive integers); undefined otherwise. */
export function inputShapeArgument(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((dim) => typeof dim === 'number' && Number.isSafeInteger(dim) && dim >= 1) ? (value as number[]) : undefined;
}

/** The input box's validation message for typed text, or undefined when it parses. */
export function inputShapeProblem(text: string): string | undefined {
  return parseInputShape(text) ? undefined : 'Comma-separated positive integers without the batch dimension, e.g. 28,28,1.';
}

/** The input box's prompt for one model. */
export function inputShapePrompt(modelName: string): string {
  return `Input shape of model '${modelName}' without the batch dimension, e.g. 28,28,1`;
}

/** A model of a report whose input shape the user has to give, with its index among the file's models. */
export interface ModelNeedingInputShape {
  name: string;
  /** 0-based index among the file's models (what ProbeRequest.model takes). */
  modelIndex: number;
  /** Index of its entry in report.models. */
  reportIndex: number;
}

/**
 * The models of a report that failed only because their input shape is unknown. `selectedModel` is the index the
 * report was probed for (undefined = all models, when report.models[i] is the file's model i).
 */
export function modelsNeedingInputShape(report: ProbeReport, selectedModel: number | undefined): ModelNeedingInputShape[] {
  const needing: ModelNeedingInputShape[] = [];
  report.models.forEach((model: ProbeModelReport, reportIndex) => {
    if (model.errorCode !== INPUT_SHAPE_UNKNOWN) return;
    needing.push({ name: model.name, modelIndex: selectedModel ?? reportIndex, reportIndex });
  });
  return needing;
}

/** The report with one model's entry replaced by a probe of that model alone with a given input shape, which its notes then name. */
export function withModelReport(report: ProbeReport, reportIndex: number, single: ProbeReport, inputShape: readonly number[]): ProbeReport {
  const probed = single.models[0];
  if (!probed) return report;
  const note = `Input shape [${inputShape.join(', ')}] (without the batch) as given for this probe: the model does not declare one.`;
  const replacement: ProbeModelReport = { ...probed, assumptions: [note, ...probed.assumptions] };
  return { ...report, models: report.models.map((model, i) => (i === reportIndex ? replacement : model)) };
}
