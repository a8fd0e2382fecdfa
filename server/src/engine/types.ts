// Shared engine result types: diagnostics, fixes, signal propagation, options.
import type { Severity, SeveritySetting, Thresholds } from '../../../common/src/rules';
import type { Model, Span } from './ir';

export type { Severity, SeveritySetting, Thresholds } from '../../../common/src/rules';

/** A single text edit. */
export interface TextEdit {
  span: Span;
  text: string;
}

/** A fix or a suggestion for one diagnostic. */
export interface Fix {
  /** e.g. "Use heNormal (He) for the relu layer 'hidden1'". */
  title: string;
  edits: TextEdit[];
  /** Set by a fix builder whose edit changes training (a PyTorch init line added): the engine offers it as a suggestion only. */
  isSuggestion?: boolean;
}

/** One problem found by a rule. */
export interface EngineDiagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  span: Span;
  /** A safe fix (may be applied on save / fix-all). */
  fix: Fix | null;
  /** Suggestions: offered, never applied blindly. */
  suggestions: Fix[];
  /** Model and layer the problem belongs to. */
  modelName?: string;
  layerId?: string;
}

/** Per-layer mean-field prediction (see propagation.ts). Number fields are NaN where the value is unknown, never guessed. */
export interface LayerSignal {
  layerId: string;
  /** Predicted second moment of the layer's pre-activation output (q); for layers without a kernel, of their input. */
  forwardVariance: number;
  /** Second moment of the layer's output over that of its input: the per-layer forward gain (1 = scale kept). */
  forwardGain: number;
  /** chi: second moment of the error at the layer's input over that at its output (1 = gradient scale kept). */
  backwardGain: number;
  /** Predicted kernel-gradient norm of this layer relative to the last trainable layer's (null if not trainable). */
  relativeGradientNorm: number | null;
  /** Variance of the kernel at init (null when unknown). */
  kernelVariance: number | null;
}

/** Per-model propagation result. */
export interface ModelSignal {
  layers: LayerSignal[];
  /** First trainable layer's kernel-gradient norm over the last one's, at initialization; null when not computable. */
  predictedGradientRatio: number | null;
  /** True when a zero signal stops the kernel gradients at initialization (the ratio is then 0/0, not unknown). */
  gradientBlocked?: boolean;
  /** Why the ratio is null or approximate. */
  notes: string[];
}

/** Options of one analysis (from CLI flags, settings and .modellintrc.json, already merged). */
export interface AnalyzeOptions {
  rules?: Record<string, SeveritySetting>;
  thresholds?: Partial<Thresholds>;
  /** Files larger than this (characters) are skipped with one information message. Default 5_000_000. */
  maxFileSize?: number;
}

/** A model with its propagation. */
export interface AnalyzedModel {
  model: Model;
  signal: ModelSignal;
}

/** Result of analyze(). */
/** One model's part of an analysis: its signal and the rules' diagnostics on it (before suppressions). */
export interface ModelAnalysis {
  signal: ModelSignal;
  diagnostics: EngineDiagnostic[];
}

/**
 * The language server's memory of the last version's per-model analyses: a model its front end carried over
 * unchanged (see frontends/python/definitionCache.ts) gets its last analysis back, moved to this version's offsets.
 * `settings` names the options the analysis depended on.
 */
export interface AnalysisMemo {
  recall(model: Model, settings: string): ModelAnalysis | undefined;
  keep(model: Model, settings: string, analysis: ModelAnalysis): void;
}

export interface AnalysisResult {
  language: 'typescript' | 'json' | 'python' | 'none';
  models: AnalyzedModel[];
  diagnostics: EngineDiagnostic[];
  /** Non-rule messages: syntax errors, skipped files, assumptions. */
  notes: { message: string; span?: Span }[];
}
