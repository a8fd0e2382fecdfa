// The settings schema: every user setting's type, bounds and default, written once. The config-file reader, the
// language server's settings reader, the CLI and the probe options' validator read it; a test checks package.json.

/** A numeric setting in JSON-schema words, so package.json's contributes.configuration can be compared with it. */
export interface NumberSetting {
  readonly type: 'number' | 'integer';
  readonly default: number;
  /** Inclusive lower bound. */
  readonly minimum?: number;
  /** Exclusive lower bound. */
  readonly exclusiveMinimum?: number;
  /** Inclusive upper bound. */
  readonly maximum?: number;
}

/** A setting with a fixed set of string values. */
export interface EnumSetting<T extends string = string> {
  readonly type: 'string';
  readonly enum: readonly T[];
  readonly default: T;
}

/** `modelLint.enable`. */
export const ENABLE_SETTING = { type: 'boolean', default: true } as const;

/** A rule's severity, lowest first; 'off' turns the rule off. */
export const SEVERITY_SETTINGS = ['off', 'hint', 'info', 'warning', 'error'] as const;

/** The rules' numeric thresholds: a value outside its bounds makes the matching rule meaningless. */
export const THRESHOLD_SETTINGS = {
  /** vanishing-gradient-predicted fires below this first/last kernel-gradient ratio. */
  vanishingRatio: { type: 'number', default: 1e-3, exclusiveMinimum: 0, maximum: 1 },
  /** exploding-gradient-predicted fires above this ratio. */
  explodingRatio: { type: 'number', default: 1e3, minimum: 1 },
  /** init-scale-mismatch fires when a layer's variance gain is off the ideal by more than this factor. */
  scaleMismatchFactor: { type: 'number', default: 4, exclusiveMinimum: 1 },
} as const satisfies Record<string, NumberSetting>;

/** Files larger than this many characters are skipped with one note. */
export const MAX_FILE_SIZE_SETTING = { type: 'integer', default: 5_000_000, minimum: 1 } as const satisfies NumberSetting;

/** The probe's options (`modelLint.probe.*`, the config file's `probe`, the server command's argument). */
export const PROBE_SETTINGS = {
  /** Training steps per probe run. */
  steps: { type: 'integer', default: 20, minimum: 1 },
  /** Synthetic examples per step (the batch dimension of the input). */
  batchSize: { type: 'integer', default: 32, minimum: 1 },
  /** Seed of the synthetic data and of the teacher targets. */
  seed: { type: 'integer', default: 1, minimum: 0 },
  /** 'auto' tries tfjs-node, then wasm, then cpu. */
  backend: { type: 'string', enum: ['auto', 'node', 'wasm', 'cpu'], default: 'auto' },
  /** The probe refuses models with more parameters. */
  maxParams: { type: 'integer', default: 5_000_000, minimum: 1 },
  /** The probe of one model stops with an error after this many milliseconds. */
  timeoutMs: { type: 'integer', default: 60_000, minimum: 1 },
} as const satisfies Record<string, NumberSetting | EnumSetting>;

/** The name of a threshold. */
export type ThresholdName = keyof typeof THRESHOLD_SETTINGS;

/** True for the name of a threshold (an own key of the schema, never an inherited one). */
export function isThresholdName(name: string): name is ThresholdName {
  return Object.hasOwn(THRESHOLD_SETTINGS, name);
}

/** The problem with a threshold name that is not one. */
export function unknownThresholdProblem(name: string): string {
  return `Unknown threshold '${name}' (allowed: ${Object.keys(THRESHOLD_SETTINGS).join(', ')}).`;
}

/** The problem with a rule's severity, named by its dotted path ("rules.symmetric-init"); null when it is valid. */
export function severityProblem(path: string, value: unknown): string | null {
  return typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value)
    ? null
    : `${path} must be one of ${SEVERITY_SETTINGS.map((s) => `"${s}"`).join(', ')}; found ${shownValue(value)}.`;
}

/** True when a value has a numeric setting's type and lies within its bounds. */
export function isValidNumber(setting: NumberSetting, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (setting.type === 'integer' && !Number.isSafeInteger(value)) return false;
  if (setting.minimum !== undefined && value < setting.minimum) return false;
  if (setting.exclusiveMinimum !== undefined && value <= setting.exclusiveMinimum) return false;
  return setting.maximum === undefined || value <= setting.maximum;
}

/** True when a value is one of an enum setting's values. */
export function isValidEnum<T extends string>(setting: EnumSetting<T>, value: unknown): value is T {
  return typeof value === 'string' && (setting.enum as readonly string[]).includes(value);
}

/** What a numeric setting accepts, in words: "a number greater than 0 and at most 1 (default 0.001)". */
export function expectedNumber(setting: NumberSetting): string {
  const bounds: string[] = [];
  if (setting.exclusiveMinimum !== undefined) bounds.push(`greater than ${setting.exclusiveMinimum}`);
  if (setting.minimum !== undefined) bounds.push(`of at least ${setting.minimum}`);
  if (setting.maximum !== undefined) bounds.push(`at most ${setting.maximum}`);
  return `${setting.type === 'integer' ? 'a whole number' : 'a number'} ${bounds.join(' and ')} (default ${setting.default})`;
}

/** The problem with a setting's value, named by its dotted path ("thresholds.vanishingRatio"); null when it is valid. */
export function numberProblem(path: string, setting: NumberSetting, value: unknown): string | null {
  return isValidNumber(setting, value) ? null : `${path} must be ${expectedNumber(setting)}; found ${shownValue(value)}.`;
}

/** The problem with an enum setting's value; null when it is valid. */
export function enumProblem(path: string, setting: EnumSetting, value: unknown): string | null {
  return isValidEnum(setting, value)
    ? null
    : `${path} must be one of ${setting.enum.map((v) => `"${v}"`).join(', ')}; found ${shownValue(value)}.`;
}

/** A found value in a message: numbers and strings as written in JSON, other values by their JSON type. */
function shownValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value) ?? String(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
}

/** The defaults of a group of settings, by name. */
export function defaultsOf<T extends Record<string, { readonly default: unknown }>>(settings: T): { [K in keyof T]: T[K]['default'] } {
  return Object.fromEntries(Object.entries(settings).map(([name, setting]) => [name, setting.default])) as {
    [K in keyof T]: T[K]['default'];
  };
}
