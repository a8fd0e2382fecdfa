// The probe's report format: produced by the probe engine, printed by the CLI, drawn by the webview.

/** A finding id of the probe; no finding = 'healthy'. */
export type ProbeFindingId = 'vanishing' | 'exploding' | 'dying-relu' | 'saturated' | 'symmetric' | 'stalled' | 'input-insensitive';

/** One finding about a probed model. */
export interface ProbeFinding {
  id: ProbeFindingId;
  /** Layer name when the finding is about one layer. */
  layer?: string;
  message: string;
}

/** Per-layer measurements, averaged over the probe steps unless said otherwise. */
export interface ProbeLayerResult {
  name: string;
  type: string;
  /** 1-based source line of the layer, when known. */
  line: number | null;
  /** Mean over steps of the kernel-gradient L2 norm (null for layers without a kernel). */
  gradNorm: number | null;
  /** gradNorm / kernel weight norm. */
  relativeGradNorm: number | null;
  /** Mean over steps of |update| / |weight| of the kernel. */
  updateRatio: number | null;
  activationMean: number | null;
  activationStd: number | null;
  /** Fraction of ReLU-family units never active in the batch (null for other activations). */
  deadFraction: number | null;
  /** Fraction of sigmoid/tanh inputs with |x| >= 5 (null for other activations). */
  saturatedFraction: number | null;
  /** LSUV-style factor that would bring this layer's output variance to 1 on the probe data. */
  lsuvScale: number | null;
  /**
   * Set when an initializer of this layer could not be read statically, so the probe trained the library default in
   * its place (a different model than the one written): what was unknown and what was used. Every face shows it next
   * to the layer.
   */
  initializerUnknown?: string;
}

/** The marker every probe face puts next to a layer whose initializer the probe had to replace. */
export const UNKNOWN_INITIALIZER_MARKER = 'initializer unknown';

/** The probe of one model configuration. */
export interface ProbeRun {
  findings: ProbeFinding[];
  layers: ProbeLayerResult[];
  /** Loss per step. */
  loss: number[];
  timing: { buildMs: number; stepMs: number };
  /** Values the probe had to assume (input shape, batch, ...), said visibly. */
  assumptions: string[];
  /** First over last kernel-gradient norm at the first step (what the static prediction estimates); null when not measurable. */
  gradientRatio?: number | null;
  /**
   * The first output at the first step: its variance across the batch's inputs (per unit, averaged over units) and
   * its squared mean; null when not measured. A ratio near 0 means the output no longer depends on the input.
   */
  outputVariation?: { acrossInputs: number; squaredMean: number } | null;
}

/** The probe of one model, with the same model with every suggested fix applied. */
export interface ProbeModelReport extends ProbeRun {
  name: string;
  /** 1-based line of the model definition. */
  line: number;
  fixed?: ProbeRun;
  /** Set when the model could not be probed: what and why. */
  error?: string;
  /** Set with `error` when a client can act on it: 'input-shape-unknown' = probe again with an input shape. */
  errorCode?: ProbeErrorCode;
}

/** Why a model could not be probed, where a client can do something about it. */
export type ProbeErrorCode = 'input-shape-unknown';

/** A full probe report (CLI --format json prints exactly this). */
export interface ProbeReport {
  /** Backend used: 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  backend: string;
  /** Why a preferred backend was not used or runs slower (e.g. tfjs-node not installed): shown once, with the backend. */
  backendNotes?: string[];
  models: ProbeModelReport[];
}
